package io.iotbench.model.scoring;

import java.util.List;

/**
 * A random forest classifier as MLlib's {@code RandomForestClassificationModel} scores it: each tree
 * votes with the normalized class counts of the leaf the row reaches, the votes are summed in tree
 * order, the label is the class with the most votes (class 0 on a tie, as MLlib's argmax) and the
 * probability of label 1 is its share of the votes.
 */
public final class RandomForestScorer implements Scorer {
  private final DecisionTree[] trees;
  private final int numFeatures;

  RandomForestScorer(List<DecisionTree> trees, int numFeatures) {
    if (trees.isEmpty()) {
      throw new IllegalArgumentException("a random forest needs at least one tree");
    }
    for (DecisionTree tree : trees) {
      if (!tree.isClassification()) {
        throw new IllegalArgumentException("a random forest's trees need class probabilities");
      }
    }
    this.trees = trees.toArray(new DecisionTree[0]);
    this.numFeatures = numFeatures;
  }

  @Override
  public Algorithm algorithm() {
    return Algorithm.RANDOM_FOREST;
  }

  @Override
  public int numFeatures() {
    return numFeatures;
  }

  /** The number of trees. */
  public int numTrees() {
    return trees.length;
  }

  @Override
  public Prediction score(double[] features) {
    Scorer.checkFeatures(features, numFeatures);
    double votes0 = 0;
    double votes1 = 0;
    for (DecisionTree tree : trees) {
      double[] p = tree.classProbabilities(tree.leaf(features));
      votes0 += p[0];
      votes1 += p[1];
    }
    double sum = votes0 + votes1;
    double probability = sum > 0 ? votes1 / sum : 0.0;
    return new Prediction(votes1 > votes0 ? 1 : 0, probability);
  }
}
