package io.iotbench.model.scoring;

/**
 * Scores rows of sensor values with a model trained by Spark MLlib, without Spark: the same label and
 * probability MLlib's {@code transform} gives for the same features (see each implementation for the
 * exact rule). Obtain one from {@link PortableModel#scorer()}. Implementations are immutable and
 * thread-safe, so one instance can serve every thread of a worker.
 */
public interface Scorer {
  /** The kind of model. */
  Algorithm algorithm();

  /** The number of features (sensor values) every row must have. */
  int numFeatures();

  /**
   * Scores one row.
   *
   * @param features the values of sensors 1..n; not modified
   * @throws IllegalArgumentException if {@code features.length != numFeatures()}
   */
  Prediction score(double[] features);

  /** The predicted label of one row, 0 or 1; see {@link #score}. */
  default int predict(double[] features) {
    return score(features).label();
  }

  /** The probability of label 1 for one row; see {@link #score}. */
  default double probability(double[] features) {
    return score(features).probability();
  }

  /** Fails unless {@code features} has {@code numFeatures} values; MLlib fails the same way. */
  static void checkFeatures(double[] features, int numFeatures) {
    if (features.length != numFeatures) {
      throw new IllegalArgumentException(
          "the model has " + numFeatures + " features but the row has " + features.length + " values");
    }
  }
}
