package io.iotbench.it.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.it.harness.Iotbench;
import io.iotbench.runners.bench.ScoreBenchmark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iotbench bench-score} in its short modes.
 *
 * <p>Capacity: two fixed low rates (200 and 400 events/s, 1 device), 3 s warm-up and 5 s measured each, on the
 * DirectRunner (the SparkRunner's first decisions take longer than such a warm-up) and the baseline, run through
 * the launcher as a user would. The machine's speed is not asserted
 * (whether a rate met the SLO depends on it); what is: every run read decisions from the decisions topic, their
 * latencies are non-negative and bounded by the run's length, each verdict in the CSV is the SLO applied to the
 * row's own figures, the charts are PNG files, and the RESULT line holds, per scorer, the highest rate the CSV says
 * met the SLO.
 *
 * <p>Backlog: {@code --mode=backlog} at a small size ({@code -Dscore.bench.events}, default 30,000 events; 1 and 10
 * devices): it starts its own Kafka broker, pre-loads, times the plain consumer and scores on the SparkRunner, and
 * must end with a RESULT line holding every figure for every device count. The figures themselves are not
 * asserted (speed belongs in the benchmark's report, not in a test); that they are positive and finite is.
 */
class ScoreBenchmarkIT {
  private static final long EVENTS = Long.getLong("score.bench.events", 30_000);

  @Test
  void capacityAtTwoFixedRatesReportsConsistentVerdictsFromTheDecisionsTopic(@TempDir Path output) throws Exception {
    // About 2 minutes on a busy 2-core machine: a broker, then four scorer JVMs, each started, joined and stopped.
    Iotbench.Result run = Iotbench.run(Duration.ofSeconds(180), "bench-score", "--runners=direct", "--deviceCounts=1",
        "--rates=200,400", "--warmupSeconds=3", "--measureSeconds=5", "--startTimeoutSeconds=60",
        "--output=" + output);
    String all = String.join("\n", run.out()) + "\n" + String.join("\n", run.err());
    System.out.println(all);
    assertEquals(0, run.status(), all);

    List<String> csv = Files.readAllLines(output.resolve("capacity.csv"), StandardCharsets.UTF_8);
    assertEquals(5, csv.size(), String.join("\n", csv));
    Map<String, Double> met = new TreeMap<>(Map.of("direct", 0.0, "baseline", 0.0));
    for (String row : csv.subList(1, csv.size())) {
      String[] f = row.split(",", 13);
      String scorer = f[0];
      double offered = Double.parseDouble(f[2]);
      double achieved = Double.parseDouble(f[3]);
      double p50 = Double.parseDouble(f[4]);
      double p99 = Double.parseDouble(f[5]);
      double max = Double.parseDouble(f[6]);
      double slope = Double.parseDouble(f[7]);
      long decisions = Long.parseLong(f[9]);
      double firstDecision = Double.parseDouble(f[10]);
      boolean sloMet = Boolean.parseBoolean(f[11]);
      assertTrue(met.containsKey(scorer), row);
      assertTrue(decisions > 0, "no decisions read back: " + row);
      // The load runs 3 + 5 s and the scorer 3 s more: a first decision came within that, after the first event.
      assertTrue(firstDecision > 0 && firstDecision < 12, "first decision out of bounds: " + row);
      assertTrue(p50 >= 0 && p50 <= p99 && p99 <= max && max <= 30, "latencies out of bounds: " + row);
      assertTrue(achieved > 0 && achieved < 2 * offered, row);
      assertEquals(p99 <= 2.0 && slope <= 0.01 * offered && achieved >= 0.95 * offered, sloMet, row);
      if (sloMet) {
        met.put(scorer, Math.max(met.get(scorer), offered));
      }
    }
    for (String png : List.of("latency-vs-rate.png", "lag-direct-d1.png", "lag-baseline-d1.png")) {
      assertTrue(Files.size(output.resolve(png)) > 1000, png);
    }

    String result = run.out().get(run.out().size() - 1);
    assertTrue(result.startsWith("RESULT "), result);
    Map<String, Double> figures = new TreeMap<>();
    for (String pair : result.substring("RESULT ".length()).split(" ")) {
      String[] kv = pair.split("=");
      figures.put(kv[0], Double.parseDouble(kv[1]));
    }
    for (String scorer : met.keySet()) {
      assertEquals(met.get(scorer), figures.get(scorer + "_d1_capacity_events_per_s"), result);
      for (String key : List.of("_d1_p50_latency_s", "_d1_p99_latency_s")) {
        Double v = figures.get(scorer + key);
        assertTrue(v != null && (met.get(scorer) == 0 ? v.isNaN() : v >= 0 && v <= 2.0), scorer + key + ": " + result);
      }
    }
  }

  @Test
  void benchScoreEndsWithEveryFigureForEveryDeviceCount() throws Exception {
    PrintStream oldOut = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = ScoreBenchmark.command().execute("--mode=backlog", "--events=" + EVENTS, "--deviceCounts=1,10", "--runTimeoutSeconds=300");
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
