package io.iotbench.pipelines.score;

import java.lang.reflect.Method;
import java.nio.file.Files;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner-specific settings an unbounded scorer run needs, applied only when the chosen runner is on the
 * classpath (the runner itself is chosen by {@code --runner}, never here): the DirectRunner must not block
 * in {@code run()} on unbounded input ({@code --blockOnRun=false}), and a SparkRunner streaming run keeps the
 * user's {@code --checkpointDir} (its restart folder) or gets a fresh one (a run that finds another run's checkpoint
 * in Beam's default folder, named after the job, would resume it; see docs/restart.md). A FlinkRunner streaming run
 * is submitted detached, so that {@code run()} returns and the run's end conditions can end it, and on an embedded
 * mini cluster its counters are read live (docs/flink-streaming.md). Options the user set explicitly win.
 */
final class RunnerSettings {
  private static final Logger LOG = LoggerFactory.getLogger(RunnerSettings.class);

  private RunnerSettings() {}

  private static volatile boolean resumed;

  /** Whether this JVM's streaming run resumes a SparkRunner checkpoint (see {@link #forUnboundedRun}). */
  static boolean resumedFromCheckpoint() {
    return resumed;
  }

  static void forUnboundedRun(ScoreSensorStream.Options o) {
    String runner = o.getRunner().getSimpleName();
    resumed = false;
    o.setStreaming(true);
    if (runner.equals("DirectRunner") || runner.equals("TestDirectRunner")) {
      set(o, "org.apache.beam.runners.direct.DirectOptions", "setBlockOnRun", boolean.class, false);
    } else if (runner.contains("FlinkRunner")) {
      // Attached, Beam's FlinkRunner runs a streaming job with the blocking StreamExecutionEnvironment.execute: run()
      // would never return and no end condition could end the run. Detached, it submits with executeAsync and returns
      // at once; the job is then seen through its Flink JobClient (FlinkJobResult).
      set(o, "org.apache.beam.runners.flink.FlinkPipelineOptions", "setAttachedMode", boolean.class, false);
      try {
        flinkLiveCounters(o);
      } catch (ReflectiveOperationException | java.io.IOException e) {
        LOG.warn("cannot configure the live counters of the Flink job: {}", e.toString());
      }
    } else if (runner.contains("SparkRunner")) {
      try {
        sparkCheckpoints(o);
      } catch (ReflectiveOperationException | java.io.IOException e) {
        LOG.warn("cannot set the Spark checkpoint folder: {}", e.toString());
      }
    }
  }

  /**
   * The SparkRunner's restart folder. A {@code --checkpointDir} the user gave is kept: a run that finds a checkpoint
   * there resumes it (Spark streaming's getOrCreate restores the whole graph: the source's position, every device's
   * state, the open windows, the counters; see docs/restart.md). Without it, Beam's default {@code /tmp/<job name>}
   * is replaced by a fresh temporary folder, so that a run never resumes another one by accident. Unless the user set
   * {@code --checkpointDurationMillis}, state is checkpointed every {@value #CHECKPOINT_BATCHES} batches: the stateful
   * ParDo's state is always checkpointed at that multiple of the batch interval (Beam does not pass the option to
   * it), and the source's and the windows' state must be checkpointed at the same batches, or a restore would combine
   * a source position and window contents of different batches.
   */
  private static void sparkCheckpoints(ScoreSensorStream.Options o) throws ReflectiveOperationException, java.io.IOException {
    Class<? extends PipelineOptions> cls = optionsClass("org.apache.beam.runners.spark.SparkPipelineOptions");
    Object spark = o.as(cls);
    String dir = (String) cls.getMethod("getCheckpointDir").invoke(spark);
    if (dir == null || isBeamDefaultCheckpointDir(dir, o.getJobName())) {
      // A file:// URI: a bare path would be resolved against Hadoop's fs.defaultFS, which may be HDFS.
      String fresh = Files.createTempDirectory("iotbench-score-checkpoint").toUri().toString();
      cls.getMethod("setCheckpointDir", String.class).invoke(spark, fresh);
    } else if (holdsSparkCheckpoint(dir)) {
      resumed = true;
      LOG.warn("resuming from the checkpoint in {}: the pipeline, its options and its interval numbering are the "
          + "checkpointed run's", dir);
    }
    Long every = (Long) cls.getMethod("getCheckpointDurationMillis").invoke(spark);
    Long batch = (Long) cls.getMethod("getBatchIntervalMillis").invoke(spark);
    if ((every == null || every <= 0) && batch != null && batch > 0) {
      cls.getMethod("setCheckpointDurationMillis", Long.class).invoke(spark, CHECKPOINT_BATCHES * batch);
    }
  }

