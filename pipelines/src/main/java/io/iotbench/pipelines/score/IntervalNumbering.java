package io.iotbench.pipelines.score;

import io.iotbench.pipelines.common.BoundedLineReader;
import java.io.IOException;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.time.Instant;
import org.apache.beam.sdk.io.FileSystems;

/**
 * How the scorer numbers its intervals: interval 1 starts at {@code originMillis} and every interval lasts
 * {@code intervalMillis}, so a fixed window's number follows from its start. The origin is a whole multiple of
 * the interval, as Beam's fixed windows are, so every window is exactly one interval.
 */
public record IntervalNumbering(long originMillis, long intervalMillis) implements Serializable {
  /** The number of the interval that starts at {@code windowStartMillis}. */
  public long intervalOf(long windowStartMillis) {
    return Math.floorDiv(windowStartMillis - originMillis, intervalMillis) + 1;
  }

  /**
   * The numbering a run uses: interval 1 starts at {@code --origin}; without it at the recorded file's first
   * event (file source, event time), else at the current time; floored to a whole interval. Reads the file's
   * first lines when needed, so FileSystems must know the run's options.
   */
  public static IntervalNumbering of(ScoreSensorStream.Options o) throws IOException {
    long interval = ScoreSensorStream.millis(o.getInterval());
    long origin;
    if (o.getOrigin() != null) {
      origin = Instant.parse(o.getOrigin()).toEpochMilli();
    } else if ("file".equals(o.getSource()) && !ScoreSensorStream.processingTime(o)) {
      origin = firstEventMillis(o);
    } else {
      origin = System.currentTimeMillis();
    }
    return new IntervalNumbering(Math.floorDiv(origin, interval) * interval, interval);
  }

  /**
   * The event time of the recorded stream's first event that the record rules accept (so a bad or far-future
   * first line does not move interval 1); the current time if it has none.
   */
  private static long firstEventMillis(ScoreSensorStream.Options o) throws IOException {
    RecordRules rules = RecordRules.of(ReadEventRecords.recordSettings(o), Integer.MAX_VALUE).timesOnly();
    try (BoundedLineReader in = BoundedLineReader.utf8(
        Channels.newInputStream(FileSystems.open(FileSystems.matchSingleFileSpec(o.getInputFile()).resourceId())),
        o.getMaxRecordBytes())) {
      String line;
      while ((line = in.readLine()) != null) {
        if (in.lastLineCut()) {
          continue; // a dead letter for the parse stage, not an event
        }
        Long t = rules.acceptedMillis(line, System.currentTimeMillis());
        if (t != null) {
          return t;
        }
      }
    }
    return System.currentTimeMillis();
  }
}
