package io.iotbench.pipelines.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The end report's exact lines. */
class RunSummaryTest {
  @Test
  void theOriginalsSummaryLineThenTheCounters() {
    RunSummary summary = new RunSummary(2000, 1.6, 12, 1, 3, 2, 14, 5, 1, 2, 3, 4, 6, 7);
    assertEquals(List.of(
        "2000 events received in 1.60 seconds (12 intervals), or 1250 sensor events/second",
        "Counters: parsed=2000 sentinels=1 deadLetters=5 (parseErrors=3 unknownSensors=2) decisions=14 attention=5"
            + " late=1 outOfOrder=2 revised=3 emptyIntervals=4 droppedDueToLateness=6 devicesExpired=7"),
        summary.lines());
  }

  @Test
  void aRunWithoutEventsHasNoRate() {
    RunSummary summary = new RunSummary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    assertEquals("0 events received in 0.00 seconds (0 intervals), or 0 sensor events/second", summary.lines().get(0));
  }
}
