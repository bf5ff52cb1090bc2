package io.iotbench.pipelines.score;

import io.iotbench.model.RecordFormatException;
import io.iotbench.model.SensorEvent;
import io.iotbench.model.support.ErrorText;
import io.iotbench.pipelines.common.DeadLetter;
import io.iotbench.pipelines.score.source.RecordSettings;
import java.io.Serializable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scorer's record rules, in one pure function: a record (one line, one Kafka or MQTT message) and the wall
 * clock in, either all its events or one rejection with a {@link Reason} out. The parse stage, the sources' event
 * clocks, the KafkaIO timestamp policy and {@code bench-fuzz} all decide with {@link #check}, so every source and
 * runner applies the same rules. The record is the unit: a JSON message with one unusable reading is rejected
 * whole (its good readings do not count), so one record is always exactly one outcome.
 *
 * <p>Checks, in order: {@code empty} (blank), {@code tooLong} (more than {@code maxRecordBytes} UTF-8 bytes),
 * {@code parse} (the codec refuses it), {@code badDevice} (a device id longer than {@value #MAX_DEVICE_ID_CHARS}
 * characters; control characters are allowed and escaped by the outputs), {@code badTimestamp} (before
 * 1970-01-01T00:00:00Z or after 9999-12-31T23:59:59.999Z), {@code futureTimestamp} (more than
 * {@code maxFutureSkewMillis} ahead of the wall clock; event time only), {@code unknownSensor} (a sensor number
 * above {@code sensors}; the sentinel -1 is fine).
 *
 * @param format the records' wire format
 * @param sensors the highest sensor number of the stream ({@link Integer#MAX_VALUE} to check times only)
 * @param maxFutureSkewMillis event times further ahead of the wall clock are rejected
 * @param checkFuture false in the processing-time domain, where event times do not place events
 * @param maxRecordBytes a longer record (UTF-8 bytes) is rejected
 */
public record RecordRules(EventFormat format, int sensors, long maxFutureSkewMillis, boolean checkFuture,
    int maxRecordBytes) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A dead letter keeps at most this many characters of the record, then {@link #truncated}'s marker. */
  public static final int MAX_PAYLOAD_CHARS = 1024;
  /** The longest device id accepted, in characters. */
  public static final int MAX_DEVICE_ID_CHARS = 256;
  /** The earliest event time accepted: 1970-01-01T00:00:00Z. */
  public static final Instant MIN_TIME = Instant.EPOCH;
  /** The latest event time accepted: 9999-12-31T23:59:59.999Z. */
  public static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999Z");
  /** The stage name of the parse stage's dead letters. */
  public static final String STAGE = "parse";

  /** Why a record was rejected; {@link #label} is the dead letter's {@code reason} and the counter's suffix. */
  public enum Reason {
    PARSE("parse"),
    UNKNOWN_SENSOR("unknownSensor"),
    TOO_LONG("tooLong"),
    BAD_TIMESTAMP("badTimestamp"),
    FUTURE_TIMESTAMP("futureTimestamp"),
    EMPTY("empty"),
    BAD_DEVICE("badDevice");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    /** The name of this reason's counter: {@code deadLetters.<label>}. */
    public String counter() {
      return "deadLetters." + label;
    }
  }

  /** What {@link #check} decided: events (parsed) or a reason and a one-line error (rejected). */
  public sealed interface Outcome permits Parsed, Rejected {}

  /** A usable record and all its events (one for CSV, one per reading or one sentinel for JSON). */
  public record Parsed(List<SensorEvent> events) implements Outcome {}

  /** A rejected record: why, and the detail in one line. */
  public record Rejected(Reason reason, String error) implements Outcome {
    /** The record's one dead letter, with the payload cut to {@link #MAX_PAYLOAD_CHARS}. */
    public DeadLetter deadLetter(String record) {
      return new DeadLetter(truncated(record), STAGE, reason.label(), error);
    }
  }

  /** The rules of a run with these source settings and sensors. */
  public static RecordRules of(RecordSettings settings, int sensors) {
    return new RecordRules(settings.format(), sensors, settings.maxFutureSkewMillis(), !settings.processingTime(),
        settings.maxRecordBytes());
  }

  /** The same rules for times only (any sensor number), as the event clocks use them. */
  public RecordRules timesOnly() {
    return new RecordRules(format, Integer.MAX_VALUE, maxFutureSkewMillis, checkFuture, maxRecordBytes);
  }

  /** Decides one record against the wall clock {@code nowMillis}; never throws for any string. */
  public Outcome check(String record, long nowMillis) {
    try {
      return decide(record, nowMillis);
    } catch (RuntimeException | StackOverflowError e) {
      // The codecs promise RecordFormatException only; anything else is still this record's problem alone.
      return new Rejected(Reason.PARSE, "cannot be read: " + ErrorText.oneLine(e));
    }
  }

  private Outcome decide(String record, long nowMillis) {
    if (record == null || record.isBlank()) {
      return new Rejected(Reason.EMPTY, "the record is empty");
    }
    long bytes = utf8Length(record, maxRecordBytes);
    if (bytes > maxRecordBytes) {
      return new Rejected(Reason.TOO_LONG, "the record is longer than --maxRecordBytes=" + maxRecordBytes
          + " (UTF-8 bytes; " + record.length() + " characters received)");
    }
    List<SensorEvent> events;
    try {
      events = format.parse(record);
    } catch (IllegalArgumentException e) {
      // The JSON codec refuses a time it could not write again in its unit (beyond 64 bits): outside the range too.
      boolean timeOutOfRange = e instanceof RecordFormatException && e.getCause() instanceof ArithmeticException;
      return new Rejected(timeOutOfRange ? Reason.BAD_TIMESTAMP : Reason.PARSE, ErrorText.oneLine(e));
    }
    Rejected unknown = null;
    int unknownCount = 0;
    for (SensorEvent e : events) {
      if (e.deviceId().length() > MAX_DEVICE_ID_CHARS) {
        return new Rejected(Reason.BAD_DEVICE, "the device id has " + e.deviceId().length()
            + " characters, more than " + MAX_DEVICE_ID_CHARS);
      }
      Instant t = e.eventTime();
      if (t.isBefore(MIN_TIME) || t.isAfter(MAX_TIME)) {
        return new Rejected(Reason.BAD_TIMESTAMP, "the event time " + t + " is outside " + MIN_TIME + ".." + MAX_TIME);
      }
      if (checkFuture && t.toEpochMilli() > saturatedAdd(nowMillis, maxFutureSkewMillis)) {
        return new Rejected(Reason.FUTURE_TIMESTAMP, "the event time " + t + " is more than --maxFutureSkew="
            + maxFutureSkewMillis / 1000.0 + "s ahead of the wall clock (" + Instant.ofEpochMilli(nowMillis) + ")");
      }
      if (!e.isSentinel() && e.sensor() > sensors) {
        if (unknown == null) {
          unknown = new Rejected(Reason.UNKNOWN_SENSOR,
              "sensor " + e.sensor() + " is not a sensor of this stream (1.." + sensors + ")");
        }
        unknownCount++;
      }
    }
    if (unknown != null) {
      return unknownCount == 1 ? unknown
          : new Rejected(Reason.UNKNOWN_SENSOR, unknown.error() + " (and " + (unknownCount - 1) + " more readings)");
    }
    return new Parsed(events);
  }

  /** The event time of a usable record in milliseconds, or null when it is rejected; never throws. */
  public Long acceptedMillis(String record, long nowMillis) {
    return check(record, nowMillis) instanceof Parsed p && !p.events().isEmpty()
        ? p.events().get(0).eventTime().toEpochMilli()
        : null;
  }

  /**
   * {@code record} cut to {@link #MAX_PAYLOAD_CHARS} characters (never inside a surrogate pair), followed by
   * {@code ...[N characters]} giving the original length when it was cut.
   */
  public static String truncated(String record) {
    if (record == null) {
      return "";
    }
    if (record.length() <= MAX_PAYLOAD_CHARS) {
      return record;
    }
    int end = MAX_PAYLOAD_CHARS;
    if (Character.isHighSurrogate(record.charAt(end - 1))) {
      end--;
    }
    return record.substring(0, end) + "...[" + record.length() + " characters]";
  }

  /** The UTF-8 length of {@code s}, counting at most up to just past {@code limit}. */
  static long utf8Length(String s, int limit) {
    if (s.length() > limit) {
      return s.length(); // every char is at least one byte
    }
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
  }

  /**
   * Keeps the two passes of the parse stage agreeing on records near the future limit: each pass decides with
   * the wall clock of its own moment, so a record whose time lies within the gap between the passes of the
   * limit could be parsed by one and rejected by the other. The first decision on such a record (within
   * {@link #BORDER_MILLIS} of the limit) is remembered per JVM and reused by the other pass.
   */
  static final class Borderline {
    static final long BORDER_MILLIS = 30_000;
    private static final int CAPACITY = 4096;
    private static final Map<String, Boolean> FUTURE = new LinkedHashMap<>(64, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > CAPACITY;
      }
    };

    private Borderline() {}

    static synchronized boolean rememberedFuture(String record, boolean future) {
      Boolean first = FUTURE.putIfAbsent(record, future);
      return first == null ? future : first;
    }
  }

  /**
   * As {@link #check}, with the decision on a record near the future limit taken once per JVM (see
   * {@link Borderline}); what the two passes of {@link ParseEvents} use.
   */
  public Outcome checkConsistently(String record, long nowMillis) {
    Outcome outcome = check(record, nowMillis);
    if (!checkFuture) {
      return outcome;
    }
    boolean future = outcome instanceof Rejected r && r.reason() == Reason.FUTURE_TIMESTAMP;
    if (!future && !(outcome instanceof Parsed)) {
      return outcome;
    }
    long newest = outcome instanceof Parsed p ? newestMillis(p.events()) : newestMillis(record);
    long limit = saturatedAdd(nowMillis, maxFutureSkewMillis);
    if (newest == Long.MIN_VALUE || Math.abs(newest - limit) > Borderline.BORDER_MILLIS) {
      return outcome;
    }
    if (Borderline.rememberedFuture(record, future) == future) {
      return outcome;
    }
    // The other pass decided the other way a moment ago: decide as it did, with a clock that gives its answer.
    return check(record, future ? newest - maxFutureSkewMillis : newest - maxFutureSkewMillis - 1);
  }

  /** The newest event time of a record that parses, else {@link Long#MIN_VALUE}. */
  private long newestMillis(String record) {
    try {
      return newestMillis(format.parse(record));
    } catch (RuntimeException e) {
      return Long.MIN_VALUE;
    }
  }

  /** The newest time of {@code events} (all within the accepted range). */
  private static long newestMillis(List<SensorEvent> events) {
    long newest = Long.MIN_VALUE;
    for (SensorEvent e : events) {
      newest = Math.max(newest, e.eventTime().toEpochMilli());
    }
    return newest;
  }
}
