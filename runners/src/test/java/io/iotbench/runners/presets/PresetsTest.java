package io.iotbench.runners.presets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.runners.ProjectLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PresetsTest {
  @TempDir Path dir;

  private Presets presets(Map<String, String> variables) {
    return new Presets(dir, variables::get);
  }

  @Test
  void expandsOptionsAndSystemPropertiesSkippingCommentsAndSubstitutingVariables() throws Exception {
    Files.writeString(
        dir.resolve("p.args"),
        "# comment\n\n--runner=SparkRunner\n  --filesToStage=${HOME_DIR}/a.jar  \n-Dspark.yarn.jars=local:${HOME_DIR}/jars/*\n");
    Presets.Expanded expanded = presets(Map.of("HOME_DIR", "/opt/x")).expand(List.of("--preset=p", "--rows=5"));
    assertEquals(List.of("--runner=SparkRunner", "--filesToStage=/opt/x/a.jar", "--rows=5"), expanded.args());
    assertEquals(Map.of("spark.yarn.jars", "local:/opt/x/jars/*"), expanded.systemProperties());
  }

  @Test
  void commandLineOptionsWinOverThePresets() throws Exception {
    Files.writeString(dir.resolve("p.args"), "--runner=SparkRunner\n--sparkMaster=local[2]\n");
    Presets.Expanded expanded = presets(Map.of()).expand(List.of("--sparkMaster=local[1]", "--preset=p"));
    assertEquals(List.of("--runner=SparkRunner", "--sparkMaster=local[1]"), expanded.args());
  }

  @Test
  void withoutPresetTheArgumentsPassUnchanged() throws Exception {
    Presets.Expanded expanded = presets(Map.of()).expand(List.of("--a=1", "--b"));
    assertEquals(List.of("--a=1", "--b"), expanded.args());
    assertTrue(expanded.systemProperties().isEmpty());
  }

  @Test
  void unknownPresetNamesTheAvailableOnes() throws Exception {
    Files.writeString(dir.resolve("direct.args"), "--runner=DirectRunner\n");
    Files.writeString(dir.resolve("flink.args"), "--runner=FlinkRunner\n");
    InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> presets(Map.of()).expand(List.of("--preset=spark")));
    assertEquals("--preset=spark: no such preset (available: direct, flink)", e.getMessage());
  }

  @Test
  void unsetVariableIsAnErrorWithAHint() throws Exception {
    Files.writeString(dir.resolve("sa.args"), "--runner=SparkRunner\n--sparkMaster=${SPARK_MASTER}\n");
    InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> presets(Map.of()).load("sa"));
    assertTrue(e.getMessage().startsWith("preset sa line 2: ${SPARK_MASTER} is not set (start a cluster"), e.getMessage());
  }

  @Test
  void malformedLinesAndNamesAreRejected() throws Exception {
    Files.writeString(dir.resolve("bad.args"), "--runner=DirectRunner\nrunner DirectRunner\n");
    InvalidOptionException bad = assertThrows(InvalidOptionException.class, () -> presets(Map.of()).load("bad"));
    assertEquals("preset bad line 2: expected --option=value or -Dkey=value, got 'runner DirectRunner'", bad.getMessage());
    assertThrows(InvalidOptionException.class, () -> presets(Map.of()).load("../etc/passwd"));
    assertThrows(InvalidOptionException.class, () -> presets(Map.of()).expand(List.of("--preset=")));
    Files.writeString(dir.resolve("a.args"), "--x=1\n");
    assertThrows(InvalidOptionException.class, () -> presets(Map.of()).expand(List.of("--preset=a", "--preset=a")));
  }

  /** The presets shipped in configs/presets parse, and each selects the runner its name promises. */
  @Test
  void shippedPresetsParse() throws Exception {
    Path root = Paths.get(System.getProperty("iotbench.root", "..")).toAbsolutePath().normalize();
    ProjectLayout layout = new ProjectLayout(root);
    Presets shipped =
        new Presets(layout.presetsDir(), name -> switch (name) {
          case "IOTBENCH_HOME" -> root.toString();
          case "SPARK_MASTER" -> "spark://127.0.0.1:7077";
          case "SPARK_HOME" -> "/spark";
          default -> null;
        });
    assertEquals(List.of("direct", "flink", "spark-local", "spark-standalone", "yarn"), shipped.names());
    assertEquals("DirectRunner", shipped.load("direct").option("runner").orElseThrow());
    assertEquals("FlinkRunner", shipped.load("flink").option("runner").orElseThrow());
    assertEquals("local[2]", shipped.load("spark-local").option("sparkMaster").orElseThrow());
    Presets.Preset standalone = shipped.load("spark-standalone");
    assertEquals("spark://127.0.0.1:7077", standalone.option("sparkMaster").orElseThrow());
    assertEquals(layout.bundledJar().toString(), standalone.option("filesToStage").orElseThrow());
    Presets.Preset yarn = shipped.load("yarn");
    assertEquals("yarn", yarn.option("sparkMaster").orElseThrow());
    assertEquals("local:/spark/jars/*", yarn.systemProperties().get("spark.yarn.jars"));
  }
}
