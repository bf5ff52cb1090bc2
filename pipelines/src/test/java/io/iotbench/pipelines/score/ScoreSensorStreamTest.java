package io.iotbench.pipelines.score;

import static io.iotbench.pipelines.score.ScoreFixtures.at;
import static io.iotbench.pipelines.score.ScoreFixtures.csv;
import static io.iotbench.pipelines.score.ScoreFixtures.decision;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.common.DeadLetter;
import io.iotbench.pipelines.common.PipelineCounters;
import io.iotbench.pipelines.score.source.RecordText;
import io.iotbench.pipelines.testing.ConsoleCapture;
import io.iotbench.pipelines.testing.Runners;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scorer's graph on the DirectRunner with {@link TestStream}: in order, out of order within the allowed
 * lateness, beyond it, an empty interval, unknown sensors, two devices, a silent sensor. Every output is
 * asserted, including empty dead letters for good input.
 */
class ScoreSensorStreamTest {
  @TempDir Path temp;
  private Path model;

  @BeforeEach
  void writeModel() throws Exception {
    model = ScoreFixtures.writeModel(temp.resolve("model"), 3);
  }

  private record Run(Pipeline pipeline, ScoreSensorStream.Outputs outputs) {}

  private Run score(TestStream<String> stream, String... args) {
    ScoreSensorStream.Options o = ScoreFixtures.options(Runners.DIRECT, model, args);
    Pipeline p = Pipeline.create(o);
    PCollection<String> records = p.apply("Events", stream);
    return new Run(p, ScoreSensorStream.scoreRecords(records, o, ScoreFixtures.numbering(), false));
  }

  private static PipelineResult runAndVerify(Pipeline p) {
    PipelineResult result = p.run();
    result.waitUntilFinish();
    TestPipeline.verifyPAssertsSucceeded(p, result);
    return result;
  }

  private static TestStream.Builder<String> events() {
    return TestStream.create(StringUtf8Coder.of()).advanceWatermarkTo(at(0));
  }

  private static TimestampedValue<String> ev(long millis, int sensor, double value) {
    return TimestampedValue.of(csv(millis, sensor, value), at(millis));
  }

  private static TimestampedValue<String> ev(long millis, int sensor, double value, String device) {
    return TimestampedValue.of(csv(millis, sensor, value, device), at(millis));
  }

  @Test
  void inOrderKeepsTheLatestValuePerSensorByEventTime() {
    String malformed = ScoreFixtures.T0 + ",2,Sensor 2,not-a-number";
    TestStream<String> stream = events()
        // s1 at .300 arrives before s1 at .200: the later event time wins, not the later arrival
        .addElements(ev(100, 2, 0.8), ev(300, 1, 0.9), ev(200, 1, 0.2), TimestampedValue.of(malformed, at(400)))
        .advanceWatermarkTo(at(1500))
        .addElements(ev(1100, 3, 0.9))
        .advanceWatermarkToInfinity();
    Run run = score(stream);
    PAssert.that(run.outputs().decisions()).containsInAnyOrder(
        decision("1", 1, 3, new double[] {0.9, 0.8, 0.5}, false, false, false),
        decision("1", 2, 1, new double[] {0.9, 0.8, 0.9}, false, false, false));
    PAssert.that(run.outputs().deadLetters()).satisfies(only(malformed, "parse", "field 'value' is not a finite number"));
    runAndVerify(run.pipeline());
  }

  @Test
  void aBoundedRecordingIsScoredInEventTimeOrderWhateverTheArrivalOrder() {
    // A replayed file: bounded, every window fires at once and reaches the device state in the runner's order.
    // Listed newest first here, the decisions must still be those of in-order processing, with no revisions.
    ScoreSensorStream.Options o = ScoreFixtures.options(Runners.DIRECT, model);
    Pipeline p = Pipeline.create(o);
    PCollection<String> records = p.apply("Events", Create.timestamped(
        ev(2200, 3, 0.95), ev(1100, 2, 0.7), ev(100, 1, 0.6), ev(150, 2, 0.1)).withCoder(StringUtf8Coder.of()));
    ScoreSensorStream.Outputs outputs = ScoreSensorStream.scoreRecords(records, o, ScoreFixtures.numbering(), false);
    PAssert.that(outputs.decisions()).containsInAnyOrder(
        decision("1", 1, 2, new double[] {0.6, 0.1, 0.5}, false, false, false),
        decision("1", 2, 1, new double[] {0.6, 0.7, 0.5}, false, false, false),
        decision("1", 3, 1, new double[] {0.6, 0.7, 0.95}, false, false, false));
    PAssert.that(outputs.deadLetters()).empty();
    runAndVerify(p);
  }

