package io.iotbench.model.scoring;

/**
 * One binary decision tree with continuous splits, as flat node arrays (node 0 is the root). Internal
 * node i sends a row to {@code left[i]} iff {@code x[feature[i]] <= threshold[i]}, else to
 * {@code right[i]}, exactly MLlib's {@code ContinuousSplit.shouldGoLeft}; a leaf has
 * {@code left[i] == right[i] == -1}. Each node has MLlib's prediction (a class for classification
 * trees, a value for the regression trees of gradient boosting) and, for classification trees, the
 * node's class counts normalized to sum to 1 (all zeros for a node without training rows), computed as
 * MLlib's random forest does: count / (0 + count0 + count1). Children always have larger indexes than
 * their parent, so every walk ends.
 */
public final class DecisionTree {
  private final int[] feature;
  private final double[] threshold;
  private final int[] left;
  private final int[] right;
  private final double[] prediction;
  private final double[][] classProbabilities;

  /**
   * Checks and keeps the arrays (not copied: {@link PortableModel} hands over fresh ones).
   *
   * @param classProbabilities per node, for classification trees; null for regression trees
   * @throws IllegalArgumentException describing the first inconsistency
   */
  DecisionTree(
      int[] feature,
      double[] threshold,
      int[] left,
      int[] right,
      double[] prediction,
      double[][] classProbabilities,
      int numFeatures) {
    int n = left.length;
    if (n == 0) {
      throw new IllegalArgumentException("has no nodes");
    }
    requireLength("feature", feature.length, n);
    requireLength("threshold", threshold.length, n);
    requireLength("right", right.length, n);
    requireLength("prediction", prediction.length, n);
    if (classProbabilities != null) {
      requireLength("classProbabilities", classProbabilities.length, n);
    }
    for (int i = 0; i < n; i++) {
      boolean leaf = left[i] == -1;
      if (leaf != (right[i] == -1)) {
        throw new IllegalArgumentException("node " + i + " has one child; a node has two or none");
      }
      if (!leaf) {
        if (left[i] <= i || left[i] >= n || right[i] <= i || right[i] >= n) {
          throw new IllegalArgumentException(
              "node " + i + " has children " + left[i] + " and " + right[i]
                  + "; children must come after their parent, within the " + n + " nodes");
        }
        if (feature[i] < 0 || feature[i] >= numFeatures) {
          throw new IllegalArgumentException(
              "node " + i + " splits on feature " + feature[i] + ", outside 0.." + (numFeatures - 1));
        }
        if (Double.isNaN(threshold[i])) {
          throw new IllegalArgumentException("node " + i + " has no threshold");
        }
      }
      if (!Double.isFinite(prediction[i])) {
        throw new IllegalArgumentException("node " + i + " has a prediction that is not finite");
      }
      if (classProbabilities != null) {
        double[] p = classProbabilities[i];
        if (p == null || p.length != 2) {
          throw new IllegalArgumentException("node " + i + " does not have 2 class probabilities");
        }
        for (double v : p) {
          if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException("node " + i + " has a class probability outside [0, 1]");
          }
        }
      }
    }
    this.feature = feature;
    this.threshold = threshold;
    this.left = left;
    this.right = right;
    this.prediction = prediction;
    this.classProbabilities = classProbabilities;
  }

  private static void requireLength(String name, int length, int n) {
    if (length != n) {
      throw new IllegalArgumentException("has " + n + " nodes but " + length + " " + name + " entries");
    }
  }

  /** The index of the leaf {@code x} falls into. */
  int leaf(double[] x) {
    int node = 0;
    while (left[node] >= 0) {
      node = x[feature[node]] <= threshold[node] ? left[node] : right[node];
    }
    return node;
  }

  /** The prediction of node {@code node}. */
  double prediction(int node) {
    return prediction[node];
  }

  /** The normalized class counts of node {@code node} (classification trees only). */
  double[] classProbabilities(int node) {
    return classProbabilities[node];
  }

  boolean isClassification() {
    return classProbabilities != null;
  }

  /** The number of nodes. */
  public int size() {
    return left.length;
  }

  int[] feature() {
    return feature;
  }

  double[] threshold() {
    return threshold;
  }

  int[] left() {
    return left;
  }

  int[] right() {
    return right;
  }

  double[] predictions() {
    return prediction;
  }

  double[][] allClassProbabilities() {
    return classProbabilities;
  }
}
