package io.iotbench.pipelines.score;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the scorer's monitor needs of Spark streaming, found by reflection (the Flink runner's classpath holds no
 * Spark): when a drained run's last outputs are written ({@link EndWatch}), and a stop without waiting.
 *
 * <p>Stops this JVM's active Spark streaming context at once, without Spark's graceful wait, for a run that failed
 * (its source is gone, nothing more will arrive). Beam's {@code SparkPipelineResult.cancel()} only stops
 * gracefully: it waits up to ten batch intervals for batches that cannot complete, and the JVM must not exit
 * while such a stop is still under way (Spark's shutdown hooks then wait on it, 30 s each; see
 * docs/design-notes.md). Found by reflection: the Flink runner's classpath holds no Spark.
 */
final class SparkStreamingStop {
  private static final Logger LOG = LoggerFactory.getLogger(SparkStreamingStop.class);

  private SparkStreamingStop() {}

  /** Whether {@code o} runs on the SparkRunner. */
  static boolean applies(ScoreSensorStream.Options o) {
    return o.getRunner().getSimpleName().contains("SparkRunner");
  }

  /**
   * Stops the active streaming context, if any, without stopping its SparkContext (Beam's own stop does that, or
   * keeps it when tests reuse it). Returns when the context has stopped.
   */
  static void stopNow() {
    try {
      Class<?> contexts = Class.forName("org.apache.spark.streaming.StreamingContext");
      Object active = contexts.getMethod("getActive").invoke(null); // a scala.Option
      if (!(Boolean) active.getClass().getMethod("isDefined").invoke(active)) {
        return;
      }
      Object context = active.getClass().getMethod("get").invoke(active);
      contexts.getMethod("stop", boolean.class, boolean.class).invoke(context, false, false);
    } catch (InvocationTargetException e) {
      LOG.warn("cannot stop the Spark streaming context at once: {}", e.getCause().toString());
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("cannot stop the Spark streaming context at once: {}", e.toString());
    }
  }

  /** The micro-batch interval of {@code o} ({@code --batchIntervalMillis}); 500 ms if it cannot be read. */
  @SuppressWarnings("unchecked")
  static long batchIntervalMillis(PipelineOptions o) {
    try {
      Class<? extends PipelineOptions> cls =
          (Class<? extends PipelineOptions>) Class.forName("org.apache.beam.runners.spark.SparkPipelineOptions");
      Object value = cls.getMethod("getBatchIntervalMillis").invoke(o.as(cls));
      return ((Number) value).longValue();
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("cannot read the Spark batch interval: {}", e.toString());
      return 500;
    }
  }

  /**
   * Watches the end of a drained Spark streaming run, which never finishes by itself: its outputs are written once
   * the global watermark (the lowest of every source's, as Beam's SparkRunner keeps it on the driver) has passed the
   * end of the global window and {@value #BATCHES_AFTER_END} further micro-batches completed (the windows fire in the
   * batch after the one whose watermark reached the end; the file writes' own grouping finalizes in the next). What
   * Beam's TestSparkRunner waits for before it stops a streaming test.
   */
  static final class EndWatch {
    static final int BATCHES_AFTER_END = 3;
    private final long batchMillis;
    private long endBatchTime = -1;

    EndWatch(long batchMillis) {
      this.batchMillis = batchMillis;
    }

    /** Whether the end watermark has gone through; polled by the monitor. */
    boolean drained() {
      try {
        Class<?> holder = Class.forName("org.apache.beam.runners.spark.util.GlobalWatermarkHolder");
        Map<?, ?> marks = (Map<?, ?>) holder.getMethod("get", Long.class).invoke(null, batchMillis);
        long batchTime = (Long) holder.getMethod("getLastWatermarkedBatchTime").invoke(null);
        if (marks == null || marks.isEmpty()) {
          return false;
        }
        Instant end = GlobalWindow.INSTANCE.maxTimestamp();
        for (Object m : marks.values()) {
          Instant low = (Instant) m.getClass().getMethod("getLowWatermark").invoke(m);
          if (!low.isAfter(end)) {
            return false;
          }
        }
        if (endBatchTime < 0) {
          endBatchTime = batchTime;
          LOG.debug("the end watermark reached the driver with the batch of {}", batchTime);
        }
        return batchTime >= endBatchTime + BATCHES_AFTER_END * batchMillis;
      } catch (InvocationTargetException e) {
        LOG.debug("cannot read Spark's watermarks: {}", e.getCause().toString());
        return false;
      } catch (ReflectiveOperationException | RuntimeException e) {
        LOG.debug("cannot read Spark's watermarks: {}", e.toString());
        return false;
      }
    }
  }
}
