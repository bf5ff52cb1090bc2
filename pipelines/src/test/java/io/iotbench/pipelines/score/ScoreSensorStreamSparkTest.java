package io.iotbench.pipelines.score;

import static io.iotbench.pipelines.score.ScoreFixtures.at;
import static io.iotbench.pipelines.score.ScoreFixtures.csv;
import static io.iotbench.pipelines.score.ScoreFixtures.decision;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.runners.spark.io.CreateStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scorer on the SparkRunner in streaming mode, fed by {@link CreateStream}: all events of four intervals
 * arrive in one micro-batch, so the four windows fire together and may reach the per-device state in any
 * order. The newest decision per interval must equal in-order processing.
 */
class ScoreSensorStreamSparkTest {
  /** Decisions collected in emission order; Spark runs local[2] in this JVM. */
  static final ConcurrentLinkedQueue<Decision> SEEN = new ConcurrentLinkedQueue<>();

  /** Dead letters collected, as above. */
  static final ConcurrentLinkedQueue<io.iotbench.pipelines.common.DeadLetter> LETTERS = new ConcurrentLinkedQueue<>();

  @TempDir Path temp;

  static final class CollectLettersFn extends DoFn<io.iotbench.pipelines.common.DeadLetter, Void> {
    @ProcessElement
    public void process(@Element io.iotbench.pipelines.common.DeadLetter d) {
      LETTERS.add(d);
    }
  }

  static final class CollectFn extends DoFn<Decision, Void> {
    @ProcessElement
    public void process(@Element Decision d) {
      SEEN.add(d);
    }
  }

  /**
   * One interval per micro-batch, in order, then batches with only the watermark moving past every window's
   * allowed lateness. The SparkRunner keeps firing a closed window's expired timers (apache/beam#9567): each
   * batch emitted an empty on-time pane per window, which the scorer took for a revision of that interval.
   * Exactly one decision per interval, none revised, none empty.
   */
  @Test
  void windowsPastTheirLatenessFireOnce() throws Exception {
    Path model = ScoreFixtures.writeModel(temp.resolve("model"), 3);
    String[] spark = {"--runner=TestSparkRunner", "--sparkMaster=local[2]", "--streaming=true",
        "--batchIntervalMillis=500", "--checkpointDir=" + temp.resolve("checkpoint")};
    ScoreSensorStream.Options o = ScoreFixtures.options(spark, model, "--allowedLateness=1");
    Pipeline p = Pipeline.create(o);
    CreateStream<String> stream = CreateStream.of(StringUtf8Coder.of(), Duration.millis(500))
        .emptyBatch()
        .advanceWatermarkForNextBatch(at(0));
    for (int i = 0; i < 4; i++) {
      stream = stream.nextBatch(TimestampedValue.of(csv(i * 1000L + 100, i % 3 + 1, 0.1 * (i + 1)), at(i * 1000L + 100)))
          .advanceWatermarkForNextBatch(at((i + 1) * 1000L));
    }
    for (int i = 5; i < 12; i++) {
      stream = stream.emptyBatch().advanceWatermarkForNextBatch(at(i * 1000L));
    }
    stream = stream.advanceNextBatchWatermarkToInfinity();
    SEEN.clear();
    ScoreSensorStream.Outputs outputs =
        ScoreSensorStream.scoreRecords(p.apply("Events", stream), o, ScoreFixtures.numbering(), false);
    outputs.decisions().apply("Collect", ParDo.of(new CollectFn()));
    p.run().waitUntilFinish(Duration.standardSeconds(60));

    List<Long> intervals = SEEN.stream().map(Decision::interval).sorted().toList();
    assertEquals(List.of(1L, 2L, 3L, 4L), intervals, "decisions: " + SEEN);
    for (Decision d : SEEN) {
      assertEquals(1, d.events(), "events of " + d);
      assertEquals(false, d.revised() || d.outOfOrder() || d.late(), "flags of " + d);
    }
  }

