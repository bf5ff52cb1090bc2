package io.iotbench.pipelines.score;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricKey;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * The Beam counters and distributions of a running FlinkRunner streaming job on a mini cluster in this JVM, read
 * live. Beam's FlinkRunner hands a streaming job's metrics to its result only when the job ends (its operators add
 * them to a Flink accumulator as they close), but it also mirrors each metric into Flink's metric system at the end
 * of every bundle (at most {@code --maxBundleTimeMills}, 1 s by default): a counter or a gauge named
 * {@code <namespace>.<name>} in each operator's metric group. This metric reporter, which {@link RunnerSettings}
 * configures for the mini cluster, keeps those metric objects, and {@link #results} sums them over operators and
 * subtasks, so that the run's end conditions (sentinels, {@code --maxEvents}) and its report see the job as it runs.
 * Metrics stay readable after their job ended (a cancelled job has no final metrics otherwise), until the next run
 * in this JVM starts ({@link #reset}).
 */
public final class FlinkLiveCounters {
  /** The reporter's name in the Flink configuration. */
  static final String REPORTER = "iotbench";
  private static final Map<String, List<Metric>> METRICS = new ConcurrentHashMap<>();
  private static volatile boolean opened;

  private FlinkLiveCounters() {}

  /** A new run starts in this JVM: forgets the metrics of the previous one. */
  static void reset() {
    METRICS.clear();
    opened = false;
  }

  /** Whether a Flink mini cluster of this JVM has started the reporter since the last {@link #reset}. */
  static boolean active() {
    return opened;
  }

  /** The Flink configuration entry that enables this reporter: {@code key: value}. */
  static String configurationLine() {
    return "metrics.reporter." + REPORTER + ".factory.class: " + Factory.class.getName();
  }

  /** The live metrics, as Beam metric results (attempted values; step names are not known here). */
  static MetricResults results() {
    return new MetricResults() {
      @Override
      public MetricQueryResults queryMetrics(MetricsFilter filter) {
        return query(filter);
      }
    };
  }

  private static MetricQueryResults query(MetricsFilter filter) {
    List<MetricResult<Long>> counters = new ArrayList<>();
    List<MetricResult<DistributionResult>> distributions = new ArrayList<>();
    METRICS.forEach((flinkName, metrics) -> {
      // <namespace><scope delimiter><name>: names have no dots, namespaces (class names) do.
      int dot = flinkName.lastIndexOf('.');
      if (dot <= 0) {
        return;
      }
      MetricName name = MetricName.named(flinkName.substring(0, dot), flinkName.substring(dot + 1));
      if (!matches(filter, name)) {
        return;
      }
      MetricKey key = MetricKey.create("flink", name);
      long sum = 0;
      boolean counted = false;
      DistributionResult merged = null;
      for (Metric m : metrics) {
        if (m instanceof Counter c) {
          sum += c.getCount();
          counted = true;
        } else if (m instanceof Gauge<?> g && g.getValue() instanceof DistributionResult d && d.getCount() > 0) {
          merged = merged == null ? d : DistributionResult.create(merged.getSum() + d.getSum(),
              merged.getCount() + d.getCount(), Math.min(merged.getMin(), d.getMin()), Math.max(merged.getMax(), d.getMax()));
        }
      }
      if (counted) {
        counters.add(MetricResult.attempted(key, sum));
      }
      if (merged != null) {
        distributions.add(MetricResult.attempted(key, merged));
      }
    });
    return MetricQueryResults.create(counters, distributions, List.of(), List.of());
  }

  private static boolean matches(MetricsFilter filter, MetricName name) {
    if (filter.names().isEmpty()) {
      return true;
    }
    for (MetricNameFilter f : filter.names()) {
      if (f.getNamespace().equals(name.getNamespace()) && (f.getName() == null || f.getName().equals(name.getName()))) {
        return true;
      }
    }
    return false;
  }

  /** Creates the reporter; found by Flink through {@code META-INF/services}. */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new Reporter();
    }
  }

  /** Keeps every counter and gauge the job registers; a removed one stays (its last value is the final one). */
  static final class Reporter implements MetricReporter {
    @Override
    public void open(MetricConfig config) {
      opened = true;
    }

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
      if (metric instanceof Counter || metric instanceof Gauge) {
        METRICS.computeIfAbsent(metricName, k -> new CopyOnWriteArrayList<>()).add(metric);
      }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {}
  }
}
