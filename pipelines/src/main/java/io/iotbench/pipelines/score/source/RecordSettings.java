package io.iotbench.pipelines.score.source;

import io.iotbench.pipelines.score.EventFormat;
import java.io.Serializable;

/**
 * How every source reads and stamps its records, the same for Kafka, MQTT, a socket and a replayed file: the
 * wire format, the time domain, the out-of-orderness the watermark allows, how far ahead of the wall clock an
 * event time may be before it is ignored for the watermark, and the longest record handed on whole.
 *
 * @param format the records' format (to read event times)
 * @param processingTime stamp with arrival time instead of event time
 * @param outOfOrdernessMillis how far the watermark trails the newest event time
 * @param maxFutureSkewMillis event times further ahead of the wall clock than this never move the watermark
 * @param maxRecordBytes a record longer than this is cut by the source to its first {@code maxRecordBytes + 1}
 *     characters, so the parse stage sees that it was too long without a source ever buffering it whole
 */
public record RecordSettings(EventFormat format, boolean processingTime, long outOfOrdernessMillis,
    long maxFutureSkewMillis, int maxRecordBytes) implements Serializable {

  /** A new clock for one source's records. */
  public EventClock newClock() {
    return new EventClock(this);
  }
}
