package io.iotbench.model;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.NormalDistribution;

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

  /** Used only for its quantile, so it needs no random generator. */
  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

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
    return mean - STANDARD_NORMAL.inverseCumulativeProbability(percentOnes / 100) * Math.sqrt(variance);
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