  @Test
  void outOfOrderWithinLatenessIsMergedFlaggedAndLaterIntervalsRevised() {
    TestStream<String> stream = events()
        .addElements(ev(100, 1, 0.6))
        .advanceWatermarkTo(at(1500))
        .addElements(ev(1100, 2, 0.7))
        .advanceWatermarkTo(at(2500)) // intervals 1 and 2 have fired
        .addElements(ev(500, 3, 0.95)) // belongs to interval 1: late, within 5 s of lateness
        .advanceWatermarkToInfinity();
    Run run = score(stream, "--allowedLateness=5");
    PAssert.that(run.outputs().decisions()).containsInAnyOrder(
        decision("1", 1, 1, new double[] {0.6, 0.5, 0.5}, false, false, false),
        decision("1", 2, 1, new double[] {0.6, 0.7, 0.5}, false, false, false),
        // the late pane: interval 1 again, now with both events, late and after interval 2
        decision("1", 1, 2, new double[] {0.6, 0.5, 0.95}, true, true, true),
        // interval 2 as in-order processing would have scored it: s3 = 0.95 came before its end
        decision("1", 2, 1, new double[] {0.6, 0.7, 0.95}, false, true, true));
    PAssert.that(run.outputs().deadLetters()).empty();
    runAndVerify(run.pipeline());
  }

  @Test
  void eventsBeyondTheAllowedLatenessAreDroppedAndCounted() {
    TestStream<String> stream = events()
        .addElements(ev(100, 1, 0.6))
        .advanceWatermarkTo(at(5000)) // interval 1 closed 4 s ago, lateness is 1 s
        .addElements(ev(500, 3, 0.99))
        .advanceWatermarkToInfinity();
    Run run = score(stream, "--allowedLateness=1");
    PAssert.that(run.outputs().decisions()).containsInAnyOrder(
        decision("1", 1, 1, new double[] {0.6, 0.5, 0.5}, false, false, false));
    PAssert.that(run.outputs().deadLetters()).empty();
    PipelineResult result = runAndVerify(run.pipeline());
    assertEquals(1, PipelineCounters.counterByName(result, "droppedDueToLateness"));
  }

  @Test
  void emptyIntervalHasNoDecisionButIsReportedAsNoInput() throws Exception {
    TestStream<String> stream = events()
        .addElements(ev(100, 1, 0.9))
        .advanceWatermarkTo(at(2500))
        .addElements(ev(2100, 2, 0.9))
        .advanceWatermarkToInfinity();
    Run run = score(stream);
    PAssert.that(run.outputs().decisions()).containsInAnyOrder(
        decision("1", 1, 1, new double[] {0.9, 0.5, 0.5}, false, false, false),
        decision("1", 3, 1, new double[] {0.9, 0.9, 0.5}, false, false, false));
    // One tick per interval, as GenerateSequence gives a live run.
    run.outputs().bundleUpdates().apply("ReportEmptyIntervals", new ReportIntervals.PrintEmptyIntervals(
        Create.timestamped(TimestampedValue.of(0L, at(10)), TimestampedValue.of(1L, at(1010)), TimestampedValue.of(2L, at(2010))),
        org.joda.time.Duration.standardSeconds(1), org.joda.time.Duration.ZERO, ScoreFixtures.numbering(),
        new ScoreReport(false, false, false, 1000), true));
    ConsoleCapture console = new ConsoleCapture();
    console.capture(() -> runAndVerify(run.pipeline()));
    assertEquals(1, console.outLines().size(), String.join("\n", console.outLines()));
    assertTrue(console.outLines().get(0).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z: Interval 2: No input"),
        console.outLines().get(0));
  }

