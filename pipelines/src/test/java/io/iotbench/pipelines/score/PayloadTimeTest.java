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

  private static ReadEventRecords.PartitionTime partition() {
    RecordRules rules = RecordRules.of(new RecordSettings(EventFormat.CSV, false, 1000, 60_000, 65_536), 3).timesOnly();
    org.joda.time.Instant start = org.apache.beam.sdk.transforms.windowing.BoundedWindow.TIMESTAMP_MIN_VALUE
        .plus(org.joda.time.Duration.millis(1000));
    return new ReadEventRecords.PartitionTime(new ReadEventRecords.PayloadTime(rules, start), org.joda.time.Duration.millis(1000));
  }

  /**
   * A partition that never gets a record (one device keys every record to the other partition) must not hold the
   * watermark at the start of time once its reader is known to be caught up: Beam's own policy waited for a record.
   */
  @Test
  void aPartitionWithoutRecordsFollowsTheWallClockOnceCaughtUp() {
    ReadEventRecords.PartitionTime p = partition();
    org.joda.time.Instant now = new org.joda.time.Instant(NOW);
    org.joda.time.Instant min = org.apache.beam.sdk.transforms.windowing.BoundedWindow.TIMESTAMP_MIN_VALUE;
    assertEquals(min, p.watermark(-1, null, now), "backlog unknown: no idea what is still to come");
    assertEquals(min, p.watermark(5, now.minus(200), now), "records still waiting in the partition");
    assertEquals(now.minus(1200), p.watermark(0, now.minus(200), now), "caught up 200 ms ago, 1 s out-of-orderness");
  }

  @Test
  void aPartitionWithRecordsKeepsItsNewestTimeUntilCaughtUp() {
    org.joda.time.Instant now = new org.joda.time.Instant(NOW);
    long old = NOW - 3_600_000; // recorded an hour ago, read now
    ReadEventRecords.PartitionTime q = partition();
    assertEquals(old - 1000, withRecord(q, old).watermark(3, now, now).getMillis(), "backlog: the newest time rules");
    assertEquals(NOW - 1000, q.watermark(0, now, now).getMillis(), "all read: what comes next is appended after now");
    assertEquals(NOW - 1000, withRecord(partition(), NOW + 30_000).watermark(0, now, now).getMillis(),
        "a newest time ahead of the wall clock never moves the watermark past now");
  }

  private static ReadEventRecords.PartitionTime withRecord(ReadEventRecords.PartitionTime p, long millis) {
    p.stamp(Instant.ofEpochMilli(millis) + ",1,Sensor 1,0.5", NOW);
    return p;
  }

  /** Why the scorer has its own policy: Beam's holds a partition that never got a record at the start of time. */
  @Test
  void beamsOwnPolicyHoldsAPartitionWithoutRecordsAtTheStartOfTime() {
    org.joda.time.Instant now = org.joda.time.Instant.now();
    org.apache.beam.sdk.io.kafka.TimestampPolicy.PartitionContext caughtUp =
        new org.apache.beam.sdk.io.kafka.TimestampPolicy.PartitionContext() {
          @Override
          public long getMessageBacklog() {
            return 0;
          }

          @Override
          public org.joda.time.Instant getBacklogCheckTime() {
            return now;
          }
        };
    org.apache.beam.sdk.io.kafka.CustomTimestampPolicyWithLimitedDelay<String, String> beams =
        new org.apache.beam.sdk.io.kafka.CustomTimestampPolicyWithLimitedDelay<>(
            r -> now, org.joda.time.Duration.millis(1000), java.util.Optional.empty());
    assertEquals(org.apache.beam.sdk.transforms.windowing.BoundedWindow.TIMESTAMP_MIN_VALUE, beams.getWatermark(caughtUp));
    assertEquals(now.minus(org.joda.time.Duration.millis(1000)), partition().getWatermark(caughtUp));
  }
}
