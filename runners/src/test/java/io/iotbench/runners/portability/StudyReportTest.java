package io.iotbench.runners.portability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyReportTest {
  @TempDir Path dir;

  private static final String SHA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  private static List<StudyResult> results() {
    return List.of(
        new StudyResult("generate", "direct", StudyResult.Outcome.RAN, 2.0, 1000, SHA, true, "reference"),
        new StudyResult("generate", "spark-local", StudyResult.Outcome.RAN, 4.0, 1000, SHA, true, ""),
        new StudyResult("generate", "flink", StudyResult.Outcome.RAN, 5.0, 999, "ff" + SHA.substring(2), false,
            "sorted record 3: direct has '1,0.5', this run has '1,0.6'"),
        new StudyResult("generate", "spark-standalone", StudyResult.Outcome.FAILED, 1.5, 0, "", false, "exit 1: boom, really"),
        StudyResult.skipped("generate", "yarn", "set HADOOP_CONF_DIR"));
  }

  @Test
  void markdownHasTheMatrixAndOneDetailRowPerRun() {
    String md = new StudyReport(results(), "Compared with direct.").markdown();
    List<String> lines = md.lines().toList();
    assertEquals("| pipeline | direct | spark-local | flink | spark-standalone | yarn |", lines.get(0));
    assertEquals("| generate | ✓ 2.0 s | ✓ 4.0 s | ✗ 5.0 s | ✗ failed | – skipped |", lines.get(2));
    assertTrue(md.contains("| generate | direct | 2.00 | 1000 | 500 | `0123456789abcdef` | ✓ | reference |"), md);
    assertTrue(md.contains("| generate | flink | 5.00 | 999 | 200 | `ff23456789abcdef` | ✗ | sorted record 3: direct has '1,0.5', this run has '1,0.6' |"), md);
    assertTrue(md.contains("| generate | yarn |  |  |  |  | – | set HADOOP_CONF_DIR |"), md);
  }

  @Test
  void csvHasAHeaderFullChecksumsAndQuotedNotes() {
    List<String> csv = new StudyReport(results(), "").csv().lines().toList();
    assertEquals(StudyReport.CSV_HEADER, csv.get(0));
    assertEquals("generate,direct,ran,2.000,1000,500.0," + SHA + ",true,reference", csv.get(1));
    assertEquals("generate,spark-standalone,failed,1.500,0,0.0,,,\"exit 1: boom, really\"", csv.get(4));
    assertEquals("generate,yarn,skipped,0.000,0,0.0,,,set HADOOP_CONF_DIR", csv.get(5));
    assertEquals(6, csv.size());
  }

  @Test
  void resultLineCountsMismatchesAndFailures() {
    StudyReport report = new StudyReport(results(), "");
    assertEquals("RESULT runs=4 equal=2 mismatches=2 failed=1 skipped=1", report.resultLine());
    assertFalse(report.allEqual());
    assertTrue(new StudyReport(results().subList(0, 2), "").allEqual());
  }

  @Test
  void writesTablesAndAChartOfTheRequestedSize() throws Exception {
    new StudyReport(results(), "").write(dir);
    assertTrue(Files.readString(dir.resolve("table.md")).startsWith("| pipeline |"));
    assertTrue(Files.readString(dir.resolve("table.csv")).startsWith(StudyReport.CSV_HEADER));
    Path png = dir.resolve("chart.png");
    StudyChart.write(results(), png, 640, 400);
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(640, image.getWidth());
    assertEquals(400, image.getHeight());
  }
}