  @Test
  void unknownSensorsAndMalformedLinesBecomeDeadLettersWithThePayload() {
    String sensor4 = csv(100, 4, 0.9);
    String sensor0 = csv(200, 0, 0.9);
    TestStream<String> stream = events()
        .addElements(TimestampedValue.of(sensor4, at(100)), TimestampedValue.of(sensor0, at(200)), ev(300, 3, 0.1))
        .advanceWatermarkToInfinity();
    Run run = score(stream);
    PAssert.that(run.outputs().decisions()).containsInAnyOrder(
        decision("1", 1, 1, new double[] {0.5, 0.5, 0.1}, false, false, false));
    PAssert.that(run.outputs().deadLetters()).containsInAnyOrder(
        new DeadLetter(sensor4, "parse", "unknownSensor", "sensor 4 is not a sensor of this stream (1..3)"),
        new DeadLetter(sensor0, "parse", "parse",
            "field 'sensor' is not a sensor number (1 or more, or -1 to end the stream): '0' (line \"" + sensor0 + "\")"));
    runAndVerify(run.pipeline());
  }

  @Test
  void jsonMessagesCarryTheDeviceAndSeveralReadings() {
    // sensor_ts in microseconds; sensor_0 is sensor 1. One message may carry several readings.
    long t0 = ScoreFixtures.T0.toEpochMilli() * 1000;
    String first = "{\"sensor_id\":7,\"sensor_ts\":" + (t0 + 100_000) + ",\"sensor_0\":0.9,\"sensor_2\":0.8}";
    String second = "{\"sensor_id\":7,\"sensor_ts\":" + (t0 + 1_100_000) + ",\"sensor_1\":0.7}";
    String broken = "{\"sensor_id\":7,\"sensor_ts\":" + (t0 + 1_200_000) + "}";
    TestStream<String> stream = events()
        .addElements(TimestampedValue.of(first, at(100)))
        .advanceWatermarkTo(at(1500))
        .addElements(TimestampedValue.of(second, at(1100)), TimestampedValue.of(broken, at(1200)))
        .advanceWatermarkToInfinity();
    Run run = score(stream, "--format=json");
    PAssert.that(run.outputs().decisions()).containsInAnyOrder(
        decision("7", 1, 2, new double[] {0.9, 0.5, 0.8}, false, false, false),
        decision("7", 2, 1, new double[] {0.9, 0.7, 0.8}, false, false, false));
    PAssert.that(run.outputs().deadLetters()).satisfies(deadLetters -> {
      DeadLetter only = deadLetters.iterator().next();
      assertEquals(broken, only.payload());
      assertEquals("parse", only.stage());
      return null;
    });
    runAndVerify(run.pipeline());
  }

  @Test
  void twoDevicesKeepSeparateVectors() {
    TestStream<String> stream = events()
        .addElements(ev(100, 1, 0.9, "a"), ev(150, 1, 0.1, "b"), ev(200, 2, 0.9, "a"))
        .advanceWatermarkTo(at(1500))
        .addElements(ev(1100, 3, 0.9, "a"), ev(1200, 3, 0.2, "b"))
        .advanceWatermarkToInfinity();
    Run run = score(stream);
    PAssert.that(run.outputs().decisions()).containsInAnyOrder(
        decision("a", 1, 2, new double[] {0.9, 0.9, 0.5}, false, false, false),
        decision("b", 1, 1, new double[] {0.1, 0.5, 0.5}, false, false, false),
        decision("a", 2, 1, new double[] {0.9, 0.9, 0.9}, false, false, false),
        decision("b", 2, 1, new double[] {0.1, 0.5, 0.2}, false, false, false));
    PAssert.that(run.outputs().deadLetters()).empty();
    runAndVerify(run.pipeline());
  }

  @Test
  void aSensorSilentForManyIntervalsKeepsItsValue() {
    TestStream.Builder<String> b = events().addElements(ev(100, 3, 0.95), ev(200, 1, 0.1));
    for (int i = 1; i < 8; i++) {
      b = b.advanceWatermarkTo(at(i * 1000L + 500)).addElements(ev(i * 1000L + 100, 1, 0.1 * i));
    }
    Run run = score(b.advanceWatermarkToInfinity());
    java.util.List<Decision> expected = new java.util.ArrayList<>();
    expected.add(decision("1", 1, 2, new double[] {0.1, 0.5, 0.95}, false, false, false));
    for (int i = 1; i < 8; i++) {
      expected.add(decision("1", i + 1, 1, new double[] {0.1 * i, 0.5, 0.95}, false, false, false));
    }
    PAssert.that(run.outputs().decisions()).containsInAnyOrder(expected);
    PAssert.that(run.outputs().deadLetters()).empty();
    runAndVerify(run.pipeline());
  }

