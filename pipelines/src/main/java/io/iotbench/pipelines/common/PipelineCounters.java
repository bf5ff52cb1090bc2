package io.iotbench.pipelines.common;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** Reads Beam counters back from a finished pipeline, on any runner. */
public final class PipelineCounters {
  private PipelineCounters() {}

  /**
   * The value of counter {@code name} in {@code namespace} summed over steps. Committed values where the
   * runner has them, attempted ones otherwise (the SparkRunner and others support only attempted).
   */
  public static long get(PipelineResult result, Class<?> namespace, String name) {
    MetricQueryResults metrics =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(namespace, name))
                    .build());
    long total = 0;
    for (MetricResult<Long> counter : metrics.getCounters()) {
      Long value;
      try {
        value = counter.getCommitted();
      } catch (UnsupportedOperationException e) {
        value = null;
      }
      if (value == null) {
        value = counter.getAttempted();
      }
      total += value == null ? 0 : value;
    }
    return total;
  }
}
