package io.iotbench.pipelines.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SparkRunner's restart folder and checkpoint interval as an unbounded scorer run sets them. */
class RunnerSettingsTest {
  @TempDir Path temp;

  private ScoreSensorStream.Options spark(String... extra) throws Exception {
    Path model = ScoreFixtures.writeModel(temp.resolve("model"), 3);
    String[] runner = {"--runner=SparkRunner", "--sparkMaster=local[2]", "--streaming=true", "--batchIntervalMillis=2000"};
    return ScoreFixtures.options(runner, model, extra);
  }

  @Test
  void theUsersCheckpointDirIsKeptAndStateIsCheckpointedEveryTenBatches() throws Exception {
    String dir = temp.resolve("restart").toUri().toString();
    ScoreSensorStream.Options o = spark("--checkpointDir=" + dir);
    RunnerSettings.forUnboundedRun(o);
    SparkPipelineOptions s = o.as(SparkPipelineOptions.class);
    assertEquals(dir, s.getCheckpointDir());
    assertEquals(20_000L, s.getCheckpointDurationMillis());
  }

  @Test
  void withoutTheOptionARunGetsAFreshFolderNotBeamsDefault() throws Exception {
    ScoreSensorStream.Options o = spark();
    RunnerSettings.forUnboundedRun(o);
    String dir = o.as(SparkPipelineOptions.class).getCheckpointDir();
    assertNotEquals("/tmp/" + o.getJobName(), dir);
    assertTrue(dir.startsWith("file:/") && dir.contains("iotbench-score-checkpoint"), dir);
    assertFalse(RunnerSettings.holdsSparkCheckpoint(dir));
  }

  @Test
  void anExplicitCheckpointIntervalWins() throws Exception {
    ScoreSensorStream.Options o = spark("--checkpointDir=" + temp.toUri(), "--checkpointDurationMillis=4000");
    RunnerSettings.forUnboundedRun(o);
    assertEquals(4000L, o.as(SparkPipelineOptions.class).getCheckpointDurationMillis());
  }

  @Test
  void aFolderHoldsACheckpointOnceSparkWroteOne() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("restart/spark-checkpoint"));
    String uri = temp.resolve("restart").toUri().toString();
    assertFalse(RunnerSettings.holdsSparkCheckpoint(uri));
    Files.writeString(dir.resolve("checkpoint-1796645350000"), "x");
    assertTrue(RunnerSettings.holdsSparkCheckpoint(uri));
    assertTrue(RunnerSettings.holdsSparkCheckpoint(temp.resolve("restart").toString()));
  }

  /** A FlinkRunner option by its getter (the Flink runner is a runtime dependency: no compile-time types). */
  private static Object flink(ScoreSensorStream.Options o, String getter) throws Exception {
    @SuppressWarnings("unchecked")
    Class<? extends org.apache.beam.sdk.options.PipelineOptions> cls = (Class<? extends org.apache.beam.sdk.options.PipelineOptions>)
        Class.forName("org.apache.beam.runners.flink.FlinkPipelineOptions");
    return cls.getMethod(getter).invoke(o.as(cls));
  }

  private ScoreSensorStream.Options flinkOptions(String... extra) throws Exception {
    Path model = ScoreFixtures.writeModel(temp.resolve("model"), 3);
    return ScoreFixtures.options(new String[] {"--runner=FlinkRunner", "--parallelism=2"}, model, extra);
  }

  @Test
  void aFlinkRunIsDetachedAndOnAnEmbeddedClusterReadsItsCountersLive() throws Exception {
    ScoreSensorStream.Options o = flinkOptions("--flinkMaster=[local]");
    RunnerSettings.forUnboundedRun(o);
    assertEquals(false, flink(o, "getAttachedMode"), "attached, run() would never return");
    String dir = (String) flink(o, "getFlinkConfDir");
    assertEquals(FlinkLiveCounters.configurationLine() + "\n", Files.readString(Path.of(dir, "flink-conf.yaml")));
    assertEquals("metrics.reporter.iotbench.factory.class: io.iotbench.pipelines.score.FlinkLiveCounters$Factory",
        FlinkLiveCounters.configurationLine());
  }

  @Test
  void aUsersFlinkConfigurationAndARemoteClusterAreLeftAlone() throws Exception {
    ScoreSensorStream.Options own = flinkOptions("--flinkMaster=[local]", "--flinkConfDir=" + temp);
    RunnerSettings.forUnboundedRun(own);
    assertEquals(temp.toString(), flink(own, "getFlinkConfDir"));
    ScoreSensorStream.Options remote = flinkOptions("--flinkMaster=jobmanager:8081");
    RunnerSettings.forUnboundedRun(remote);
    assertEquals(false, flink(remote, "getAttachedMode"));
    assertEquals(null, flink(remote, "getFlinkConfDir"));
  }
}
