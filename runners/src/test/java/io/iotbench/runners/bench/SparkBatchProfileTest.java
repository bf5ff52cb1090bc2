package io.iotbench.runners.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkBatchProfileTest {

  /** The listener events of one batch: a read job (one stage) and a write job (one stage). */
  private static List<String> batch(long batchTime, int firstJob, long start, long readMillis, long writeMillis) {
    String props = "{\"spark.streaming.internal.batchTime\":\"" + batchTime + "\"}";
    int readStage = firstJob * 10;
    int writeStage = readStage + 1;
    long readEnd = start + readMillis;
    long writeEnd = readEnd + writeMillis;
    return List.of(
        jobStart(firstJob, start, readStage, props),
        stageCompleted(readStage, "DStream at SparkUnboundedSource.java:174", start, readEnd),
        "{\"Event\":\"SparkListenerJobEnd\",\"Job ID\":" + firstJob + ",\"Completion Time\":" + readEnd + "}",
        jobStart(firstJob + 1, readEnd, writeStage, props),
        stageCompleted(writeStage, "foreach at UnboundedDataset.java:79", readEnd, writeEnd),
        "{\"Event\":\"SparkListenerJobEnd\",\"Job ID\":" + (firstJob + 1) + ",\"Completion Time\":" + writeEnd + "}");
  }

  private static String jobStart(int job, long time, int stage, String props) {
    return "{\"Event\":\"SparkListenerJobStart\",\"Job ID\":" + job + ",\"Submission Time\":" + time
        + ",\"Stage Infos\":[{\"Stage ID\":" + stage + "}],\"Properties\":" + props + "}";
  }

  private static String stageCompleted(int stage, String name, long start, long end) {
    return "{\"Event\":\"SparkListenerStageCompleted\",\"Stage Info\":{\"Stage ID\":" + stage + ",\"Stage Name\":\""
        + name + "\",\"Submission Time\":" + start + ",\"Completion Time\":" + end + "}}";
  }

  @Test
  void mediansOfTheSpansBatchesFromTheEventLog(@TempDir Path dir) throws Exception {
    List<String> log = new ArrayList<>();
    log.add("{\"Event\":\"SparkListenerApplicationStart\",\"App Name\":\"score\"}");
    log.addAll(batch(9_000, 1, 9_100, 900, 900)); // before the span: ignored
    log.addAll(batch(10_000, 3, 10_200, 300, 100)); // delay 0.2 s, processing 0.4 s
    log.addAll(batch(11_000, 5, 11_500, 200, 100)); // delay 0.5 s, processing 0.3 s
    log.addAll(batch(12_000, 7, 13_000, 400, 300)); // delay 1.0 s, processing 0.7 s (its write job after the span)
    log.addAll(batch(13_000, 9, 13_500, 100, 100)); // started after the span: ignored
    // A read at a batch's generation (no batch time), in the span and after it.
    log.add(jobStart(99, 12_500, 990, "{}"));
    log.add(stageCompleted(990, "mapWithState at SparkUnboundedSource.java:106", 12_500, 13_100));
    log.add(jobStart(100, 13_500, 1000, "{}"));
    log.add(stageCompleted(1000, "mapWithState at SparkUnboundedSource.java:106", 13_500, 13_600));
    log.add("{\"Event\":\"SparkListenerJobEnd\",\"Job"); // cut short by the stop
    Files.write(dir.resolve("local-1.inprogress"), log, StandardCharsets.UTF_8);

    SparkBatchProfile p = SparkBatchProfile.read(dir, 10_000, 13_200);
    assertEquals(3, p.batches());
    assertEquals(0.5, p.schedulingDelaySeconds(), 1e-9);
    assertEquals(0.4, p.processingSeconds(), 1e-9);
    assertEquals(List.of("DStream at SparkUnboundedSource.java:174", "mapWithState at SparkUnboundedSource.java:106",
        "foreach at UnboundedDataset.java:79"), List.copyOf(p.stages().keySet()));
    assertEquals(new SparkBatchProfile.Stage(0.6, 1 / 3.0), p.stages().get("mapWithState at SparkUnboundedSource.java:106"));
    assertEquals(new SparkBatchProfile.Stage(0.3, 1.0), p.stages().get("DStream at SparkUnboundedSource.java:174"));
    assertEquals(new SparkBatchProfile.Stage(0.1, 1.0), p.stages().get("foreach at UnboundedDataset.java:79"));
    List<String> lines = p.lines();
    assertEquals("  Spark batches in the span: 3, median scheduling delay 0.50 s, median processing 0.40 s",
        lines.get(0));
    assertEquals("     0.300 s x 1.0 per batch  DStream at SparkUnboundedSource.java:174", lines.get(1));
  }

  @Test
  void noLogMeansNoBatches(@TempDir Path dir) throws Exception {
    SparkBatchProfile p = SparkBatchProfile.read(dir.resolve("absent"), 0, 1);
    assertEquals(0, p.batches());
    assertTrue(Double.isNaN(p.schedulingDelaySeconds()));
    assertEquals(Map.of(), p.stages());
  }
}
