package io.iotbench.pipelines.score.source;

import io.iotbench.pipelines.score.EventFormat;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * Stamps the records of a live source and derives its watermark. Event time: the record's own timestamp,
 * and a watermark of the newest event time minus the allowed out-of-orderness that keeps moving with the
 * wall clock while the source is idle (so the last intervals still close when the stream pauses or ends).
 * Processing time: arrival time for both. A record whose time cannot be read gets the newest event time
 * seen (it is dead-lettered by the parser anyway, and must not hold the watermark back).
 */
public final class EventClock {
  private final EventFormat format;
  private final boolean processingTime;
  private final long outOfOrdernessMillis;
  private long maxEventMillis = Long.MIN_VALUE;
  private long lastArrivalMillis;
  private long watermarkMillis = BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis();

  public EventClock(EventFormat format, boolean processingTime, long outOfOrdernessMillis) {
    this.format = format;
    this.processingTime = processingTime;
    this.outOfOrdernessMillis = outOfOrdernessMillis;
  }

  /** The timestamp of a record that arrived now. */
  public Instant stamp(String record) {
    long now = System.currentTimeMillis();
    lastArrivalMillis = now;
    if (processingTime) {
      maxEventMillis = Math.max(maxEventMillis, now);
      return new Instant(now);
    }
    Instant t = format.eventTimeOrNull(record);
    long millis = t != null ? t.getMillis() : (maxEventMillis == Long.MIN_VALUE ? now : maxEventMillis);
    maxEventMillis = Math.max(maxEventMillis, millis);
    return new Instant(millis);
  }

  /** The watermark now; never moves back. */
  public Instant watermark() {
    long now = System.currentTimeMillis();
    if (processingTime) {
      watermarkMillis = Math.max(watermarkMillis, now);
    } else if (maxEventMillis != Long.MIN_VALUE) {
      long idle = Math.max(0, now - lastArrivalMillis);
      watermarkMillis = Math.max(watermarkMillis, maxEventMillis + idle - outOfOrdernessMillis);
    }
    watermarkMillis = Math.min(watermarkMillis, BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis() - 1);
    return new Instant(watermarkMillis);
  }
}
