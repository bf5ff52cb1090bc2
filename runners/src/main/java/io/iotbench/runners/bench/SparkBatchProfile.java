package io.iotbench.runners.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotbench.model.support.Stats;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where a SparkRunner scorer's micro-batches spend their time, read from Spark's own event log (the scorer runs with
 * {@code spark.eventLog.enabled}): for the batches that started running in the measured span (whatever their batch
 * time: a scorer far behind runs the warm-up's batches in the span), the median scheduling delay (a job's start
 * &minus; its batch time: how far Spark is behind), the median processing time (first job's start to last job's end)
 * and each kind of stage's median duration and count per batch. A batch's jobs carry its time in the job property
 * {@code spark.streaming.internal.batchTime}; Spark streaming runs one batch's jobs after the other's. The jobs Spark
 * runs while it generates a batch (Beam's source reads then) have no batch time: their stages count when they
 * started in the span.
 *
 * @param batches batches whose first job started in the span
 * @param schedulingDelaySeconds median scheduling delay, NaN without batches
 * @param processingSeconds median processing time
 * @param stages per stage name (Spark's call site: the Beam translation that made it): median seconds and stages per
 *     batch, the slowest first
 */
record SparkBatchProfile(int batches, double schedulingDelaySeconds, double processingSeconds, Map<String, Stage> stages) {

  /** One kind of stage: its median duration and how many ran per batch. */
  record Stage(double medianSeconds, double perBatch) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  /** The batch of the stages of jobs run while a batch is generated. */
  private static final long GENERATION = Long.MIN_VALUE;

  /** The profile of the batches started in [fromMillis, toMillis], from every event log file in {@code dir}. */
  static SparkBatchProfile read(Path dir, long fromMillis, long toMillis) throws IOException {
    List<JsonNode> events = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.sorted().toList()) {
          try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
              JsonNode e = parse(line);
              if (e != null) {
                events.add(e);
              }
            }
          }
        }
      }
    }
    return of(events, fromMillis, toMillis);
  }

  /** A line of the log; null for a line cut short (the scorer is stopped while Spark writes). */
  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      return null;
    }
  }

  /** The profile of the batches started in [fromMillis, toMillis], from Spark listener events (JSON lines). */
  static SparkBatchProfile of(List<JsonNode> events, long fromMillis, long toMillis) {
    Map<Integer, Long> batchOfJob = new HashMap<>();
    Map<Long, long[]> span = new TreeMap<>(); // batch time -> {first job start, last job end}
    Map<Integer, Long> batchOfStage = new HashMap<>();
    Set<Long> seen = new HashSet<>();
    Map<String, List<Double>> stageSeconds = new LinkedHashMap<>();
    for (JsonNode e : events) {
      switch (e.path("Event").asText()) {
        case "SparkListenerJobStart" -> {
          String time = e.path("Properties").path("spark.streaming.internal.batchTime").asText("");
          long start = e.path("Submission Time").asLong();
          if (time.isEmpty()) {
            // Not a batch's job: Beam's source is read by a job Spark runs when it generates a batch, on time
            // however far the batches' jobs are behind. Its stages count when the job started in the span.
            if (start >= fromMillis && start <= toMillis) {
              for (JsonNode stage : e.path("Stage Infos")) {
                batchOfStage.put(stage.path("Stage ID").asInt(), GENERATION);
              }
            }
            break;
          }
          long batch = Long.parseLong(time);
          if (seen.add(batch) && start >= fromMillis && start <= toMillis) {
            span.put(batch, new long[] {start, -1}); // a batch belongs to the span when its first job started in it
          }
          if (!span.containsKey(batch)) {
            break;
          }
          batchOfJob.put(e.path("Job ID").asInt(), batch);
          for (JsonNode stage : e.path("Stage Infos")) {
            batchOfStage.put(stage.path("Stage ID").asInt(), batch);
          }
        }
        case "SparkListenerJobEnd" -> {
          Long batch = batchOfJob.get(e.path("Job ID").asInt());
          if (batch != null) {
            span.get(batch)[1] = Math.max(span.get(batch)[1], e.path("Completion Time").asLong());
          }
        }
        case "SparkListenerStageCompleted" -> {
          JsonNode info = e.path("Stage Info");
          if (batchOfStage.containsKey(info.path("Stage ID").asInt()) && info.has("Submission Time")) {
            stageSeconds.computeIfAbsent(info.path("Stage Name").asText(), k -> new ArrayList<>())
                .add((info.path("Completion Time").asLong() - info.path("Submission Time").asLong()) / 1000.0);
          }
        }
        default -> { }
      }
    }
    List<Double> delays = new ArrayList<>();
    List<Double> processing = new ArrayList<>();
    span.forEach((batch, s) -> {
      delays.add((s[0] - batch) / 1000.0);
      if (s[1] >= s[0]) {
        processing.add((s[1] - s[0]) / 1000.0);
      }
    });
    int batches = span.size();
    Map<String, Stage> stages = new LinkedHashMap<>();
    stageSeconds.entrySet().stream()
        .sorted((a, b) -> Double.compare(Stats.median(b.getValue()) * b.getValue().size(),
            Stats.median(a.getValue()) * a.getValue().size()))
        .forEach(en -> stages.put(en.getKey(),
            new Stage(Stats.median(en.getValue()), en.getValue().size() / (double) Math.max(1, batches))));
    return new SparkBatchProfile(batches, delays.isEmpty() ? Double.NaN : Stats.median(delays),
        processing.isEmpty() ? Double.NaN : Stats.median(processing), stages);
  }

  /** Lines for the console: the batches' medians, then one line per kind of stage. */
  List<String> lines() {
    List<String> out = new ArrayList<>();
    out.add(String.format(Locale.ROOT, "  Spark batches in the span: %d, median scheduling delay %.2f s, median "
        + "processing %.2f s", batches, schedulingDelaySeconds, processingSeconds));
    stages.forEach((name, s) -> out.add(String.format(Locale.ROOT, "    %6.3f s x %.1f per batch  %s",
        s.medianSeconds(), s.perBatch(), name)));
    return out;
  }
}
