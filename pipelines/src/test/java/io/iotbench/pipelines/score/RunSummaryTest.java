package io.iotbench.pipelines.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The end report's exact lines. */
class RunSummaryTest {
  /** The original's time prefix, to the millisecond. */
  static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z: ";
  private static Map<String, Long> reasons(long parse, long unknownSensor, long futureTimestamp) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (RecordRules.Reason r : RecordRules.Reason.values()) {
      m.put(r.label(), 0L);
    }
    m.put("parse", parse);
    m.put("unknownSensor", unknownSensor);
    m.put("futureTimestamp", futureTimestamp);
    return m;
  }

  @Test
  void theOriginalsSummaryLineThenTheCountersWithTheReasonsThatOccurred() {
    RunSummary summary = new RunSummary(2000, 1.6, 12, 2007, 1, 6, reasons(3, 2, 1), 14, 5, 1, 2, 3, 4, 6, 7, 8, 9);
    List<String> lines = summary.lines();
    assertTrue(lines.get(0).matches(TIME + "2000 events received in 1\\.6 seconds \\(12 intervals\\), or 1250 sensor events/second"),
        lines.get(0));
    assertEquals(List.of(
        "Counters: records=2007 events=2000 sentinels=1 deadLetters=6 (parse=3 unknownSensor=2 futureTimestamp=1)"
            + " decisions=14 attention=5 late=1 outOfOrder=2 revised=3 emptyIntervals=4 droppedDueToLateness=6 devicesExpired=7"
            + " duplicatesSkipped=8 duplicatesSuspected=9"),
        lines.subList(1, lines.size()));
  }

  @Test
  void aRunWithoutEventsHasNoRateAndNoReasons() {
    RunSummary summary = new RunSummary(0, 0, 0, 0, 0, 0, reasons(0, 0, 0), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    List<String> lines = summary.lines();
    assertTrue(lines.get(0).matches(TIME + "0 events received in 0\\.0 seconds \\(0 intervals\\), or 0 sensor events/second"),
        lines.get(0));
    assertEquals(List.of(
        "Counters: records=0 events=0 sentinels=0 deadLetters=0 decisions=0 attention=0 late=0 outOfOrder=0 revised=0"
            + " emptyIntervals=0 droppedDueToLateness=0 devicesExpired=0 duplicatesSkipped=0 duplicatesSuspected=0"),
        lines.subList(1, lines.size()));
  }

  @Test
  void theSecondsHaveOneDecimalAsTheOriginals() {
    RunSummary summary = new RunSummary(6000, 61.06, 60, 6000, 0, 0, reasons(0, 0, 0), 60, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    assertTrue(summary.lines().get(0).matches(TIME + "6000 events received in 61\\.1 seconds \\(60 intervals\\), or 98 sensor events/second"),
        summary.lines().get(0));
  }
}
