package io.iotbench.runners.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.InvalidOptionException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoreBenchmarkTest {
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

  @Test
  void latenciesAreTakenFromTheReportLinesOverTheRunAndItsSecondHalf() {
    ScoreBenchmark.TimedLines lines = new ScoreBenchmark.TimedLines();
    long origin = 100_000;
    // Interval N ends at origin + N s; printed at the wall times below.
    lines.lines.add(new ScoreBenchmark.TimedLines.Line("Interval 1: Attention needed (5 sensor events in interval)", 110_000));
    lines.lines.add(new ScoreBenchmark.TimedLines.Line("Interval 2: No input", 111_000));
    lines.lines.add(new ScoreBenchmark.TimedLines.Line("Interval 2, device 7: Everything is OK (1 sensor events in interval)", 113_000));
    lines.lines.add(new ScoreBenchmark.TimedLines.Line("3000 events received in 5.00 seconds", 114_000));
    lines.lines.add(new ScoreBenchmark.TimedLines.Line("Interval 5: Everything is OK (9 sensor events in interval)", 116_500));

    ScoreBenchmark.Latencies l = ScoreBenchmark.Latencies.of(lines, origin);

    assertEquals(List.of(9.0, 11.0, 11.5), l.all());
    assertEquals(List.of(11.5), l.secondHalf()); // the span is 110.0-116.5 s, its second half from 113.25 s
    assertEquals(6.5, l.seconds());
  }

  @Test
  void aRunWithoutDecisionsFailsWithItsLastLines() {
    ScoreBenchmark.TimedLines lines = new ScoreBenchmark.TimedLines();
    lines.lines.add(new ScoreBenchmark.TimedLines.Line("Interval 1: No input", 1_000));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ScoreBenchmark.Latencies.of(lines, 0));
    assertEquals("score made no decisions: Interval 1: No input", e.getMessage());
  }

  @Test
  void aReadShareOutsideZeroToOneIsAnOptionError() {
    ScoreBenchmark.Options o = Cli.parse(new String[] {"--sourceReadShare=1"}, ScoreBenchmark.Options.class);
    InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> ScoreBenchmark.run(o));
    assertEquals("--sourceReadShare=1.0: must be between 0 and 1", e.getMessage());
  }
}