  @Test
  void severalWindowsInOneMicroBatchGiveTheInOrderDecisions() throws Exception {
    Path model = ScoreFixtures.writeModel(temp.resolve("model"), 3);
    String[] spark = {"--runner=TestSparkRunner", "--sparkMaster=local[2]", "--streaming=true",
        "--batchIntervalMillis=500", "--checkpointDir=" + temp.resolve("checkpoint")};
    ScoreSensorStream.Options o = ScoreFixtures.options(spark, model);
    Pipeline p = Pipeline.create(o);
    CreateStream<String> stream = CreateStream.of(StringUtf8Coder.of(), Duration.millis(500))
        .emptyBatch()
        .advanceWatermarkForNextBatch(at(0))
        .nextBatch(
            TimestampedValue.of(csv(3100, 3, 0.2), at(3100)),
            TimestampedValue.of(csv(100, 1, 0.9), at(100)),
            TimestampedValue.of(csv(2100, 2, 0.8), at(2100)),
            TimestampedValue.of(csv(200, 3, 0.9), at(200)),
            TimestampedValue.of(csv(1100, 1, 0.1), at(1100)))
        .advanceNextBatchWatermarkToInfinity();
    SEEN.clear();
    ScoreSensorStream.Outputs outputs =
        ScoreSensorStream.scoreRecords(p.apply("Events", stream), o, ScoreFixtures.numbering(), false);
    outputs.decisions().apply("Collect", ParDo.of(new CollectFn()));
    PipelineResult result = p.run();
    result.waitUntilFinish(Duration.standardSeconds(60));

    Map<Long, Decision> newest = new LinkedHashMap<>();
    for (Decision d : SEEN) {
      newest.put(d.interval(), d);
    }
    List<Decision> inOrder = List.of(
        decision("1", 1, 2, new double[] {0.9, 0.5, 0.9}, false, false, false),
        decision("1", 2, 1, new double[] {0.1, 0.5, 0.9}, false, false, false),
        decision("1", 3, 1, new double[] {0.1, 0.8, 0.9}, false, false, false),
        decision("1", 4, 1, new double[] {0.1, 0.8, 0.2}, false, false, false));
    assertEquals(4, newest.size(), "decisions: " + SEEN);
    for (Decision expected : inOrder) {
      Decision got = newest.get(expected.interval());
      assertEquals(expected.probability(), got.probability(), 0.0, "interval " + expected.interval() + ", all: " + SEEN);
      assertEquals(expected.label(), got.label());
      assertEquals(expected.events(), got.events());
    }
  }

  /**
   * Beam 2.62's SparkRunner has no timers in streaming, so the idle rule is applied when a device comes back:
   * device a, silent for 20 s with a 10 s timeout, starts again from 0.5 and is counted once; device b, silent
   * for 9 s, keeps its values.
   */
  @Test
  void aDeviceBackAfterTheIdleTimeoutStartsAgainFrom05() throws Exception {
    Path model = ScoreFixtures.writeModel(temp.resolve("model"), 3);
    String[] spark = {"--runner=TestSparkRunner", "--sparkMaster=local[2]", "--streaming=true",
        "--batchIntervalMillis=500", "--checkpointDir=" + temp.resolve("checkpoint")};
    ScoreSensorStream.Options o = ScoreFixtures.options(spark, model, "--deviceIdleTimeout=10", "--allowedLateness=1");
    Pipeline p = Pipeline.create(o);
    CreateStream<String> stream = CreateStream.of(StringUtf8Coder.of(), Duration.millis(500))
        .emptyBatch()
        .advanceWatermarkForNextBatch(at(0))
        .nextBatch(
            TimestampedValue.of(csv(100, 1, 0.9, "a"), at(100)),
            TimestampedValue.of(csv(200, 2, 0.9, "a"), at(200)),
            TimestampedValue.of(csv(300, 1, 0.9, "b"), at(300)))
        .advanceWatermarkForNextBatch(at(2000))
        .emptyBatch()
        .advanceWatermarkForNextBatch(at(9000))
        .nextBatch(TimestampedValue.of(csv(9100, 3, 0.95, "b"), at(9100)))
        .advanceWatermarkForNextBatch(at(20_000))
        .emptyBatch()
        .advanceWatermarkForNextBatch(at(20_100))
        .nextBatch(TimestampedValue.of(csv(20_200, 3, 0.95, "a"), at(20_200)))
        .advanceWatermarkForNextBatch(at(23_000))
        .emptyBatch()
        .advanceWatermarkForNextBatch(at(25_000))
        .emptyBatch()
        .advanceNextBatchWatermarkToInfinity();
    SEEN.clear();
    ScoreSensorStream.Outputs outputs =
        ScoreSensorStream.scoreRecords(p.apply("Events", stream), o, ScoreFixtures.numbering(), false);
    outputs.decisions().apply("Collect", ParDo.of(new CollectFn()));
    PipelineResult result = p.run();
    result.waitUntilFinish(Duration.standardSeconds(60));

    Map<String, Decision> newest = new LinkedHashMap<>();
    for (Decision d : SEEN) {
      newest.put(d.device() + "/" + d.interval(), d);
    }
    List<Decision> expected = List.of(
        decision("a", 1, 2, new double[] {0.9, 0.9, 0.5}, false, false, false),
        decision("b", 1, 1, new double[] {0.9, 0.5, 0.5}, false, false, false),
        decision("b", 10, 1, new double[] {0.9, 0.5, 0.95}, false, false, false),
        decision("a", 21, 1, new double[] {0.5, 0.5, 0.95}, false, false, false));
    assertEquals(4, newest.size(), "decisions: " + SEEN);
    for (Decision e : expected) {
      Decision got = newest.get(e.device() + "/" + e.interval());
      assertEquals(e.probability(), got == null ? Double.NaN : got.probability(), 0.0, e.device() + "/" + e.interval() + ", all: " + SEEN);
    }
    assertEquals(1, io.iotbench.pipelines.common.PipelineCounters.get(
        result, ScoreIntervals.ScoreIntervalFn.class, ScoreIntervals.DEVICES_EXPIRED));
  }

