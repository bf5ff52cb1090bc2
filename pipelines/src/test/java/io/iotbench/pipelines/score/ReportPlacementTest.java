package io.iotbench.pipelines.score;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.common.Cli;
import org.junit.jupiter.api.Test;

/** Whether the scorer's DoFns print on the launching console: local masters yes, clusters no. */
class ReportPlacementTest {
  @Test
  void localMastersPrintHereClustersDoNot() {
    assertTrue(ReportPlacement.inThisJvm("DirectRunner", null));
    assertTrue(ReportPlacement.inThisJvm("TestDirectRunner", null));
    assertTrue(ReportPlacement.inThisJvm("SparkRunner", "local[2]"));
    assertTrue(ReportPlacement.inThisJvm("SparkRunner", "local[*]"));
    assertTrue(ReportPlacement.inThisJvm("SparkRunner", "local"));
    assertTrue(ReportPlacement.inThisJvm("TestSparkRunner", "local[4]"));
    assertFalse(ReportPlacement.inThisJvm("SparkRunner", "spark://127.0.0.1:7077"));
    assertFalse(ReportPlacement.inThisJvm("SparkRunner", "yarn"));
    assertFalse(ReportPlacement.inThisJvm("SparkRunner", "k8s://https://10.0.0.1:6443"));
    assertFalse(ReportPlacement.inThisJvm("SparkRunner", "local-cluster[2,1,1024]"));
    assertTrue(ReportPlacement.inThisJvm("FlinkRunner", "[local]"));
    assertTrue(ReportPlacement.inThisJvm("FlinkRunner", "[auto]"));
    assertTrue(ReportPlacement.inThisJvm("FlinkRunner", "[collection]"));
    assertFalse(ReportPlacement.inThisJvm("FlinkRunner", "127.0.0.1:8081"));
  }

  @Test
  void theSparkMasterComesFromTheOptionsOrFromSparkSubmit() {
    ScoreSensorStream.Options cluster = Cli.parse(new String[] {"--runner=SparkRunner", "--sparkMaster=spark://127.0.0.1:7077",
        "--model=m"}, ScoreSensorStream.Options.class);
    ScoreSensorStream.Options local = Cli.parse(new String[] {"--runner=SparkRunner", "--sparkMaster=local[2]", "--model=m"},
        ScoreSensorStream.Options.class);
    String before = System.getProperty("spark.master");
    try {
      System.clearProperty("spark.master");
      assertFalse(ReportPlacement.inThisJvm(cluster));
      assertTrue(ReportPlacement.inThisJvm(local));
      // spark-submit --master yarn sets spark.master, which wins over --sparkMaster in the SparkRunner too.
      System.setProperty("spark.master", "yarn");
      assertFalse(ReportPlacement.inThisJvm(local));
    } finally {
      if (before == null) {
        System.clearProperty("spark.master");
      } else {
        System.setProperty("spark.master", before);
      }
    }
    assertTrue(ReportPlacement.inThisJvm(Cli.parse(new String[] {"--runner=DirectRunner", "--model=m"}, ScoreSensorStream.Options.class)));
  }
}
