package io.iotbench.pipelines.score;

import io.iotbench.model.SensorEvent;
import io.iotbench.pipelines.common.DeadLetter;
import io.iotbench.pipelines.common.DeadLetterCoder;
import io.iotbench.pipelines.score.source.LiveLineSource;
import java.util.EnumMap;
import java.util.Map;
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
 * Parses raw records (CSV lines or JSON messages, one per element or several separated by line breaks; the empty
 * element is a source's heartbeat and is skipped) into {@link SensorEvent}s with the {@link RecordRules}: each record
 * gives either all its events on {@link #EVENTS} or exactly one {@link DeadLetter} on {@link #DEAD_LETTERS} (stage
 * {@code parse}, a reason, the payload cut to {@value RecordRules#MAX_PAYLOAD_CHARS} characters). With
 * {@code eventTimestamps}, each event is re-stamped with its own event time (the bounded file's records start at
 * the minimum timestamp, and a chunk of lines carries the earliest time in it).
 *
 * <p>Counters, in this class's namespace: {@code records} (records seen), {@code parsedRecords},
 * {@code deadLetters} and {@code deadLetters.<reason>} per reason, with records = parsedRecords + deadLetters;
 * {@code events} (readings parsed) and {@code sentinels} (end-of-stream events, not in {@code events}); and
 * {@code duplicatesSkipped}: records the Kafka source read again (after a rebalance or a seek back) and dropped,
 * reported by the source in a note line at the head of a chunk (see {@link LiveLineSource}), never a record; and
 * {@code duplicatesSuspected}: records the Kafka source handed out again after a restart that an earlier run may
 * already have counted (reported in the same note; they are parsed and counted like any other record).
 */
public final class ParseEvents extends PTransform<PCollection<String>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  /** Events of sensors 1..n and sentinels. */
  public static final TupleTag<SensorEvent> EVENTS = new TupleTag<>() {};
  /** Records that could not be used, one dead letter each. */
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  /** Counter names (namespace {@link ParseEvents}). */
  public static final String RECORDS = "records";
  public static final String PARSED_RECORDS = "parsedRecords";
  public static final String EVENTS_COUNTER = "events";
  public static final String SENTINELS = "sentinels";
  public static final String DEAD_LETTERS_COUNTER = "deadLetters";
  public static final String DUPLICATES_SKIPPED = "duplicatesSkipped";
  public static final String DUPLICATES_SUSPECTED = "duplicatesSuspected";

  private final RecordRules rules;
  private final boolean eventTimestamps;

  public ParseEvents(RecordRules rules, boolean eventTimestamps) {
    this.rules = rules;
    this.eventTimestamps = eventTimestamps;
  }

  @Override
  public PCollectionTuple expand(PCollection<String> records) {
    // Two single-output ParDos over the records rather than one with two outputs: the SparkRunner caches every
    // element of a multi-output ParDo in streaming (each event encoded, Java-serialized and decoded again, more
    // than half of the scorer's time in a profile), while the records it caches here are whole chunks of lines.
    // The dead-letter pass decides again with the same function; parsing is the cheap part.
    PCollection<SensorEvent> events =
        records.apply("ParseRecords", ParDo.of(new ParseEventFn(rules, eventTimestamps)));
    events.setCoder(SensorEventCoder.of());
    PCollection<DeadLetter> deadLetters = records.apply("FindDeadLetters", ParDo.of(new DeadLetterFn(rules)));
    deadLetters.setCoder(DeadLetterCoder.of());
    return PCollectionTuple.of(EVENTS, events).and(DEAD_LETTERS, deadLetters);
  }

  /** What both passes share: splitting a chunk into records and deciding each with the rules. */
  abstract static class RecordFn<T> extends DoFn<String, T> {
    private static final long serialVersionUID = 1L;
    final RecordRules rules;

    RecordFn(RecordRules rules) {
      this.rules = rules;
    }

    @ProcessElement
    public void process(@Element String element, OutputReceiver<T> out) {
      // Our sources hand out chunks of lines (see LiveLineSource); a record never spans lines, and a source hands
      // an empty record on as " ", so empty pieces (the heartbeat "", a trailing line break) are no records.
      int start = 0;
      if (!element.isEmpty() && element.charAt(0) == '\n') {
        // A source's note line (no record is empty, so no chunk of records starts with a line break).
        int end = element.indexOf('\n', 1);
        if (end < 0) {
          end = element.length();
        }
        note(element.substring(1, end));
        start = end + 1;
      }
      long now = System.currentTimeMillis();
      while (start <= element.length()) {
        int end = element.indexOf('\n', start);
        if (end < 0) {
          end = element.length();
        }
        if (end > start) {
          String record = element.substring(start, end);
          processRecord(record, rules.checkConsistently(record, now), out);
        }
        start = end + 1;
      }
    }

    abstract void processRecord(String record, RecordRules.Outcome outcome, OutputReceiver<T> out);

    /** A source's note line (without its line break); counted by one of the passes. */
    void note(String note) {}
  }

  /** The events of each usable record, counted. */
  static final class ParseEventFn extends RecordFn<SensorEvent> {
    private static final long serialVersionUID = 1L;
    private final Counter events = Metrics.counter(ParseEvents.class, EVENTS_COUNTER);
    private final Counter sentinels = Metrics.counter(ParseEvents.class, SENTINELS);
    private final boolean eventTimestamps;

    ParseEventFn(RecordRules rules, boolean eventTimestamps) {
      super(rules);
      this.eventTimestamps = eventTimestamps;
    }

    @Override
    public Duration getAllowedTimestampSkew() {
      // Only the bounded replay re-stamps, and only forward from the minimum timestamp; kept permissive so a
      // source that stamped with arrival time can still be corrected to the (earlier) event time.
      return eventTimestamps ? Duration.millis(Long.MAX_VALUE) : Duration.ZERO;
    }

    @Override
    void processRecord(String record, RecordRules.Outcome outcome, OutputReceiver<SensorEvent> out) {
      if (!(outcome instanceof RecordRules.Parsed parsed)) {
        return; // the dead-letter pass reports it
      }
      for (SensorEvent e : parsed.events()) {
        if (e.isSentinel()) {
          sentinels.inc();
        } else {
          events.inc();
        }
        if (eventTimestamps) {
          // The rules keep event times within 1970..9999, inside Beam's timestamp range.
          out.outputWithTimestamp(e, EventFormat.toJoda(e.eventTime()));
        } else {
          out.output(e);
        }
      }
    }
  }

  /** One dead letter per rejected record; counts every record's outcome. */
  static final class DeadLetterFn extends RecordFn<DeadLetter> {
    private static final long serialVersionUID = 1L;
    private final Counter records = Metrics.counter(ParseEvents.class, RECORDS);
    private final Counter parsedRecords = Metrics.counter(ParseEvents.class, PARSED_RECORDS);
    private final Counter deadLetters = Metrics.counter(ParseEvents.class, DEAD_LETTERS_COUNTER);
    private final Counter duplicatesSkipped = Metrics.counter(ParseEvents.class, DUPLICATES_SKIPPED);
    private final Counter duplicatesSuspected = Metrics.counter(ParseEvents.class, DUPLICATES_SUSPECTED);
    private final Map<RecordRules.Reason, Counter> byReason = new EnumMap<>(RecordRules.Reason.class);

    DeadLetterFn(RecordRules rules) {
      super(rules);
      for (RecordRules.Reason r : RecordRules.Reason.values()) {
        byReason.put(r, Metrics.counter(ParseEvents.class, r.counter()));
      }
    }

    @Override
    void note(String note) {
      long duplicates = LiveLineSource.duplicatesNoted(note);
      if (duplicates > 0) {
        duplicatesSkipped.inc(duplicates);
      }
      long suspected = LiveLineSource.suspectedNoted(note);
      if (suspected > 0) {
        duplicatesSuspected.inc(suspected);
      }
    }

    @Override
    void processRecord(String record, RecordRules.Outcome outcome, OutputReceiver<DeadLetter> out) {
      records.inc();
      if (outcome instanceof RecordRules.Rejected rejected) {
        deadLetters.inc();
        byReason.get(rejected.reason()).inc();
        out.output(rejected.deadLetter(record));
      } else {
        parsedRecords.inc();
      }
    }
  }
}
