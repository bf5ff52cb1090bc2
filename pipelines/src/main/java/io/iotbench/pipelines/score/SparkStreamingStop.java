package io.iotbench.pipelines.score;

import java.lang.reflect.InvocationTargetException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops this JVM's active Spark streaming context at once, without Spark's graceful wait, for a run that failed
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
}
