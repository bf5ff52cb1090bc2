package io.iotbench.model.scoring;

import java.util.List;

/**
 * Gradient-boosted trees as MLlib's {@code GBTClassificationModel} (log loss) scores them: margin
 * m = &Sigma; weight<sub>i</sub>&middot;tree<sub>i</sub>(x) in tree order; probability of label 1 =
 * 1/(1 + e<sup>-2m</sup>), computed as MLlib's {@code transform} does ({@code 1 - 1/(1 + e^(2m))});
 * label 1 iff m &gt; 0.
 */
public final class GradientBoostedTreesScorer implements Scorer {
  private final DecisionTree[] trees;
  private final double[] weights;
  private final int numFeatures;

  GradientBoostedTreesScorer(List<DecisionTree> trees, double[] weights, int numFeatures) {
    if (trees.isEmpty()) {
      throw new IllegalArgumentException("gradient-boosted trees need at least one tree");
    }
    if (weights.length != trees.size()) {
      throw new IllegalArgumentException(trees.size() + " trees but " + weights.length + " weights");
    }
    this.trees = trees.toArray(new DecisionTree[0]);
    this.weights = weights.clone();
    this.numFeatures = numFeatures;
  }

  @Override
  public Algorithm algorithm() {
    return Algorithm.GRADIENT_BOOSTED_TREES;
  }

  @Override
  public int numFeatures() {
    return numFeatures;
  }

  /** The number of trees. */
  public int numTrees() {
    return trees.length;
  }

  /** The margin &Sigma; weight<sub>i</sub>&middot;tree<sub>i</sub>(x). */
  public double margin(double[] features) {
    Scorer.checkFeatures(features, numFeatures);
    double m = 0;
    for (int i = 0; i < trees.length; i++) {
      m += trees[i].prediction(trees[i].leaf(features)) * weights[i];
    }
    return m;
  }

  @Override
  public Prediction score(double[] features) {
    double m = margin(features);
    // rawPrediction is (-m, m); LogLoss.computeProbability(-m) = 1/(1 + e^(-2 * -m)) is class 0's.
    double probabilityOfZero = 1.0 / (1.0 + Math.exp(-2.0 * -m));
    return new Prediction(m > 0.0 ? 1 : 0, 1.0 - probabilityOfZero);
  }
}
