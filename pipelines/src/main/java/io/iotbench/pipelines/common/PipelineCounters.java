package io.iotbench.pipelines.common;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** Reads Beam metrics (counters, distributions) back from a running or finished pipeline, on any runner. */
public final class PipelineCounters {
  private PipelineCounters() {}

  /**
   * The value of counter {@code name} in {@code namespace} summed over steps. Committed values where the
   * runner has them, attempted ones otherwise (the SparkRunner and others support only attempted).
   */
  public static long get(PipelineResult result, Class<?> namespace, String name) {
    long total = 0;
    for (MetricResult<Long> counter : query(result, namespace, name).getCounters()) {
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

  /**
   * The sum of every counter called {@code name} in any namespace, compared ignoring case: for the runners' own
   * counters, whose namespace is the runner's (e.g. the late elements a window drops). Attempted values; 0 when
   * the runner cannot list its metrics.
   */
  public static long counterByName(PipelineResult result, String name) {
    long total = 0;
    try {
      for (MetricResult<Long> c : result.metrics().allMetrics().getCounters()) {
        if (c.getName().getName().equalsIgnoreCase(name)) {
          Long v = c.getAttempted();
          total += v == null ? 0 : v;
        }
      }
    } catch (UnsupportedOperationException e) {
      return 0;
    }
    return total;
  }

  /**
   * Distribution {@code name} in {@code namespace} merged over steps (attempted values), or null when no step
   * reported a value.
   */
  public static DistributionResult distribution(PipelineResult result, Class<?> namespace, String name) {
    DistributionResult merged = null;
    for (MetricResult<DistributionResult> d : query(result, namespace, name).getDistributions()) {
      DistributionResult v = d.getAttempted();
      if (v == null || v.getCount() == 0) {
        continue;
      }
      merged = merged == null ? v : DistributionResult.create(merged.getSum() + v.getSum(), merged.getCount() + v.getCount(),
          Math.min(merged.getMin(), v.getMin()), Math.max(merged.getMax(), v.getMax()));
    }
    return merged;
  }

  private static MetricQueryResults query(PipelineResult result, Class<?> namespace, String name) {
    return result.metrics().queryMetrics(
        MetricsFilter.builder().addNameFilter(MetricNameFilter.named(namespace, name)).build());
  }
}