  /**
   * On a Flink mini cluster in this JVM ({@code --flinkMaster=[local]} or {@code [auto]}), the metric reporter that
   * reads the job's counters while it runs ({@link FlinkLiveCounters}): Beam hands a streaming job's metrics over only
   * when it ends, and the run's end conditions need them before. The reporter is configured through a Flink
   * configuration folder of its own ({@code --flinkConfDir}), unless the user gave one (or {@code FLINK_CONF_DIR}):
   * then it must name the reporter itself (docs/flink-streaming.md), or sentinels and {@code --maxEvents} cannot end
   * the run.
   */
  private static void flinkLiveCounters(ScoreSensorStream.Options o) throws ReflectiveOperationException, java.io.IOException {
    FlinkLiveCounters.reset();
    Class<? extends PipelineOptions> cls = optionsClass("org.apache.beam.runners.flink.FlinkPipelineOptions");
    Object flink = o.as(cls);
    String master = (String) cls.getMethod("getFlinkMaster").invoke(flink);
    if (!"[local]".equals(master) && !"[auto]".equals(master)) {
      return;
    }
    String confDir = (String) cls.getMethod("getFlinkConfDir").invoke(flink);
    if (confDir != null && !confDir.isEmpty() || System.getenv("FLINK_CONF_DIR") != null) {
      LOG.info("Flink configuration from {}: sentinels and --maxEvents end the run only if it enables the reporter '{}'",
          confDir != null ? confDir : System.getenv("FLINK_CONF_DIR"), FlinkLiveCounters.configurationLine());
      return;
    }
    java.nio.file.Path dir = Files.createTempDirectory("iotbench-flink-conf");
    dir.toFile().deleteOnExit();
    java.nio.file.Path conf = dir.resolve("flink-conf.yaml");
    Files.writeString(conf, FlinkLiveCounters.configurationLine() + "\n");
    conf.toFile().deleteOnExit();
    cls.getMethod("setFlinkConfDir", String.class).invoke(flink, dir.toString());
  }

  /** Spark streaming's own default checkpoint interval of a mapWithState stream, in batches. */
  static final long CHECKPOINT_BATCHES = 10;

  /**
   * Whether the restart folder {@code dir} holds a Spark streaming checkpoint (Beam keeps Spark's in its
   * {@code spark-checkpoint} subfolder, as {@code checkpoint-<batch time>} files).
   */
  static boolean holdsSparkCheckpoint(String dir) {
    String base = dir.endsWith("/") ? dir : dir + "/";
    try {
      MatchResult m = FileSystems.match(base + "spark-checkpoint/checkpoint-*", EmptyMatchTreatment.ALLOW);
      return m.status() == MatchResult.Status.OK && !m.metadata().isEmpty();
    } catch (java.io.IOException | IllegalArgumentException e) {
      return false; // an unknown scheme or an unreachable store: Spark itself reports it when it starts
    }
  }

  /** Whether {@code dir} is Beam's default checkpoint folder of job {@code jobName}: {@code /tmp/<job name>}. */
  static boolean isBeamDefaultCheckpointDir(String dir, String jobName) {
    return dir.equals("/tmp/" + jobName);
  }

  /**
   * How many finalized checkpoint marks the Kafka source's offset commits stay behind (see
   * {@link io.iotbench.pipelines.score.source.KafkaLineSource}). Beam's SparkRunner finalizes a mark at the end of
   * each micro-batch's read, often before the batch runs (reads happen when Spark generates a batch), and Spark
   * checkpoints the windows' and devices' state every {@code --checkpointDurationMillis}: after a crash the restarted
   * run restores that state and recomputes the pending batches, and on Beam 2.62 it re-reads them from the group's
   * committed offsets (docs/restart.md). The commits therefore stay one checkpoint interval plus
   * {@value #PENDING_BATCHES_ALLOWED} batches (a backlog of pending batches) behind the reads. Other runners finalize a mark once
   * the records' effects are durable (Flink: a completed checkpoint; Direct: a committed bundle): no lag.
   */
  static int kafkaCommitLag(PipelineOptions o) {
    if (!o.getRunner().getSimpleName().contains("SparkRunner")) {
      return 0;
    }
    try {
      Class<? extends PipelineOptions> cls = optionsClass("org.apache.beam.runners.spark.SparkPipelineOptions");
      Object spark = o.as(cls);
      Long every = (Long) cls.getMethod("getCheckpointDurationMillis").invoke(spark);
      Long batch = (Long) cls.getMethod("getBatchIntervalMillis").invoke(spark);
      long checkpointBatches = every == null || every <= 0 || batch == null || batch <= 0
          ? CHECKPOINT_BATCHES : Math.max(1, (every + batch - 1) / batch);
      return (int) Math.min(Integer.MAX_VALUE, checkpointBatches + PENDING_BATCHES_ALLOWED);
    } catch (ReflectiveOperationException e) {
      return (int) (CHECKPOINT_BATCHES + PENDING_BATCHES_ALLOWED);
    }
  }

  /** Micro-batches that may be pending (generated and read, not yet run) when a SparkRunner run crashes. */
  static final long PENDING_BATCHES_ALLOWED = 20;

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
