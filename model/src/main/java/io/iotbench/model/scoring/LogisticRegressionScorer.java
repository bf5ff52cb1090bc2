package io.iotbench.model.scoring;

/**
 * Binary logistic regression as MLlib's {@code LogisticRegressionModel} scores it: margin
 * m = w&middot;x + b; probability of label 1 = sigmoid(m), computed as MLlib's {@code transform} does
 * ({@code 1 - 1/(1 + e^m)}, so the two agree to the last bit or two); label 1 iff the probability
 * exceeds the threshold, evaluated as MLlib evaluates it, on the margin: m &gt; log(t / (1 - t)) (with
 * t = 0 meaning always 1 and t = 1 never). The margin is summed in feature order; MLlib's BLAS may
 * add in another order, which moves it by an ulp or so (probabilities agree far within 1e-9).
 */
public final class LogisticRegressionScorer implements Scorer {
  private final double[] coefficients;
  private final double intercept;
  private final double threshold;
  private final double marginThreshold;

  /**
   * @param coefficients w, one per feature; copied
   * @param intercept b
   * @param threshold t within [0, 1]
   */
  public LogisticRegressionScorer(double[] coefficients, double intercept, double threshold) {
    if (coefficients.length == 0) {
      throw new IllegalArgumentException("a logistic regression needs at least one coefficient");
    }
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be within [0, 1], not " + threshold);
    }
    this.coefficients = coefficients.clone();
    this.intercept = intercept;
    this.threshold = threshold;
    // MLlib's _binaryThresholds(1): the threshold on the margin that is equivalent to the one on the
    // probability; MLlib's transform predicts from the margin, so we do too.
    if (threshold == 0) {
      marginThreshold = Double.NEGATIVE_INFINITY;
    } else if (threshold == 1) {
      marginThreshold = Double.POSITIVE_INFINITY;
    } else {
      marginThreshold = Math.log(threshold / (1.0 - threshold));
    }
  }

  @Override
  public Algorithm algorithm() {
    return Algorithm.LOGISTIC_REGRESSION;
  }

  @Override
  public int numFeatures() {
    return coefficients.length;
  }

  /** The margin w&middot;x + b. */
  public double margin(double[] features) {
    Scorer.checkFeatures(features, coefficients.length);
    double dot = 0;
    for (int i = 0; i < coefficients.length; i++) {
      dot += features[i] * coefficients[i];
    }
    return dot + intercept;
  }

  @Override
  public Prediction score(double[] features) {
    double m = margin(features);
    // rawPrediction is (-m, m); MLlib's raw2probability takes sigmoid of element 0 and 1 minus it.
    double probabilityOfZero = 1.0 / (1.0 + Math.exp(m));
    return new Prediction(m > marginThreshold ? 1 : 0, 1.0 - probabilityOfZero);
  }

  /** The coefficients (a copy). */
  public double[] coefficients() {
    return coefficients.clone();
  }

  public double intercept() {
    return intercept;
  }

  public double threshold() {
    return threshold;
  }
}
