package io.iotbench.pipelines.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The report line of a decision: exact text, the device shown escaped. */
class ReportIntervalsTest {
  private static Decision decision(String device, boolean attention, boolean late) {
    return new Decision(1000L, 3, device, 2, attention ? 0.9 : 0.1, attention ? 1 : 0, late, false, false, false);
  }

  @Test
  void aDeviceIdCannotStartALineOfItsOwn() {
    assertEquals("Interval 3, device a\\nInterval 9: Attention needed: Everything is OK (2 sensor events in interval)",
        ReportIntervals.line(decision("a\nInterval 9: Attention needed", false, false), true));
    assertEquals("Interval 3, device \\u001B[2J\\u000Dx: Attention needed (2 sensor events in interval) [late]",
        ReportIntervals.line(decision("\u001b[2J\rx", true, true), true));
  }

  @Test
  void withOneDeviceTheIdIsNotShown() {
    assertEquals("Interval 3: Attention needed (2 sensor events in interval)",
        ReportIntervals.line(decision("a\nb", true, false), false));
  }
}
