package io.iotbench.simulator;

import java.util.random.RandomGenerator;

/**
 * Waits between events drawn from a lognormal distribution with mean {@code 1/rate} and standard
 * deviation half the mean, as the original simulators intend: positive, a long tail, an exact mean.
 * (The original code scales {@code exp(N(mean, mean/2))} by its expectation, which has the right mean
 * but a spread of only a few percent; we use the parameters that give the stated deviation:
 * {@code sigma^2 = ln(1 + 0.5^2)}, {@code mu = ln(mean) - sigma^2 / 2}.)
 */
public final class LognormalWaits {

  /** Standard deviation as a fraction of the mean. */
  public static final double RELATIVE_SD = 0.5;

  private final RandomGenerator random;
  private final double mu;
  private final double sigma;
  private final double meanNanos;

  /**
   * @param rate events per second, &gt; 0
   * @param random the source of the draws, owned by this object from now on
   */
  public LognormalWaits(double rate, RandomGenerator random) {
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("rate must be > 0: " + rate);
    }
    this.random = random;
    this.meanNanos = 1e9 / rate;
    double variance = Math.log1p(RELATIVE_SD * RELATIVE_SD);
    this.sigma = Math.sqrt(variance);
    this.mu = Math.log(meanNanos) - variance / 2;
  }

  /** The mean wait in nanoseconds. */
  public double meanNanos() {
    return meanNanos;
  }

  /** The next wait in nanoseconds, at least 1. */
  public long nextNanos() {
    return Math.max(1L, Math.round(Math.exp(mu + sigma * random.nextGaussian())));
  }
}
