package io.iotbench.runners.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoreBenchmarkTest {
  @Test
  void percentilesAreNearestRank() {
    List<Double> values = List.of(5.0, 1.0, 4.0, 2.0, 3.0, 10.0, 9.0, 8.0, 7.0, 6.0);
    assertEquals(5.0, Stats.percentile(values, 50));
    assertEquals(10.0, Stats.percentile(values, 99));
    assertEquals(1.0, Stats.percentile(values, 1));
    assertEquals(3.5, Stats.percentile(List.of(3.5), 99));
  }

  @Test
  void timedLinesSplitsTheReportAndDropsColours() {
    ScoreBenchmark.TimedLines lines = new ScoreBenchmark.TimedLines();
    long before = System.currentTimeMillis();
    try (PrintStream out = new PrintStream(lines, true, StandardCharsets.UTF_8)) {
      out.println("Interval 3, device 7: \u001B[31mAttention needed (5 sensor events in interval)\u001B[0m");
      out.print("Interval 4: Everything is OK (1 sensor events in interval)\nunfinished");
    }
    assertEquals(2, lines.lines.size());
    assertEquals("Interval 3, device 7: Attention needed (5 sensor events in interval)", lines.lines.get(0).text());
    assertTrue(lines.lines.get(1).wallMillis() >= before);
    assertEquals(List.of("Interval 4: Everything is OK (1 sensor events in interval)"), lines.last(1));
  }
}
