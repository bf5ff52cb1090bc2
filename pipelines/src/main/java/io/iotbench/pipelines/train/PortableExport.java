package io.iotbench.pipelines.train;

import io.iotbench.model.scoring.Algorithm;
import io.iotbench.model.scoring.PortableModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.tree.ContinuousSplit;
import org.apache.spark.ml.tree.InternalNode;
import org.apache.spark.ml.tree.Node;
import org.apache.spark.ml.tree.Split;

/**
 * Converts a fitted MLlib model into a {@link PortableModel}: logistic regression as coefficients, intercept and
 * threshold; tree ensembles as flat node arrays in pre-order (children after their parent), with each tree's
 * weight, each node's prediction and, for random forests, each node's class counts normalized exactly as
 * MLlib's {@code predictRaw} does ({@code count / sum}, all zeros for a node without rows).
 */
final class PortableExport {
  private PortableExport() {}

  /**
   * The portable form of {@code model}.
   *
   * @throws IllegalArgumentException for what the portable format cannot express: multinomial regression,
   *     categorical splits, more than two classes
   */
  static PortableModel of(Object model, Map<String, Object> training) {
    if (model instanceof LogisticRegressionModel lr) {
      if (lr.numClasses() != 2) {
        throw new IllegalArgumentException("only binary logistic regression is portable, not " + lr.numClasses() + " classes");
      }
      return PortableModel.logisticRegression(lr.coefficients().toArray(), lr.intercept(), lr.getThreshold(), training);
    }
    if (model instanceof RandomForestClassificationModel rf) {
      if (rf.numClasses() != 2) {
        throw new IllegalArgumentException("only binary classification is portable, not " + rf.numClasses() + " classes");
      }
      List<PortableModel.Tree> trees = new ArrayList<>();
      double[] weights = rf.treeWeights();
      for (int i = 0; i < rf.trees().length; i++) {
        trees.add(tree(rf.trees()[i].rootNode(), weights[i], true));
      }
      return PortableModel.treeEnsemble(Algorithm.RANDOM_FOREST, rf.numFeatures(), trees, training);
    }
    if (model instanceof GBTClassificationModel gbt) {
      List<PortableModel.Tree> trees = new ArrayList<>();
      double[] weights = gbt.treeWeights();
      for (int i = 0; i < gbt.trees().length; i++) {
        trees.add(tree(gbt.trees()[i].rootNode(), weights[i], false));
      }
      return PortableModel.treeEnsemble(Algorithm.GRADIENT_BOOSTED_TREES, gbt.numFeatures(), trees, training);
    }
    throw new IllegalArgumentException("no portable form for " + model.getClass().getName());
  }

  private static PortableModel.Tree tree(Node root, double weight, boolean classProbabilities) {
    Nodes nodes = new Nodes();
    nodes.add(root, classProbabilities);
    int n = nodes.size;
    return new PortableModel.Tree(
        weight,
        nodes.feature.stream().mapToInt(Integer::intValue).toArray(),
        nodes.threshold.stream().mapToDouble(Double::doubleValue).toArray(),
        nodes.left.stream().mapToInt(Integer::intValue).toArray(),
        nodes.right.stream().mapToInt(Integer::intValue).toArray(),
        nodes.prediction.stream().mapToDouble(Double::doubleValue).toArray(),
        classProbabilities ? nodes.probabilities.toArray(new double[n][]) : null);
  }

  /** Accumulates nodes in pre-order. */
  private static final class Nodes {
    final List<Integer> feature = new ArrayList<>();
    final List<Double> threshold = new ArrayList<>();
    final List<Integer> left = new ArrayList<>();
    final List<Integer> right = new ArrayList<>();
    final List<Double> prediction = new ArrayList<>();
    final List<double[]> probabilities = new ArrayList<>();
    int size;

    /** Adds {@code node} and its subtree; returns its index. Recursion depth is the tree depth (MLlib: at most 30). */
    int add(Node node, boolean classProbabilities) {
      int index = size++;
      feature.add(-1);
      threshold.add(0.0);
      left.add(-1);
      right.add(-1);
      prediction.add(node.prediction());
      if (classProbabilities) {
        probabilities.add(normalizedCounts(node));
      }
      if (node instanceof InternalNode internal) {
        Split split = internal.split();
        if (!(split instanceof ContinuousSplit continuous)) {
          throw new IllegalArgumentException("categorical splits are not portable (feature " + split.featureIndex() + ")");
        }
        feature.set(index, continuous.featureIndex());
        threshold.set(index, continuous.threshold());
        int l = add(internal.leftChild(), classProbabilities);
        int r = add(internal.rightChild(), classProbabilities);
        left.set(index, l);
        right.set(index, r);
      }
      return index;
    }

    /** MLlib's vote of a leaf: counts / (0 + count0 + count1), in that order of additions. */
    private static double[] normalizedCounts(Node node) {
      double[] counts = node.impurityStats().stats();
      if (counts.length != 2) {
        throw new IllegalArgumentException("only binary classification is portable, not " + counts.length + " classes");
      }
      double total = 0.0;
      for (double c : counts) {
        total += c;
      }
      return total != 0 ? new double[] {counts[0] / total, counts[1] / total} : new double[] {0.0, 0.0};
    }
  }
}
