package io.iotbench.model;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Computes the score cutoff that makes a given percentage of generated rows label 1, like the original
 * benchmark's {@code calc_cutoffs}. Rows hold n independent values uniform on [0,1) and are scored by
 * {@link LabelingRule#score} (sensor i weighted by i), so the score has mean n(n+1)/4 and variance
 * n(n+1)(2n+1)/72 and is very nearly normal: {@link #normal} is the closed form, {@link #monteCarlo}
 * the original's simulation. Both reproduce the original's table within 0.5%; e.g. for 100 sensors and
 * 1% ones the original printed 2912, {@code normal} gives 2915.6 and {@code monteCarlo} about 2913.
 */
public final class CutoffCalculator {

  /** Scores are kept in one array, so this is the most rows a simulation can have. */
  public static final long MAX_MONTE_CARLO_ROWS = Integer.MAX_VALUE - 8;

  private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);

  // P. J. Acklam's rational approximations of the inverse normal CDF (relative error < 1.15e-9).
  private static final double[] A = {
    -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
    1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00
  };
  private static final double[] B = {
    -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
    6.680131188771972e+01, -1.328068155288572e+01
  };
  private static final double[] C = {
    -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
    -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00
  };
  private static final double[] D = {
    7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00
  };
  private static final double P_LOW = 0.02425;
  /** Below this x the series for &Phi; loses digits to cancellation and the continued fraction is used. */
  private static final double TAIL = -5;

  private CutoffCalculator() {}

  /**
   * The cutoff above which {@code percentOnes}% of scores lie under the normal approximation: mean +
   * z&middot;sd with z the standard normal quantile of 1 - percentOnes/100.
   *
   * @throws IllegalArgumentException if n &lt; 1 or percentOnes is not strictly between 0 and 100
   */
  public static double normal(int n, double percentOnes) {
    checkSensors(n);
    checkPercent(percentOnes);
    double nn = n;
    double mean = nn * (nn + 1) / 4;
    double variance = nn * (nn + 1) * (2 * nn + 1) / 72;
    // quantile(1 - p) = -quantile(p), and p keeps its precision where 1 - p would not
    return mean - inverseNormalCdf(percentOnes / 100) * Math.sqrt(variance);
  }

  /**
   * The original's simulation: scores {@code rows} rows of n values drawn with
   * {@code new SplittableRandom(seed).nextDouble()} (row by row, sensor 1 first), sorts the scores and
   * returns, for each percentage p, the score at index floor((100 - p)/100 &middot; rows) (the
   * original's {@code scores[int(n_rows/100) * (100 - p)]}), clamped to the last index. Only the
   * scores are kept, so memory is 8 bytes per row whatever n is.
   *
   * @throws IllegalArgumentException if n &lt; 1, rows is not within 1..{@link #MAX_MONTE_CARLO_ROWS},
   *     or a percentage is not strictly between 0 and 100
   */
  public static double[] monteCarlo(int n, double[] percents, long rows, long seed) {
    checkSensors(n);
    Objects.requireNonNull(percents, "percents");
    for (double p : percents) {
      checkPercent(p);
    }
    if (rows < 1 || rows > MAX_MONTE_CARLO_ROWS) {
      throw new IllegalArgumentException("rows must be 1.." + MAX_MONTE_CARLO_ROWS + ", not " + rows);
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] scores = new double[(int) rows];
    for (int r = 0; r < scores.length; r++) {
      double score = 0;
      double weight = 1;
      for (int i = 0; i < n; i++) {
        score += weight * random.nextDouble();
        weight += 1;
      }
      scores[r] = score;
    }
    Arrays.sort(scores);
    double[] cutoffs = new double[percents.length];
    for (int j = 0; j < percents.length; j++) {
      long index = (long) Math.floor((100.0 - percents[j]) * rows / 100.0);
      cutoffs[j] = scores[(int) Math.min(index, rows - 1)];
    }
    return cutoffs;
  }

  /** clamp(100,000,000 / n, 1,000, 100,000): about 10<sup>8</sup> random values, at least 1,000 rows. */
  public static long defaultMonteCarloRows(int n) {
    checkSensors(n);
    return Math.max(1_000L, Math.min(100_000L, 100_000_000L / n));
  }

  /**
   * The standard normal quantile &Phi;<sup>-1</sup>(p): Acklam's approximation refined by one Halley
   * step against an accurate &Phi;: absolute error below 1e-10 for every double p (about 1e-14 for
   * 1e-3 &le; p &le; 1 - 1e-3). Returns -&infin; for 0 and +&infin; for 1.
   *
   * @throws IllegalArgumentException if p is not within [0, 1]
   */
  public static double inverseNormalCdf(double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("p must be within [0, 1], not " + p);
    }
    if (p == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (p == 1) {
      return Double.POSITIVE_INFINITY;
    }
    if (p > 0.5) {
      return -inverseNormalCdf(1 - p); // exact: 1 - p loses nothing for p >= 0.5
    }
    double x;
    if (p < P_LOW) {
      double q = Math.sqrt(-2 * Math.log(p));
      x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
          / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    } else {
      double q = p - 0.5;
      double r = q * q;
      x = (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
          / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
    }
    // One Halley step on u = (Phi(x) - p) / phi(x). In the tail u is formed as Phi/phi - p/phi, both
    // without phi itself, which underflows (to 0 below x = -38.5) long before p does.
    double u;
    if (x > TAIL) {
      u = (normalCdf(x) - p) * SQRT_2PI * Math.exp(x * x / 2);
    } else {
      u = 1 / tailFraction(-x) - SQRT_2PI * Math.exp(Math.log(p) + x * x / 2);
    }
    return x - u / (1 + x * u / 2);
  }

  /**
   * &Phi;(x) for x &le; 0 with a small relative error: the Taylor series
   * &Phi;(x) = 1/2 + &phi;(x)&middot;&Sigma; x<sup>2k+1</sup>/(2k+1)!! near the centre, Laplace's
   * continued fraction &phi;(x)/(|x| + 1/(|x| + 2/(|x| + ...))) in the tail.
   */
  static double normalCdf(double x) {
    if (x > 0) {
      return 1 - normalCdf(-x);
    }
    double density = Math.exp(-x * x / 2) / SQRT_2PI;
    if (x > TAIL) {
      double term = x;
      double sum = x;
      double x2 = x * x;
      for (int k = 1; Math.abs(term) > 1e-17 * Math.abs(sum); k++) {
        term *= x2 / (2 * k + 1);
        sum += term;
      }
      return 0.5 + density * sum;
    }
    return density / tailFraction(-x);
  }

  /** Laplace's continued fraction a + 1/(a + 2/(a + 3/(a + ...))) = &phi;(a)/(1 - &Phi;(a)), a &ge; 5. */
  private static double tailFraction(double a) {
    double fraction = a;
    for (int k = 120; k >= 1; k--) {
      fraction = a + k / fraction;
    }
    return fraction;
  }

  private static void checkSensors(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("the number of sensors must be >= 1, not " + n);
    }
  }

  private static void checkPercent(double p) {
    if (!(p > 0 && p < 100)) {
      throw new IllegalArgumentException("percentage of ones must be > 0 and < 100, not " + p);
    }
  }
}
