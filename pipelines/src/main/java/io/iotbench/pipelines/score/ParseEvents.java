package io.iotbench.pipelines.score;

import io.iotbench.model.SensorEvent;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
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
    PCollectionTuple result =
        records.apply(
            "ParseRecords",
            ParDo.of(new ParseEventFn(format, sensors, eventTimestamps))
                .withOutputTags(EVENTS, TupleTagList.of(DEAD_LETTERS)));
    result.get(EVENTS).setCoder(SensorEventCoder.of());
    result.get(DEAD_LETTERS).setCoder(SerializableCoder.of(DeadLetter.class));
    return result;
  }

  /** One record to its events or one dead letter; counts both. */
  static final class ParseEventFn extends DoFn<String, SensorEvent> {
    private static final long serialVersionUID = 1L;
    private final Counter parsed = Metrics.counter(ParseEventFn.class, "parsed");
    private final Counter sentinels = Metrics.counter(ParseEventFn.class, "sentinels");
    private final Counter parseErrors = Metrics.counter(ParseEventFn.class, "parseErrors");
    private final Counter unknownSensors = Metrics.counter(ParseEventFn.class, "unknownSensors");
    private final EventFormat format;
    private final int sensors;
    private final boolean eventTimestamps;

    ParseEventFn(EventFormat format, int sensors, boolean eventTimestamps) {
      this.format = format;
      this.sensors = sensors;
      this.eventTimestamps = eventTimestamps;
    }

    @Override
    public Duration getAllowedTimestampSkew() {
      // Only the bounded replay re-stamps, and only forward from the minimum timestamp; kept permissive so a
      // source that stamped with arrival time can still be corrected to the (earlier) event time.
      return eventTimestamps ? Duration.millis(Long.MAX_VALUE) : Duration.ZERO;
    }

    @ProcessElement
    public void process(@Element String element, MultiOutputReceiver out) {
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

    private void processRecord(String record, MultiOutputReceiver out) {
      List<SensorEvent> events;
      try {
        events = format.parse(record);
      } catch (IllegalArgumentException e) {
        parseErrors.inc();
        out.get(DEAD_LETTERS).output(new DeadLetter(record, "parse", oneLine(e)));
        return;
      }
      for (SensorEvent e : events) {
        if (!e.isSentinel() && e.sensor() > sensors) {
          unknownSensors.inc();
          out.get(DEAD_LETTERS).output(new DeadLetter(record, "validate",
              "field 'sensor' is not a sensor of this stream (1.." + sensors + "): '" + e.sensor() + "'"));
          continue;
        }
        if (e.isSentinel()) {
          sentinels.inc();
        } else {
          parsed.inc();
        }
        if (eventTimestamps) {
          out.get(EVENTS).outputWithTimestamp(e, EventFormat.toJoda(e.eventTime()));
        } else {
          out.get(EVENTS).output(e);
        }
      }
    }

    private static String oneLine(Throwable e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return m.strip().replaceAll("\\s*\\R\\s*", " ");
    }
  }
}
