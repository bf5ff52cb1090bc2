package io.iotbench.runners.portability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.iotbench.pipelines.common.InvalidOptionException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StudyOptionsTest {
  @Test
  void runnersKeepTheGivenOrderWithoutDuplicates() {
    assertEquals(
        List.of(StudyRunner.FLINK, StudyRunner.DIRECT, StudyRunner.SPARK_STANDALONE),
        StudyRunner.parse("flink, direct,flink,spark-standalone"));
  }

  @Test
  void unknownRunnerOrPipelineIsOneLine() {
    InvalidOptionException runner = assertThrows(InvalidOptionException.class, () -> StudyRunner.parse("direct,storm"));
    assertEquals(
        "--runners=direct,storm: unknown runner 'storm' (known: direct, spark-local, spark-standalone, flink, yarn)",
        runner.getMessage());
    InvalidOptionException pipeline = assertThrows(InvalidOptionException.class, () -> StudyPipelines.parse("generate,nope"));
    assertEquals("--pipelines=generate,nope: unknown pipeline 'nope' (known: generate, prepare, evaluate, score, score-replay)", pipeline.getMessage());
    assertThrows(InvalidOptionException.class, () -> StudyRunner.parse(" , "));
  }

  @Test
  void yarnNeedsAHadoopConfiguration() {
    assertNotNull(StudyRunner.YARN.unavailableReason(Map.of()));
    assertNull(StudyRunner.YARN.unavailableReason(Map.of("HADOOP_CONF_DIR", "/etc/hadoop")));
    assertNull(StudyRunner.FLINK.unavailableReason(Map.of()));
  }

  @Test
  void generateAdapterWritesBelowTheRunFolderWithTheStudysSizeAndSeed() {
    StudyInputs inputs = new StudyInputs(Path.of("/s/inputs"), 500, 7, 3, 9, (c, a, l) -> {});
    assertEquals(
        List.of("--rows=500", "--sensors=7", "--partitions=3", "--seed=9", "--output=/s/generate/flink/output"),
        new GenerateStudyPipeline().arguments(inputs, Path.of("/s/generate/flink")));
  }
}
