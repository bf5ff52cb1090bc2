package io.iotbench.pipelines.score.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.iotbench.pipelines.score.EventFormat;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The live sources' clock: rejected times (far future, out of range, unreadable) neither stamp nor move the watermark. */
class EventClockTest {
  private static final long NOW = Instant.parse("2026-06-01T12:00:00Z").toEpochMilli();
  private static final RecordSettings SETTINGS = new RecordSettings(EventFormat.CSV, false, 1000, 60_000, 65_536);

  private static String csv(Instant t) {
    return t + ",1,Sensor 1,0.5";
  }

  @Test
  void farFutureAndOutOfRangeRecordsGetTheNewestGoodTimeAndLeaveTheWatermark() {
    EventClock clock = new EventClock(SETTINGS);
    long good = NOW - 10_000;
    assertEquals(good, clock.stamp(csv(Instant.ofEpochMilli(good)), NOW).getMillis());
    assertEquals(good, clock.stamp(csv(Instant.parse("2100-01-01T00:00:00Z")), NOW).getMillis());
    assertEquals(good, clock.stamp("+300000-01-01T00:00:00.000Z,1,Sensor 1,0.5", NOW).getMillis());
    assertEquals(good, clock.stamp("+1000000000-12-31T23:59:59.999999999Z,1,Sensor 1,0.5", NOW).getMillis());
    assertEquals(good, clock.stamp("garbage", NOW).getMillis());
    assertEquals(good - 1000, clock.watermark(NOW).getMillis());
    // The next good event moves it on as usual.
    assertEquals(good + 500, clock.stamp(csv(Instant.ofEpochMilli(good + 500)), NOW).getMillis());
    assertEquals(good - 500, clock.watermark(NOW).getMillis());
  }

  @Test
  void aTimeWithinTheFutureSkewCounts() {
    EventClock clock = new EventClock(SETTINGS);
    assertEquals(NOW + 60_000, clock.stamp(csv(Instant.ofEpochMilli(NOW + 60_000)), NOW).getMillis());
    assertEquals(NOW + 59_000, clock.watermark(NOW).getMillis());
  }

  @Test
  void beforeAnyGoodRecordARejectedOneIsStampedWithItsArrivalAndTheWatermarkWaits() {
    EventClock clock = new EventClock(SETTINGS);
    assertEquals(NOW, clock.stamp(csv(Instant.parse("2100-01-01T00:00:00Z")), NOW).getMillis());
    assertEquals(org.apache.beam.sdk.transforms.windowing.BoundedWindow.TIMESTAMP_MIN_VALUE, clock.watermark(NOW + 5000));
    long good = NOW - 3_600_000; // a replayed hour-old stream is not pushed to the wall clock
    assertEquals(good, clock.stamp(csv(Instant.ofEpochMilli(good)), NOW + 5000).getMillis());
    assertEquals(good - 1000, clock.watermark(NOW + 5000).getMillis());
  }

  @Test
  void whileTheConnectionIsDownIdleTimeStopsAndAfterItCountsFromTheReturn() {
    EventClock clock = new EventClock(SETTINGS);
    clock.stamp(csv(Instant.ofEpochMilli(NOW)), NOW);
    assertEquals(NOW + 2000 - 1000, clock.watermark(NOW + 2000).getMillis(), "idle: moves with the wall clock");
    clock.sourceDown(NOW + 3000);
    assertEquals(NOW + 3000 - 1000, clock.watermark(NOW + 40_000).getMillis(), "down: stays where the outage began");
    clock.sourceUp(NOW + 40_000);
    assertEquals(NOW + 2000, clock.watermark(NOW + 41_000).getMillis(), "back: never moves back");
    assertEquals(NOW + 4000, clock.watermark(NOW + 45_000).getMillis(), "back: idle counts from the return");
    // What was sent during the outage arrives with its own times, ahead of the watermark: not late.
    long sentDuringOutage = NOW + 10_000;
    assertEquals(sentDuringOutage, clock.stamp(csv(Instant.ofEpochMilli(sentDuringOutage)), NOW + 45_100).getMillis());
    assertEquals(sentDuringOutage - 1000, clock.watermark(NOW + 45_100).getMillis());
  }

  /**
   * A reader of an empty topic (or of one not created yet, or of a partition that never gets a record) must not hold
   * every window back: once its source is caught up, it follows that instant less the out-of-orderness.
   */
  @Test
  void withoutRecordsTheWatermarkFollowsTheLastCaughtUpInstant() {
    EventClock clock = new EventClock(SETTINGS);
    org.joda.time.Instant min = org.apache.beam.sdk.transforms.windowing.BoundedWindow.TIMESTAMP_MIN_VALUE;
    assertEquals(min, clock.watermark(NOW + 5000), "not known to be caught up: anything may still come");
    clock.caughtUp(NOW + 4000);
    assertEquals(NOW + 3000, clock.watermark(NOW + 5000).getMillis(), "caught up at +4 s, 1 s out-of-orderness");
    assertEquals(NOW + 3000, clock.watermark(NOW + 9000).getMillis(), "not beyond the last caught-up instant");
    clock.caughtUp(NOW + 2000);
    assertEquals(NOW + 3000, clock.watermark(NOW + 9000).getMillis(), "never back");
    // The first record, sent after the caught-up instant, is on time; from then on the newest time rules.
    long sent = NOW + 8500;
    assertEquals(sent, clock.stamp(csv(Instant.ofEpochMilli(sent)), NOW + 8600).getMillis());
    assertEquals(sent - 1000, clock.watermark(NOW + 8600).getMillis());
  }
}
