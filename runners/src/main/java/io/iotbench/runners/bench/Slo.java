package io.iotbench.runners.bench;

import io.iotbench.pipelines.score.ScoreSensorStream;
import java.util.Locale;
import org.apache.beam.sdk.options.Default;

/**
 * The service level a capacity run must meet: a decision latency p99 of at most {@code maxLatencySeconds} and a
 * lag trend of at most {@code maxSlopeShare} of the offered rate (events/s per second), and a generator that
 * really offered the rate (at least {@link #MIN_ACHIEVED_SHARE} of it: a load the machine could not even produce
 * is not a load the scorer sustained).
 */
record Slo(double maxLatencySeconds, double maxSlopeShare) {
  /** The least share of the offered rate the generator must achieve for the rate to count as offered. */
  static final double MIN_ACHIEVED_SHARE = 0.95;

  /** The lag slope allowed, as a share of the offered rate (ShuffleBench's 1%). */
  static final double SLOPE_SHARE = 0.01;

  /**
   * The default SLO: p99 &le; the scorer's default {@code --maxOutOfOrderness} (how long it waits for stragglers,
   * read from its options) + 1 s of engine overhead, lag slope &le; 1% of the rate.
   */
  static Slo scorerDefault() {
    return new Slo(defaultMaxOutOfOrderness() + 1.0, SLOPE_SHARE);
  }

  /** The {@code @Default} of {@code score --maxOutOfOrderness}, in seconds. */
  static double defaultMaxOutOfOrderness() {
    try {
      return ScoreSensorStream.Options.class.getMethod("getMaxOutOfOrderness").getAnnotation(Default.Double.class).value();
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("score has no --maxOutOfOrderness option", e);
    }
  }

  /** The largest lag slope allowed at {@code offeredRate}. */
  double maxSlope(double offeredRate) {
    return maxSlopeShare * offeredRate;
  }

  /** Why a run with these figures misses the SLO, or null when it meets it. NaN figures (no data) miss it. */
  String miss(double offeredRate, double achievedRate, double p99, double slope) {
    if (!(achievedRate >= MIN_ACHIEVED_SHARE * offeredRate)) {
      return String.format(Locale.ROOT, "generator reached only %.0f events/s", achievedRate);
    }
    if (!(p99 <= maxLatencySeconds)) {
      return String.format(Locale.ROOT, "p99 %.2f s > %.2f s", p99, maxLatencySeconds);
    }
    if (!(slope <= maxSlope(offeredRate))) {
      return String.format(Locale.ROOT, "lag slope %.1f > %.1f events/s per s", slope, maxSlope(offeredRate));
    }
    return null;
  }
}
