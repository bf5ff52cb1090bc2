package io.iotbench.pipelines.score;

import io.iotbench.model.support.ErrorText;
import io.iotbench.model.SensorEvent;
import io.iotbench.pipelines.common.DeadLetter;
import io.iotbench.pipelines.common.DeadLetterCoder;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;

/**
 * Parses raw records (CSV lines or JSON messages, one per element or several separated by line breaks) into {@link SensorEvent}s. Malformed records and sensor
 * numbers outside 1..{@code sensors} go to {@link #DEAD_LETTERS} with the original payload and the reason.
 * With {@code eventTimestamps}, each event is re-stamped with its own event time (the bounded file's
 * records start at the minimum timestamp, and a chunk of lines carries the earliest time in it).
 */
public final class ParseEvents extends PTransform<PCollection<String>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  /** Events of sensors 1..n and sentinels. */
  public static final TupleTag<SensorEvent> EVENTS = new TupleTag<>() {};
  /** Records that could not be used. */
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private final EventFormat format;
  private final int sensors;
  private final boolean eventTimestamps;

  public ParseEvents(EventFormat format, int sensors, boolean eventTimestamps) {
    this.format = format;
    this.sensors = sensors;
    this.eventTimestamps = eventTimestamps;
  }

  @Override
  public PCollectionTuple expand(PCollection<String> records) {
    // Two single-output ParDos over the records rather than one with two outputs: the SparkRunner caches every
    // element of a multi-output ParDo in streaming (each event encoded, Java-serialized and decoded again, more
    // than half of the scorer's time in a profile), while the records it caches here are whole chunks of lines.
    // The dead-letter pass parses again; parsing is the cheap part.
    PCollection<SensorEvent> events =
        records.apply("ParseRecords", ParDo.of(new ParseEventFn(format, sensors, eventTimestamps)));
    events.setCoder(SensorEventCoder.of());
    PCollection<DeadLetter> deadLetters = records.apply("FindDeadLetters", ParDo.of(new DeadLetterFn(format, sensors)));
    deadLetters.setCoder(DeadLetterCoder.of());
    return PCollectionTuple.of(EVENTS, events).and(DEAD_LETTERS, deadLetters);
  }

  /** What both passes share: splitting a chunk into records, and what makes an event unusable. */
  abstract static class RecordFn<T> extends DoFn<String, T> {
    private static final long serialVersionUID = 1L;
    final EventFormat format;
    final int sensors;

    RecordFn(EventFormat format, int sensors) {
      this.format = format;
      this.sensors = sensors;
    }

    @ProcessElement
    public void process(@Element String element, OutputReceiver<T> out) {
      // Our sources hand out chunks of lines (see LiveLineSource); a JSON message never spans lines.
      int start = 0;
      while (start <= element.length()) {
        int end = element.indexOf('\n', start);
        if (end < 0) {
          end = element.length();
        }
        if (end > start) {
          processRecord(element.substring(start, end), out);
        }
        start = end + 1;
      }
    }

    abstract void processRecord(String record, OutputReceiver<T> out);

    /** Null for a usable event, else why it is not (a sensor number outside 1..n). */
    final String problem(SensorEvent e) {
      return !e.isSentinel() && e.sensor() > sensors
          ? "field 'sensor' is not a sensor of this stream (1.." + sensors + "): '" + e.sensor() + "'"
          : null;
    }
  }

  /** The usable events of each record, counted. */
  static final class ParseEventFn extends RecordFn<SensorEvent> {
    private static final long serialVersionUID = 1L;
    private final Counter parsed = Metrics.counter(ParseEventFn.class, "parsed");
    private final Counter sentinels = Metrics.counter(ParseEventFn.class, "sentinels");
    private final boolean eventTimestamps;

    ParseEventFn(EventFormat format, int sensors, boolean eventTimestamps) {
      super(format, sensors);
      this.eventTimestamps = eventTimestamps;
    }

    @Override
    public Duration getAllowedTimestampSkew() {
      // Only the bounded replay re-stamps, and only forward from the minimum timestamp; kept permissive so a
      // source that stamped with arrival time can still be corrected to the (earlier) event time.
      return eventTimestamps ? Duration.millis(Long.MAX_VALUE) : Duration.ZERO;
    }

    @Override
    void processRecord(String record, OutputReceiver<SensorEvent> out) {
      List<SensorEvent> events;
      try {
        events = format.parse(record);
      } catch (IllegalArgumentException e) {
        return; // the dead-letter pass reports it
      }
      for (SensorEvent e : events) {
        if (problem(e) != null) {
          continue;
        }
        if (e.isSentinel()) {
          sentinels.inc();
        } else {
          parsed.inc();
        }
        if (eventTimestamps) {
          out.outputWithTimestamp(e, EventFormat.toJoda(e.eventTime()));
        } else {
          out.output(e);
        }
      }
    }
  }

  /** One dead letter per malformed record or unusable event, counted (in {@link ParseEventFn}'s namespace). */
  static final class DeadLetterFn extends RecordFn<DeadLetter> {
    private static final long serialVersionUID = 1L;
    private final Counter parseErrors = Metrics.counter(ParseEventFn.class, "parseErrors");
    private final Counter unknownSensors = Metrics.counter(ParseEventFn.class, "unknownSensors");

    DeadLetterFn(EventFormat format, int sensors) {
      super(format, sensors);
    }

    @Override
    void processRecord(String record, OutputReceiver<DeadLetter> out) {
      List<SensorEvent> events;
      try {
        events = format.parse(record);
      } catch (IllegalArgumentException e) {
        parseErrors.inc();
        out.output(new DeadLetter(record, "parse", ErrorText.oneLine(e)));
        return;
      }
      for (SensorEvent e : events) {
        String problem = problem(e);
        if (problem != null) {
          unknownSensors.inc();
          out.output(new DeadLetter(record, "validate", problem));
        }
      }
    }
  }
}