  /**
   * The defect the scorer works around: a stateful DoFn with a timer fails when a SparkRunner streaming pipeline
   * is translated. When a Beam upgrade makes this test fail, the scorer can use its expiry timer on Spark too
   * ({@code RunnerSettings.timersInStreaming}).
   */
  @Test
  void theSparkRunnerRejectsTimersInStreaming() throws Exception {
    Path model = ScoreFixtures.writeModel(temp.resolve("model"), 3);
    String[] spark = {"--runner=TestSparkRunner", "--sparkMaster=local[2]", "--streaming=true",
        "--batchIntervalMillis=500", "--checkpointDir=" + temp.resolve("checkpoint")};
    ScoreSensorStream.Options o = ScoreFixtures.options(spark, model);
    Pipeline p = Pipeline.create(o);
    CreateStream<String> stream = CreateStream.of(StringUtf8Coder.of(), Duration.millis(500))
        .nextBatch(TimestampedValue.of("x", at(100)))
        .advanceNextBatchWatermarkToInfinity();
    p.apply("Events", stream)
        .apply("KeyByDevice", org.apache.beam.sdk.transforms.MapElements
            .into(org.apache.beam.sdk.values.TypeDescriptors.kvs(
                org.apache.beam.sdk.values.TypeDescriptors.strings(),
                org.apache.beam.sdk.values.TypeDescriptor.of(IntervalUpdate.class)))
            .via((String s) -> org.apache.beam.sdk.values.KV.of(s, new IntervalUpdate(3))))
        .setCoder(org.apache.beam.sdk.coders.KvCoder.of(StringUtf8Coder.of(), IntervalUpdate.Coder.of()))
        .apply("ScoreWithTimers", ParDo.of(new ScoreIntervals.ScoreIntervalFn(
            new ScoreIntervals.IntervalScorer(3, model.toString(), ScoreFixtures.numbering(), 1000, 10_000))));
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, p::run);
    String all = e + " " + e.getCause();
    org.junit.jupiter.api.Assertions.assertTrue(all.contains("cannot yet be used with timers"), all);
    org.junit.jupiter.api.Assertions.assertFalse(RunnerSettings.timersInStreaming(o));
  }

  /**
   * A year-2100 event and a year-300000 event among the first interval's events: each is one dead letter, and every
   * later interval is still decided, in order and on time.
   */
  @Test
  void farFutureAndOutOfRangeEventsAreDeadLettersAndLaterIntervalsAreDecided() throws Exception {
    Path model = ScoreFixtures.writeModel(temp.resolve("model"), 3);
    String[] spark = {"--runner=TestSparkRunner", "--sparkMaster=local[2]", "--streaming=true",
        "--batchIntervalMillis=500", "--checkpointDir=" + temp.resolve("checkpoint")};
    ScoreSensorStream.Options o = ScoreFixtures.options(spark, model, "--allowedLateness=1");
    Pipeline p = Pipeline.create(o);
    String future = "2100-01-01T00:00:00.000Z,1,Sensor 1,0.9";
    String far = "+300000-01-01T00:00:00.000Z,2,Sensor 2,0.9";
    CreateStream<String> stream = CreateStream.of(StringUtf8Coder.of(), Duration.millis(500))
        .emptyBatch()
        .advanceWatermarkForNextBatch(at(0))
        .nextBatch(TimestampedValue.of(csv(100, 1, 0.9), at(100)), TimestampedValue.of(future, at(100)),
            TimestampedValue.of(far + "\n" + csv(200, 2, 0.9), at(100)))
        .advanceWatermarkForNextBatch(at(1000));
    for (int i = 1; i < 4; i++) {
      stream = stream.nextBatch(TimestampedValue.of(csv(i * 1000L + 100, 3, 0.1 * i), at(i * 1000L + 100)))
          .advanceWatermarkForNextBatch(at((i + 1) * 1000L));
    }
    stream = stream.advanceNextBatchWatermarkToInfinity();
    SEEN.clear();
    LETTERS.clear();
    ScoreSensorStream.Outputs outputs =
        ScoreSensorStream.scoreRecords(p.apply("Events", stream), o, ScoreFixtures.numbering(), true);
    outputs.decisions().apply("Collect", ParDo.of(new CollectFn()));
    outputs.deadLetters().apply("CollectLetters", ParDo.of(new CollectLettersFn()));
    p.run().waitUntilFinish(Duration.standardSeconds(60));

    List<Long> intervals = SEEN.stream().map(Decision::interval).distinct().sorted().toList();
    assertEquals(List.of(1L, 2L, 3L, 4L), intervals, "decisions: " + SEEN);
    for (Decision d : SEEN) {
      assertEquals(false, d.late(), "flags of " + d);
    }
    assertEquals(List.of("badTimestamp", "futureTimestamp"),
        LETTERS.stream().map(io.iotbench.pipelines.common.DeadLetter::reason).sorted().toList(), "letters: " + LETTERS);
  }
}
