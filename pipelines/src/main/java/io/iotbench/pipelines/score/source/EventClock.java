package io.iotbench.pipelines.score.source;

import io.iotbench.pipelines.score.RecordRules;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * Stamps the records of a live source and derives its watermark. Event time: the record's own timestamp,
 * and a watermark of the newest event time minus the allowed out-of-orderness that keeps moving with the
 * wall clock while the source is idle (so the last intervals still close when the stream pauses or ends), but
 * not while its connection is down ({@link #sourceDown}): what the producers sent meanwhile arrives after the
 * outage with the times it was sent at, and must find its intervals open, not be dropped as late.
 * Processing time: arrival time for both. Only a record the {@link RecordRules} accept (times only: readable,
 * within 1970..9999, not more than the future skew ahead of the wall clock) moves the newest event time; any
 * other record gets the newest good time as its stamp (it is dead-lettered by the parser, and must neither hold
 * the watermark back nor push it ahead), or the arrival time before the first good record. Before the first good
 * record the watermark is the start of time, unless the source tells that it has read everything its server held
 * ({@link #caughtUp}): then it is that instant minus the out-of-orderness, so a reader of an empty topic, or of one
 * not created yet, lets the empty intervals close instead of holding every window back.
 */
public final class EventClock {
  private final RecordRules rules;
  private final boolean processingTime;
  private final long outOfOrdernessMillis;
  private long maxEventMillis = Long.MIN_VALUE;
  private long lastArrivalMillis;
  private long watermarkMillis = BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis();
  // Written by the feed's thread, read by the reader's.
  private volatile long downSinceMillis = -1;
  private volatile long resumedMillis = Long.MIN_VALUE;
  private volatile long caughtUpMillis = Long.MIN_VALUE;

  public EventClock(RecordSettings settings) {
    this.rules = RecordRules.of(settings, Integer.MAX_VALUE).timesOnly();
    this.processingTime = settings.processingTime();
    this.outOfOrdernessMillis = settings.outOfOrdernessMillis();
  }

  /** The timestamp of a record that arrived now. */
  public Instant stamp(String record) {
    return stamp(record, System.currentTimeMillis());
  }

  /** The timestamp of a record that arrived at {@code now} (wall clock, milliseconds). */
  Instant stamp(String record, long now) {
    lastArrivalMillis = now;
    if (processingTime) {
      maxEventMillis = Math.max(maxEventMillis, now);
      return new Instant(now);
    }
    Long t = rules.acceptedMillis(record, now);
    if (t == null) {
      return new Instant(maxEventMillis == Long.MIN_VALUE ? now : maxEventMillis);
    }
    maxEventMillis = Math.max(maxEventMillis, t);
    return new Instant(t);
  }

  /**
   * The source's connection is down since {@code now}: idle time stops counting until {@link #sourceUp}. Called by
   * the feed when an outage begins.
   */
  public void sourceDown(long now) {
    if (downSinceMillis < 0) {
      downSinceMillis = now;
    }
  }

  /** The source's connection is back at {@code now}: idle time counts again, from now. */
  public void sourceUp(long now) {
    resumedMillis = now;
    downSinceMillis = -1;
  }

  /**
   * The source had read everything its server held at {@code at} (wall clock), with nothing left in its buffer: what
   * it reads later was appended after that instant. Called by a feed that can tell (Kafka: no lag on any assigned
   * partition, or no such topic yet). A clock that has not seen a record yet follows it (see {@link #watermark}).
   */
  public void caughtUp(long at) {
    caughtUpMillis = Math.max(caughtUpMillis, at);
  }

  /** The watermark now; never moves back. */
  public Instant watermark() {
    return watermark(System.currentTimeMillis());
  }

  /** The watermark at wall-clock time {@code now}. */
  Instant watermark(long now) {
    if (processingTime) {
      watermarkMillis = Math.max(watermarkMillis, now);
    } else if (maxEventMillis != Long.MIN_VALUE) {
      long down = downSinceMillis;
      long idle = Math.max(0, (down >= 0 ? Math.min(now, down) : now) - Math.max(lastArrivalMillis, resumedMillis));
      watermarkMillis = Math.max(watermarkMillis, maxEventMillis + idle - outOfOrdernessMillis);
    } else if (caughtUpMillis != Long.MIN_VALUE) {
      // No record yet, and none was waiting when the source was last caught up: a live producer stamps what it sends
      // after that with its own clock, so the reader follows the wall clock of that instant, less the out-of-orderness.
      watermarkMillis = Math.max(watermarkMillis, Math.min(now, caughtUpMillis) - outOfOrdernessMillis);
    }
    watermarkMillis = Math.min(watermarkMillis, BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis() - 1);
    return new Instant(watermarkMillis);
  }
}
