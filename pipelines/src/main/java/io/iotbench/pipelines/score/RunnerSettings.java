package io.iotbench.pipelines.score;

import java.lang.reflect.Method;
import java.nio.file.Files;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner-specific settings an unbounded scorer run needs, applied only when the chosen runner is on the
 * classpath (the runner itself is chosen by {@code --runner}, never here): the DirectRunner must not block
 * in {@code run()} on unbounded input ({@code --blockOnRun=false}), and a SparkRunner streaming run needs a
 * checkpoint folder of its own (a run that finds another run's checkpoint in Beam's default folder, named after
 * the job, tries to resume it; see docs/design-notes.md). Options the user set explicitly win.
 */
final class RunnerSettings {
  private static final Logger LOG = LoggerFactory.getLogger(RunnerSettings.class);

  private RunnerSettings() {}

  static void forUnboundedRun(ScoreSensorStream.Options o) {
    String runner = o.getRunner().getSimpleName();
    o.setStreaming(true);
    if (runner.equals("DirectRunner") || runner.equals("TestDirectRunner")) {
      set(o, "org.apache.beam.runners.direct.DirectOptions", "setBlockOnRun", boolean.class, false);
    } else if (runner.contains("SparkRunner")) {
      try {
        Class<? extends PipelineOptions> cls = optionsClass("org.apache.beam.runners.spark.SparkPipelineOptions");
        Object spark = o.as(cls);
        String dir = (String) cls.getMethod("getCheckpointDir").invoke(spark);
        if (dir == null || dir.startsWith("/tmp/") && dir.contains(o.getJobName())) { // Beam's default: /tmp/<job>
          // A file:// URI: a bare path would be resolved against Hadoop's fs.defaultFS, which may be HDFS.
          String fresh = Files.createTempDirectory("iotbench-score-checkpoint").toUri().toString();
          cls.getMethod("setCheckpointDir", String.class).invoke(spark, fresh);
        }
      } catch (ReflectiveOperationException | java.io.IOException e) {
        LOG.warn("cannot set a fresh Spark checkpoint folder: {}", e.toString());
      }
    }
  }

  /**
   * Whether the chosen runner supports timers in a streaming stateful DoFn: Beam 2.62's SparkRunner rejects them
   * when the pipeline is translated (the DirectRunner and FlinkRunner support them).
   */
  static boolean timersInStreaming(PipelineOptions o) {
    return !o.getRunner().getSimpleName().contains("SparkRunner");
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends PipelineOptions> optionsClass(String name) throws ClassNotFoundException {
    return (Class<? extends PipelineOptions>) Class.forName(name);
  }

  private static void set(PipelineOptions o, String optionsClass, String setter, Class<?> type, Object value) {
    try {
      Class<? extends PipelineOptions> cls = optionsClass(optionsClass);
      Object view = o.as(cls);
      Method m = cls.getMethod(setter, type);
      m.invoke(view, value);
    } catch (ReflectiveOperationException e) {
      LOG.warn("cannot apply {} of {}: {}", setter, optionsClass, e.toString());
    }
  }
}
