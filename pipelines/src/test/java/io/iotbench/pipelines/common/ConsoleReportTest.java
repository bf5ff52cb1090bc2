package io.iotbench.pipelines.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConsoleReportTest {
  @Test
  void linesStartWithTheUtcTimeToTheSecondOrTheMillisecond() {
    Instant at = Instant.parse("2018-03-01T17:23:39.408123Z");
    assertEquals("2018-03-01T17:23:39Z: Creating file x", ConsoleReport.stampSeconds(at, "Creating file x"));
    assertEquals("2018-03-01T17:23:39.408Z: Interval 1", ConsoleReport.stampMillis(at, "Interval 1"));
    assertEquals("2018-03-01T17:23:39.000Z: x", ConsoleReport.stampMillis(Instant.parse("2018-03-01T17:23:39Z"), "x"));
  }

  @Test
  void sizesReadLikeTheOriginals() {
    // The original's own example: 1000 rows of 100 sensors and the label, 8 bytes each.
    assertEquals("789.1KB", ConsoleReport.size(1000L * 101 * 8));
    assertEquals("1.0KB", ConsoleReport.size(1024));
    assertEquals("1023B", ConsoleReport.size(1023));
    assertEquals("0B", ConsoleReport.size(0));
    assertEquals("770.6MB", ConsoleReport.size(808_000_000L));
    assertEquals("1.0GB", ConsoleReport.size(1L << 30));
    assertEquals("2.5TB", ConsoleReport.size(5L << 39));
  }
}
