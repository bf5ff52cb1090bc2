package io.iotbench.it.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.runners.bench.ScoreBenchmark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code iotbench bench-score} at a small size ({@code -Dscore.bench.events}, default 30,000 events; 1 and 10
 * devices): it starts its own Kafka broker, pre-loads, times the plain consumer and scores on the SparkRunner, and
 * must end with a RESULT line holding every figure for every device count. The figures themselves are not
 * asserted (speed belongs in the benchmark's report, not in a test); that they are positive and finite is.
 */
class ScoreBenchmarkIT {
  private static final long EVENTS = Long.getLong("score.bench.events", 30_000);

  @Test
  void benchScoreEndsWithEveryFigureForEveryDeviceCount() throws Exception {
    PrintStream oldOut = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = ScoreBenchmark.command().execute("--events=" + EVENTS, "--deviceCounts=1,10", "--runTimeoutSeconds=300");
    } finally {
      System.setOut(oldOut);
    }
    List<String> lines = List.of(out.toString(StandardCharsets.UTF_8).split("\n"));
    System.out.println(String.join("\n", lines));
    assertEquals(0, code, String.join("\n", lines));
    String result = lines.get(lines.size() - 1);
    assertTrue(result.startsWith("RESULT "), result);
    Map<String, Double> figures = new TreeMap<>();
    for (String pair : result.substring("RESULT ".length()).split(" ")) {
      String[] kv = pair.split("=");
      figures.put(kv[0], Double.parseDouble(kv[1]));
    }
    for (int devices : new int[] {1, 10}) {
      for (String key : List.of("events_per_s", "p50_latency_s", "p99_latency_s", "second_half_p50_latency_s",
          "second_half_p99_latency_s", "consumer_events_per_s")) {
        Double value = figures.get("devices_" + devices + "_" + key);
        assertTrue(value != null && Double.isFinite(value) && value >= 0, key + " of " + devices + ": " + result);
      }
      assertTrue(figures.get("devices_" + devices + "_events_per_s") > 0, result);
    }
  }
}
