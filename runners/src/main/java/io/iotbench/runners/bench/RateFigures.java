package io.iotbench.runners.bench;

import java.util.List;

/**
 * What one capacity run measured: one runner (or the baseline) at one device count and one offered rate, over
 * the measured span after the warm-up. Latencies in seconds, NaN when no decision fell in the span; the lag slopes
 * in events/s per second (decided lag, the verdict's, and the consumer group's committed lag); {@code miss} says
 * why the SLO was missed, null when it was met; {@code firstDecisionSeconds} is the time from the load's first event
 * to the scorer's first decision on the broker (its start-up as the user sees it), NaN when none came.
 *
 * @param samples the lag samples of the whole run (warm-up included), for the lag chart
 * @param sparkBatches where a SparkRunner scorer's micro-batches spent the span's time; null for other scorers
 */
record RateFigures(String runner, int devices, double offeredRate, double achievedRate, double p50, double p99,
    double max, double lagSlope, double committedLagSlope, long decisions, double firstDecisionSeconds, String miss,
    List<LagSample> samples, SparkBatchProfile sparkBatches) {

  RateFigures(String runner, int devices, double offeredRate, double achievedRate, double p50, double p99, double max,
      double lagSlope, double committedLagSlope, long decisions, double firstDecisionSeconds, String miss,
      List<LagSample> samples) {
    this(runner, devices, offeredRate, achievedRate, p50, p99, max, lagSlope, committedLagSlope, decisions,
        firstDecisionSeconds, miss, samples, null);
  }

  /** The same figures with the scorer's micro-batch profile. */
  RateFigures withSparkBatches(SparkBatchProfile profile) {
    return new RateFigures(runner, devices, offeredRate, achievedRate, p50, p99, max, lagSlope, committedLagSlope,
        decisions, firstDecisionSeconds, miss, samples, profile);
  }

  boolean sloMet() {
    return miss == null;
  }

  /** The same figures judged against {@code slo}. */
  static RateFigures judged(String runner, int devices, double offeredRate, double achievedRate, double p50, double p99,
      double max, double lagSlope, double committedLagSlope, long decisions, double firstDecisionSeconds, Slo slo,
      List<LagSample> samples) {
    return new RateFigures(runner, devices, offeredRate, achievedRate, p50, p99, max, lagSlope, committedLagSlope,
        decisions, firstDecisionSeconds, slo.miss(offeredRate, achievedRate, p99, lagSlope), samples);
  }

  /** A run that produced no figures (the scorer did not start, or failed): it misses the SLO for {@code why}. */
  static RateFigures failed(String runner, int devices, double offeredRate, double achievedRate, String why,
      List<LagSample> samples) {
    return new RateFigures(runner, devices, offeredRate, achievedRate, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN, 0, Double.NaN, why, samples);
  }
}