  /**
   * Device a is silent for 19 s of event time with a 10 s idle timeout: the expiry timer releases its state, and
   * when it comes back its first decision has 0.5 for the sensors it did not send again. Device b keeps sending.
   * The counter also holds the release at the end of the input (the watermark passes every timer then): two for
   * a, one for b.
   */
  @Test
  void aDeviceSilentLongerThanTheIdleTimeoutIsReleasedAndStartsAgainFrom05() {
    TestStream.Builder<String> b = events().addElements(ev(100, 1, 0.9, "a"), ev(200, 2, 0.9, "a"), ev(300, 1, 0.2, "b"));
    for (int s = 1; s <= 20; s++) {
      b = b.advanceWatermarkTo(at(s * 1000L + 500)).addElements(ev(s * 1000L + 100, 2, 0.3, "b"));
    }
    b = b.addElements(ev(20_200, 3, 0.95, "a")).advanceWatermarkTo(at(21_500));
    Run run = score(b.advanceWatermarkToInfinity(), "--deviceIdleTimeout=10");
    PAssert.that(run.outputs().decisions().apply("DevicesA", org.apache.beam.sdk.transforms.Filter.by((Decision d) -> d.device().equals("a"))))
        .containsInAnyOrder(
            decision("a", 1, 2, new double[] {0.9, 0.9, 0.5}, false, false, false),
            decision("a", 21, 1, new double[] {0.5, 0.5, 0.95}, false, false, false));
    PAssert.that(run.outputs().deadLetters()).empty();
    PipelineResult result = runAndVerify(run.pipeline());
    assertEquals(3, PipelineCounters.get(result, ScoreIntervals.ScoreIntervalFn.class, ScoreIntervals.DEVICES_EXPIRED));
  }

  /** Silent for 9 s with a 10 s timeout: the values are kept; only the end of the input releases the state. */
  @Test
  void aDeviceSilentShorterThanTheIdleTimeoutKeepsItsValues() {
    TestStream<String> stream = events()
        .addElements(ev(100, 1, 0.9), ev(200, 2, 0.9))
        .advanceWatermarkTo(at(5000))
        .advanceWatermarkTo(at(10_500))
        .addElements(ev(10_200, 3, 0.95))
        .advanceWatermarkToInfinity();
    Run run = score(stream, "--deviceIdleTimeout=10");
    PAssert.that(run.outputs().decisions()).containsInAnyOrder(
        decision("1", 1, 2, new double[] {0.9, 0.9, 0.5}, false, false, false),
        decision("1", 11, 1, new double[] {0.9, 0.9, 0.95}, false, false, false));
    PipelineResult result = runAndVerify(run.pipeline());
    assertEquals(1, PipelineCounters.get(result, ScoreIntervals.ScoreIntervalFn.class, ScoreIntervals.DEVICES_EXPIRED));
  }

  /** A replayed file (bounded, scored without state) applies the same rule: the same decisions as the live run. */
  @Test
  void aBoundedRecordingAppliesTheSameIdleRule() {
    ScoreSensorStream.Options o = ScoreFixtures.options(Runners.DIRECT, model, "--deviceIdleTimeout=10");
    Pipeline p = Pipeline.create(o);
    PCollection<String> records = p.apply("Events", Create.timestamped(
        ev(20_200, 3, 0.95), ev(100, 1, 0.9), ev(200, 2, 0.9), ev(25_100, 1, 0.1)).withCoder(StringUtf8Coder.of()));
    ScoreSensorStream.Outputs outputs = ScoreSensorStream.scoreRecords(records, o, ScoreFixtures.numbering(), false);
    PAssert.that(outputs.decisions()).containsInAnyOrder(
        decision("1", 1, 2, new double[] {0.9, 0.9, 0.5}, false, false, false),
        decision("1", 21, 1, new double[] {0.5, 0.5, 0.95}, false, false, false),
        decision("1", 26, 1, new double[] {0.1, 0.5, 0.95}, false, false, false));
    PipelineResult result = runAndVerify(p);
    assertEquals(1, PipelineCounters.get(result, ScoreIntervals.ScoreIntervalFn.class, ScoreIntervals.DEVICES_EXPIRED));
  }

