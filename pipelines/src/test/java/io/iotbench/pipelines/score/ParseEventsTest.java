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
}
