package io.iotbench.pipelines.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.iotbench.model.SensorEvent;
import io.iotbench.pipelines.common.PipelineCounters;
import io.iotbench.pipelines.testing.Runners;
import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;

/** The parse stage's handling of a source's note line: counted, never a record. */
class ParseEventsTest {
  @Test
  void aSourcesNoteOfSkippedDuplicatesIsCountedAndIsNoRecord() {
    ScoreSensorStream.Options o = ScoreFixtures.options(Runners.DIRECT, Path.of("model"));
    RecordRules rules = RecordRules.of(ReadEventRecords.recordSettings(o), 3);
    Pipeline p = Pipeline.create(o);
    PCollectionTuple out = p.apply(Create.of(
            "\nduplicatesSkipped=4\n" + ScoreFixtures.csv(100, 1, 0.5) + "\n" + ScoreFixtures.csv(200, 2, 0.5),
            "\nduplicatesSkipped=3",
            ScoreFixtures.csv(300, 3, 0.5),
            ""))
        .apply(new ParseEvents(rules, false));
    PAssert.that(out.get(ParseEvents.DEAD_LETTERS)).empty();
    PAssert.that(out.get(ParseEvents.EVENTS)).satisfies(events -> {
      int n = 0;
      for (SensorEvent e : events) {
        n++;
      }
      assertEquals(3, n);
      return null;
    });
    PipelineResult result = p.run();
    result.waitUntilFinish();
    TestPipeline.verifyPAssertsSucceeded(p, result);
    assertEquals(7, PipelineCounters.get(result, ParseEvents.class, ParseEvents.DUPLICATES_SKIPPED));
    assertEquals(3, PipelineCounters.get(result, ParseEvents.class, ParseEvents.RECORDS));
    assertEquals(3, PipelineCounters.get(result, ParseEvents.class, ParseEvents.EVENTS_COUNTER));
  }

  /** {@code {"sensor_id": device, "sensor_ts": micros, "sensor_0": .., ...}} with the given readings. */
  private static String workshop(int device, long micros, String... readings) {
    StringBuilder sb = new StringBuilder("{\"sensor_id\": " + device + ", \"sensor_ts\": " + micros);
    for (int i = 0; i < readings.length; i++) {
      sb.append(", \"sensor_").append(i).append("\": ").append(readings[i]);
    }
    return sb.append('}').toString();
  }

  @Test
  void aWorkshopMessageIsOneEventPerSensorAndABadOneIsOneDeadLetter() {
    ScoreSensorStream.Options o = ScoreFixtures.options(Runners.DIRECT, Path.of("model"));
    RecordRules rules = new RecordRules(EventFormat.JSON, 11, 60_000, false, 65_536);
    String[] eleven = {"2", "14", "0", "1", "0.5", "3", "4", "5", "6", "7", "5"};
    String good1 = workshop(48, 1556758787735011L, eleven);
    String good2 = workshop(49, 1556758787736000L, eleven);
    String[] withText = eleven.clone();
    withText[3] = "\"high\"";
    String badReading = workshop(48, 1556758787737000L, withText);
    String twelve = workshop(48, 1556758787738000L, "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1");
    Pipeline p = Pipeline.create(o);
    PCollectionTuple out = p.apply(Create.of(good1 + "\n" + badReading, good2, twelve)).apply(new ParseEvents(rules, false));
    PAssert.that(out.get(ParseEvents.DEAD_LETTERS)).satisfies(letters -> {
      java.util.Map<String, String> reasons = new java.util.TreeMap<>();
      letters.forEach(d -> reasons.put(d.payload(), d.reason() + ": " + d.error()));
      assertEquals(java.util.Set.of(badReading, twelve), reasons.keySet(), reasons.toString());
      org.junit.jupiter.api.Assertions.assertTrue(
          reasons.get(badReading).startsWith("parse: field 'sensor_3' is not a finite number: '\"high\"'"), reasons.get(badReading));
      assertEquals("unknownSensor: sensor 12 is not a sensor of this stream (1..11)", reasons.get(twelve));
      return null;
    });
    PAssert.that(out.get(ParseEvents.EVENTS)).satisfies(events -> {
      java.util.Map<String, Integer> perDevice = new java.util.TreeMap<>();
      for (SensorEvent e : events) {
        perDevice.merge(e.deviceId() + "@" + e.eventTime() + " sensor " + e.sensor(), 1, Integer::sum);
      }
      assertEquals(22, perDevice.size(), perDevice.toString());
      assertEquals(java.util.Set.of(1), new java.util.HashSet<>(perDevice.values()));
      return null;
    });
    PipelineResult result = p.run();
    result.waitUntilFinish();
    TestPipeline.verifyPAssertsSucceeded(p, result);
    assertEquals(4, PipelineCounters.get(result, ParseEvents.class, ParseEvents.RECORDS));
    assertEquals(2, PipelineCounters.get(result, ParseEvents.class, ParseEvents.PARSED_RECORDS));
    assertEquals(2, PipelineCounters.get(result, ParseEvents.class, ParseEvents.DEAD_LETTERS_COUNTER));
    assertEquals(22, PipelineCounters.get(result, ParseEvents.class, ParseEvents.EVENTS_COUNTER));
  }
}
