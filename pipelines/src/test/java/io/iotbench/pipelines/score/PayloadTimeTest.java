package io.iotbench.pipelines.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.iotbench.pipelines.score.source.RecordSettings;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The KafkaIO path's payload times follow the same rules as the other sources' clock. */
class PayloadTimeTest {
  private static final long NOW = Instant.parse("2026-06-01T12:00:00Z").toEpochMilli();

  @Test
  void rejectedTimesGetThePartitionsNewestGoodTime() {
    RecordRules rules = RecordRules.of(new RecordSettings(EventFormat.CSV, false, 1000, 60_000, 65_536), 3).timesOnly();
    org.joda.time.Instant start = new org.joda.time.Instant(0);
    ReadEventRecords.PayloadTime time = new ReadEventRecords.PayloadTime(rules, start);
    assertEquals(start, time.of("+300000-01-01T00:00:00.000Z,1,Sensor 1,0.5", NOW));
    long good = NOW - 5000;
    assertEquals(good, time.of(Instant.ofEpochMilli(good) + ",1,Sensor 1,0.5", NOW).getMillis());
    assertEquals(good, time.of("2100-01-01T00:00:00.000Z,1,Sensor 1,0.5", NOW).getMillis());
    assertEquals(good, time.of(null, NOW).getMillis());
    assertEquals(good, time.of("{not csv", NOW).getMillis());
    // An older good record keeps its own time (out of order) without moving the newest back.
    assertEquals(good - 100, time.of(Instant.ofEpochMilli(good - 100) + ",1,Sensor 1,0.5", NOW).getMillis());
    assertEquals(good, time.of("garbage", NOW).getMillis());
  }
}
