package io.iotbench.model;

/**
 * The benchmark's labelling rule: a row of n sensor values is labelled 1 when its score
 * &Sigma; i&middot;v<sub>i</sub> (i = 1..n, sensor i weighted by its number i) exceeds a cutoff, else
 * 0. The documented rule and the original Python generator weight sensor i by i; the original Scala
 * generator weights sensor i by i+1 (its 0-based index plus one, applied to a 1-based number), which
 * labels about 61% of rows 1 at the "50%" cutoff. That bug is deliberately not copied here. With values
 * uniform on [0,1) the expected score is n(n+1)/4, so {@link #defaultCutoff} labels about half the rows
 * 1.
 */
public final class LabelingRule {

  private LabelingRule() {}

  /** The cutoff that labels about 50% of uniform rows 1: the expected score 0.25&middot;n&middot;(n+1). */
  public static double defaultCutoff(int n) {
    return 0.25 * n * (n + 1.0);
  }

  /** &Sigma; i&middot;v[i-1] for i = 1..n. */
  public static double score(double[] v) {
    double score = 0;
    for (int i = 0; i < v.length; i++) {
      score += (i + 1) * v[i];
    }
    return score;
  }

  /** 1 if {@link #score}(v) &gt; cutoff, else 0. */
  public static int label(double[] v, double cutoff) {
    return score(v) > cutoff ? 1 : 0;
  }
}