  private Run scoreStamped(TestStream<String> stream, String... args) {
    ScoreSensorStream.Options o = ScoreFixtures.options(Runners.DIRECT, model, args);
    Pipeline p = Pipeline.create(o);
    return new Run(p, ScoreSensorStream.scoreRecords(p.apply("Events", stream), o, ScoreFixtures.numbering(), true));
  }

  @Test
  void aFarFutureEventIsOneDeadLetterAndEveryLaterIntervalIsStillDecided() {
    String future = "2100-01-01T00:00:00.000Z,1,Sensor 1,0.9";
    TestStream<String> stream = events()
        .addElements(ev(100, 1, 0.9), TimestampedValue.of(future, at(150)))
        .advanceWatermarkTo(at(1500))
        .addElements(ev(1100, 2, 0.9))
        .advanceWatermarkTo(at(2500))
        .addElements(ev(2100, 3, 0.9), ev(2200, 1, 0.1))
        .advanceWatermarkToInfinity();
    Run run = scoreStamped(stream);
    PAssert.that(run.outputs().decisions()).containsInAnyOrder(
        decision("1", 1, 1, new double[] {0.9, 0.5, 0.5}, false, false, false),
        decision("1", 2, 1, new double[] {0.9, 0.9, 0.5}, false, false, false),
        decision("1", 3, 2, new double[] {0.1, 0.9, 0.9}, false, false, false));
    PAssert.that(run.outputs().deadLetters()).satisfies(onlyReason(future, "futureTimestamp"));
    runAndVerify(run.pipeline());
  }

  @Test
  void aYear300000EventIsOneDeadLetterNotACrash() {
    String far = "+300000-01-01T00:00:00.000Z,1,Sensor 1,0.9";
    String max = "{\"sensor_id\":1,\"sensor_ts\":\"+1000000000-12-31T23:59:59.999999999Z\",\"sensor_0\":0.9}";
    TestStream<String> stream = events()
        .addElements(ev(100, 1, 0.9), TimestampedValue.of(far, at(150)), TimestampedValue.of(far + "\n" + csv(200, 2, 0.9), at(150)))
        .advanceWatermarkToInfinity();
    Run run = scoreStamped(stream);
    PAssert.that(run.outputs().decisions()).containsInAnyOrder(
        decision("1", 1, 2, new double[] {0.9, 0.9, 0.5}, false, false, false));
    PAssert.that(run.outputs().deadLetters()).satisfies(letters -> {
      List<DeadLetter> all = new java.util.ArrayList<>();
      letters.forEach(all::add);
      assertEquals(2, all.size(), all.toString());
      all.forEach(l -> assertEquals("badTimestamp", l.reason(), l.toString()));
      return null;
    });
    runAndVerify(run.pipeline());

    TestStream<String> json = events().addElements(TimestampedValue.of(max, at(150))).advanceWatermarkToInfinity();
    Run jsonRun = scoreStamped(json, "--format=json");
    PAssert.that(jsonRun.outputs().decisions()).empty();
    PAssert.that(jsonRun.outputs().deadLetters()).satisfies(onlyReason(max, "badTimestamp"));
    runAndVerify(jsonRun.pipeline());
  }

  @Test
  void aJsonMessageWithTenThousandBadReadingsIsOneDeadLetter() {
    StringBuilder sb = new StringBuilder("{\"sensor_id\":7,\"sensor_ts\":" + at(100).getMillis() * 1000 + ",\"sensor_0\":0.9");
    for (int i = 3; i < 10_003; i++) {
      sb.append(",\"sensor_").append(i).append("\":0.5");
    }
    String message = sb.append('}').toString();
    TestStream<String> stream = events().addElements(TimestampedValue.of(message, at(100))).advanceWatermarkToInfinity();
    Run run = scoreStamped(stream, "--format=json", "--maxRecordBytes=1000000");
    PAssert.that(run.outputs().events()).empty();
    PAssert.that(run.outputs().deadLetters()).satisfies(letters -> {
      List<DeadLetter> all = new java.util.ArrayList<>();
      letters.forEach(all::add);
      assertEquals(1, all.size());
      assertEquals("unknownSensor", all.get(0).reason());
      assertEquals(message.substring(0, 1024) + "...[" + message.length() + " characters]", all.get(0).payload());
      assertTrue(all.get(0).error().endsWith("(and 9999 more readings)"), all.get(0).error());
      return null;
    });
    runAndVerify(run.pipeline());
  }

