package io.iotbench.runners.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.iotbench.pipelines.score.Decision;
import io.iotbench.pipelines.score.DecisionsTopic;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ScoreBenchmarkTest {
  @Test
  void theConsoleTailKeepsTheLastLinesWithoutColours() {
    ConsoleTail tail = new ConsoleTail(2);
    try (PrintStream out = new PrintStream(tail, true, StandardCharsets.UTF_8)) {
      out.println("Interval 2: No input");
      out.println("Interval 3, device 7: \u001B[31mAttention needed (5 sensor events in interval)\u001B[0m");
      out.print("Interval 4: Everything is OK (1 sensor events in interval)\nunfinished");
    }
    assertEquals(List.of("Interval 3, device 7: Attention needed (5 sensor events in interval)",
        "Interval 4: Everything is OK (1 sensor events in interval)"), tail.lines());
  }

  private static DecisionsTopic.Published published(long windowEndMillis, long interval, String device, long wallMillis) {
    return new DecisionsTopic.Published(
        new Decision(windowEndMillis, interval, device, 5, 0.5, 0, false, false, false, false), wallMillis);
  }

  @Test
  void latenciesAreTakenFromThePublishedDecisionsOverTheRunAndItsSecondHalf() {
    long origin = 100_000;
    // Interval N ends at origin + N s; published at the wall times below.
    List<DecisionsTopic.Published> decisions = List.of(
        published(origin + 1_000, 1, "1", 110_000),
        published(origin + 2_000, 2, "7", 113_000),
        published(origin + 5_000, 5, "1", 116_500));

    Latencies l = Latencies.of(decisions);

    assertEquals(List.of(9.0, 11.0, 11.5), l.all());
    assertEquals(List.of(11.5), l.secondHalf()); // the span is 110.0-116.5 s, its second half from 113.25 s
    assertEquals(6.5, l.seconds());
  }

  @Test
  void aRunWithoutDecisionsFailsWithItsLastLines() {
    ScorerRun.Result run = new ScorerRun.Result(0, List.of("Interval 1: No input"));
    assertEquals("score made no decisions: Interval 1: No input", run.noDecisions().getMessage());
    assertThrows(IllegalArgumentException.class, () -> Latencies.of(List.of()));
  }

  @Test
  void theResultLineHoldsEveryFigureOfEveryDeviceCount() {
    List<ScoreFigures> all = List.of(new ScoreFigures(1, 500_000.4, 1.5, 2.25, 1.0, 1.125, 2_000_000, 10),
        new ScoreFigures(1000, 400_000, 3, 4, 2, 3.5, 3_000_000, 10_000));
    assertEquals("RESULT devices_1_events_per_s=500000 devices_1_p50_latency_s=1.500 devices_1_p99_latency_s=2.250"
        + " devices_1_second_half_p50_latency_s=1.000 devices_1_second_half_p99_latency_s=1.125"
        + " devices_1_consumer_events_per_s=2000000 devices_1000_events_per_s=400000 devices_1000_p50_latency_s=3.000"
        + " devices_1000_p99_latency_s=4.000 devices_1000_second_half_p50_latency_s=2.000"
        + " devices_1000_second_half_p99_latency_s=3.500 devices_1000_consumer_events_per_s=3000000",
        ScoreFigures.resultLine(all));
  }

  private static String[] errorOf(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cmd = ScoreBenchmark.command();
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new String[] {String.valueOf(code), err.toString().strip()};
  }

  @Test
  void aReadShareOutsideZeroToOneIsAnOptionError() {
    String[] e = errorOf("--sourceReadShare=1");
    assertEquals("2", e[0]);
    assertEquals("iotbench bench-score: error: --sourceReadShare=1.0: must be between 0 and 1", e[1]);
  }

  @Test
  void anUnknownOptionOrABadNumberIsAnOptionError() {
    String[] e = errorOf("--deviceCounts=1,x");
    assertEquals("2", e[0]);
    assertEquals("iotbench bench-score: error: --deviceCounts=x: not a whole number", e[1]);
    assertEquals("2", errorOf("--eventz=3")[0]);
  }

  @Test
  void aBadModeRunnerOrRateIsAnOptionError() {
    String[] e = errorOf("--mode=fast");
    assertEquals("2", e[0]);
    assertEquals("iotbench bench-score: error: --mode=fast: expected capacity or backlog", e[1]);
    e = errorOf("--runners=spark,storm");
    assertEquals("2", e[0]);
    assertEquals("iotbench bench-score: error: --runners=storm: expected spark, flink or direct", e[1]);
    e = errorOf("--rates=100,-5");
    assertEquals("2", e[0]);
    assertEquals("iotbench bench-score: error: --rates=100,-5: must be positive", e[1]);
    assertEquals("2", errorOf("--measureSeconds=1")[0]);
  }

  @Test
  void eachRunnerScoresWithItsPresetAndSparkWithItsMicroBatchSettings() {
    java.nio.file.Path dir = java.nio.file.Path.of("/tmp/run");
    assertEquals(List.of("--preset=spark-local", "--batchIntervalMillis=1000", "--readTimePercentage=0.5",
        "--checkpointDir=file:///tmp/run/checkpoint"), CapacityRun.runnerArgs("spark", 1000, 0.5, dir));
    assertEquals(List.of("--preset=flink"), CapacityRun.runnerArgs("flink", 1000, 0.5, dir));
    assertEquals(List.of("--preset=direct"), CapacityRun.runnerArgs("direct", 1000, 0.5, dir));
  }
}
