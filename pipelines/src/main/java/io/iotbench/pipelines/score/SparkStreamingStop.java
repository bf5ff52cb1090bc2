package io.iotbench.pipelines.score;

import java.lang.reflect.InvocationTargetException;
import io.iotbench.pipelines.score.source.EndOfRun;
import org.apache.beam.sdk.options.PipelineOptions;
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
   * every source's reader has ended (they run in this JVM: only local runs drain) and {@value #BATCHES_AFTER_END}
   * further micro-batches have completed (the end watermark reaches the driver with the batch that read it; the
   * windows fire in the next, the file writes' own grouping finalizes in the one after). Completed batches are the
   * batch time Beam's SparkRunner last advanced its watermarks to ({@code GlobalWatermarkHolder}, what
   * {@code TestSparkRunner} polls), or the wall clock if that cannot be read.
   */
  static final class EndWatch {
    static final int BATCHES_AFTER_END = 3;
    private final long batchMillis;
    private final int sources;

    /** @param sources how many sources the pipeline reads (the events, and the ticks if any) */
    EndWatch(long batchMillis, int sources) {
      this.batchMillis = batchMillis;
      this.sources = sources;
    }

    /** Whether the run's last outputs are written; polled by the monitor. */
    boolean drained() {
      if (EndOfRun.sourcesEnded() < sources) {
        return false;
      }
      long batchTime;
      try {
        Class<?> holder = Class.forName("org.apache.beam.runners.spark.util.GlobalWatermarkHolder");
        batchTime = (Long) holder.getMethod("getLastWatermarkedBatchTime").invoke(null);
      } catch (ReflectiveOperationException | RuntimeException e) {
        LOG.debug("cannot read Spark's last batch time: {}", e.toString());
        batchTime = System.currentTimeMillis() - batchMillis;
      }
      if (batchTime <= 0) { // no batch completed with watermarks yet, or not readable: the wall clock
        batchTime = System.currentTimeMillis() - batchMillis;
      }
      return batchTime >= EndOfRun.lastEndMillis() + BATCHES_AFTER_END * batchMillis;
    }
  }
}