  @Test
  void theCountersEqualTheDeadLetterOutput() {
    // Hostile records an hour in the past (none near the future limit), several per element as sources chunk them.
    HostileRecords hostile = new HostileRecords(42, System.currentTimeMillis() - 3_600_000);
    RecordRules rules = RecordRules.of(ReadEventRecords.recordSettings(ScoreFixtures.options(Runners.DIRECT, model)), 3);
    TestStream.Builder<String> b = events();
    long expectedRecords = 0;
    long expectedDead = 0;
    java.util.Map<String, Long> expectedByReason = new java.util.TreeMap<>();
    for (int i = 0; i < 300; i++) {
      String element = hostile.next() + (i % 3 == 0 ? "\n" + hostile.next() : "");
      if (element.startsWith("\n")) {
        // As our sources chunk them: an empty record is handed on as a blank (RecordText.BLANK), so a chunk never
        // starts with a line break, which marks a source's note line.
        element = RecordText.BLANK + element;
      }
      for (String record : element.split("\n")) {
        if (!record.isEmpty()) {
          expectedRecords++;
          if (rules.check(record, System.currentTimeMillis()) instanceof RecordRules.Rejected r) {
            expectedDead++;
            expectedByReason.merge(r.reason().label(), 1L, Long::sum);
          }
        }
      }
      b = b.addElements(TimestampedValue.of(element, at(i)));
    }
    b = b.addElements(TimestampedValue.of("", at(400))); // a heartbeat: no record
    Run run = scoreStamped(b.advanceWatermarkToInfinity());
    long dead = expectedDead;
    PAssert.that(run.outputs().deadLetters()).satisfies(letters -> {
      long n = 0;
      for (DeadLetter l : letters) {
        assertFalse(l.reason().isEmpty(), l.toString());
        n++;
      }
      assertEquals(dead, n);
      return null;
    });
    PipelineResult result = runAndVerify(run.pipeline());
    assertEquals(expectedRecords, PipelineCounters.get(result, ParseEvents.class, ParseEvents.RECORDS));
    assertEquals(expectedDead, PipelineCounters.get(result, ParseEvents.class, ParseEvents.DEAD_LETTERS_COUNTER));
    assertEquals(expectedRecords - expectedDead, PipelineCounters.get(result, ParseEvents.class, ParseEvents.PARSED_RECORDS));
    for (RecordRules.Reason reason : RecordRules.Reason.values()) {
      assertEquals(expectedByReason.getOrDefault(reason.label(), 0L),
          PipelineCounters.get(result, ParseEvents.class, reason.counter()), reason.label());
    }
    assertTrue(expectedByReason.size() >= 5, "reasons covered: " + expectedByReason);
  }

  @Test
  void aDeviceIdWithALineBreakReachesTheDecisionsUnchanged() {
    String device = "a\nInterval 9: Attention needed";
    String message = "{\"sensor_id\":\"a\\nInterval 9: Attention needed\",\"sensor_ts\":" + at(100).getMillis() * 1000
        + ",\"sensor_0\":0.9}";
    TestStream<String> stream = events().addElements(TimestampedValue.of(message, at(100))).advanceWatermarkToInfinity();
    Run run = scoreStamped(stream, "--format=json");
    PAssert.that(run.outputs().decisions()).containsInAnyOrder(
        decision(device, 1, 1, new double[] {0.9, 0.5, 0.5}, false, false, false));
    PAssert.that(run.outputs().deadLetters()).empty();
    runAndVerify(run.pipeline());
  }

  private static SerializableFunction<Iterable<DeadLetter>, Void> onlyReason(String payload, String reason) {
    return letters -> {
      List<DeadLetter> all = new java.util.ArrayList<>();
      letters.forEach(all::add);
      assertEquals(1, all.size(), all.toString());
      assertEquals(payload, all.get(0).payload());
      assertEquals("parse", all.get(0).stage());
      assertEquals(reason, all.get(0).reason());
      return null;
    };
  }

  private static SerializableFunction<Iterable<DeadLetter>, Void> only(String payload, String stage, String reasonStart) {
    return letters -> {
      List<DeadLetter> all = new java.util.ArrayList<>();
      letters.forEach(all::add);
      assertEquals(1, all.size(), all.toString());
      assertEquals(payload, all.get(0).payload());
      assertEquals(stage, all.get(0).stage());
      assertTrue(all.get(0).error().startsWith(reasonStart), all.get(0).error());
      return null;
    };
  }
}
