package io.iotbench.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.io.Serializable;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Reads and writes JSON sensor messages that carry one device's readings of one or more sensors at one
 * instant, such as {@code {"sensor_id": 48, "sensor_ts": 1556758787735011, "sensor_0": 2, "sensor_1":
 * 0.53}}. Field names come from {@link Fields}: with the defaults, {@code sensor_id} is the device id (a
 * JSON integer or string), {@code sensor_ts} the timestamp (a number of microseconds since the epoch,
 * or an ISO-8601 string), and {@code sensor_<k>} the reading of sensor k+1 (reading
 * {@code <prefix><firstReadingIndex + k>} is sensor k+1). {@link #parse} returns one event per reading,
 * in message order; other fields are ignored, and reading names are matched exactly (decimal index,
 * no leading zeros; {@code sensor_01} is an unknown field).
 *
 * <p><b>End of stream.</b> The original's sentinel, sensor -1, has no reading field name, so a JSON
 * stream ends with a message whose boolean field {@value #SENTINEL_FIELD} is true, e.g.
 * {@code {"sensor_id":48,"sensor_ts":1556758787735011,"sentinel":true}} ({@link #formatSentinel});
 * {@link #parse} returns exactly one {@link SensorEvent#sentinel} for it and ignores any readings in it.
 *
 * <p>The writer emits compact JSON, the device id as a number when it is a canonical non-negative
 * integer of at most 18 digits (so {@code "007"} stays a string), the timestamp as an integer in the
 * configured unit (truncated towards the past), and values with {@link Double#toString(double)}, which
 * reads back as the same double. Parsing uses jackson-core's streaming parser with duplicate-field
 * detection, and reads the non-standard tokens NaN/Infinity only to reject them with the field's
 * name. Malformed messages raise a {@link RecordFormatException} naming the field: {@code json} (not
 * JSON, not one object, duplicate field), the device or timestamp field name (missing or invalid), a
 * reading's name (not a finite number), {@value #SENTINEL_FIELD}, or {@code <prefix>*} when there is no
 * reading at all. A timestamp is accepted only if the writer can write it again, i.e. a whole number of the
 * unit since the epoch that fits a long (MICROSECONDS: years -290308 to 294247), so every parsed message
 * can be formatted; the time parsed from a fraction or an ISO-8601 string is floored to the nanosecond and
 * written floored to the unit. Instances are immutable, thread-safe and serializable.
 */
public final class JsonEventCodec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The boolean field that marks the end-of-stream message. */
  public static final String SENTINEL_FIELD = "sentinel";

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  /** Reading indexes have at most this many digits, so index and sensor number fit an int. */
  private static final int MAX_INDEX_DIGITS = 9;
  private static final int MAX_INDEX = 999_999_999;
  private static final int MAX_NUMERIC_DEVICE_DIGITS = 18;

  /**
   * The names and units of a message's fields: device id field, timestamp field and its unit, the
   * prefix of reading fields, and the index that the first sensor's reading field carries.
   */
  public record Fields(
      String deviceField,
      String timestampField,
      TimeUnit timestampUnit,
      String readingPrefix,
      int firstReadingIndex)
      implements Serializable {

    public Fields {
      Objects.requireNonNull(deviceField, "deviceField");
      Objects.requireNonNull(timestampField, "timestampField");
      Objects.requireNonNull(timestampUnit, "timestampUnit");
      Objects.requireNonNull(readingPrefix, "readingPrefix");
      if (deviceField.isEmpty() || timestampField.isEmpty() || readingPrefix.isEmpty()) {
        throw new IllegalArgumentException("field names and the reading prefix must not be empty");
      }
      if (deviceField.equals(timestampField)
          || deviceField.equals(SENTINEL_FIELD)
          || timestampField.equals(SENTINEL_FIELD)) {
        throw new IllegalArgumentException(
            "device, timestamp and '" + SENTINEL_FIELD + "' fields must differ: " + deviceField
                + ", " + timestampField);
      }
      if (firstReadingIndex < 0) {
        throw new IllegalArgumentException("firstReadingIndex must be >= 0, not " + firstReadingIndex);
      }
      if (readingIndex(deviceField, readingPrefix) >= 0
          || readingIndex(timestampField, readingPrefix) >= 0) {
        throw new IllegalArgumentException(
            "device and timestamp fields must not look like readings ('" + readingPrefix
                + "<index>'): " + deviceField + ", " + timestampField);
      }
    }

    /** {@code ("sensor_id", "sensor_ts", MICROSECONDS, "sensor_", 0)}. */
    public static Fields defaults() {
      return new Fields("sensor_id", "sensor_ts", TimeUnit.MICROSECONDS, "sensor_", 0);
    }
  }

  private final Fields fields;

  public JsonEventCodec(Fields f) {
    this.fields = Objects.requireNonNull(f, "fields");
  }

  /** The field names this codec reads and writes. */
  public Fields fields() {
    return fields;
  }

  /**
   * Parses one message into one event per reading, in message order, all with the message's device
   * id and timestamp; or into a single sentinel event for an end-of-stream message.
   *
   * @throws RecordFormatException if the message is malformed
   */
  public List<SensorEvent> parse(String json) {
    if (json == null) {
      throw new RecordFormatException("json", "is missing", null, null);
    }
    String device = null;
    Instant time = null;
    boolean sentinel = false;
    int count = 0;
    int[] sensors = new int[8];
    double[] values = new double[8];
    try (JsonParser p = FACTORY.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new RecordFormatException("json", "is not a JSON object", json, null);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken token = p.nextToken();
        if (name.equals(fields.deviceField())) {
          device = readDevice(p, token, json);
        } else if (name.equals(fields.timestampField())) {
          time = readTimestamp(p, token, json);
        } else if (name.equals(SENTINEL_FIELD)) {
          if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw new RecordFormatException(SENTINEL_FIELD, "is not true or false", tokenText(p, token), json);
          }
          sentinel |= token == JsonToken.VALUE_TRUE;
        } else {
          int index = readingIndex(name, fields.readingPrefix());
          if (index < fields.firstReadingIndex()) {
            p.skipChildren(); // an unknown field
            continue;
          }
          if (count == sensors.length) {
            sensors = Arrays.copyOf(sensors, 2 * count);
            values = Arrays.copyOf(values, 2 * count);
          }
          sensors[count] = index - fields.firstReadingIndex() + 1;
          values[count] = readReading(p, token, name, json);
          count++;
        }
      }
      if (p.nextToken() != null) {
        throw new RecordFormatException("json", "has content after the object", json, null);
      }
    } catch (JsonProcessingException e) {
      throw new RecordFormatException(
          "json", "is not valid JSON (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")",
          json, null, e);
    } catch (IOException e) {
      // Unreachable for an in-memory String, but must not escape as an unchecked surprise.
      throw new RecordFormatException("json", "could not be read (" + e + ")", json, null, e);
    }

    if (device == null) {
      throw new RecordFormatException(fields.deviceField(), "is missing", json, null);
    }
    if (time == null) {
      throw new RecordFormatException(fields.timestampField(), "is missing", json, null);
    }
    if (sentinel) {
      return List.of(SensorEvent.sentinel(time, device));
    }
    if (count == 0) {
      throw new RecordFormatException(
          fields.readingPrefix() + "*", "is missing (the message has no reading)", json, null);
    }
    SensorEvent[] events = new SensorEvent[count];
    for (int i = 0; i < count; i++) {
      events[i] = new SensorEvent(time, device, sensors[i], values[i]);
    }
    return List.of(events);
  }

  /**
   * Writes one message with the readings {@code values[i]} of sensors {@code sensors[i]}. The simulator calls
   * this once per event (its JSON wire format), a measured hot loop ({@code iotbench bench-simulate}), so the
   * message is assembled in a {@link StringBuilder}; string escaping is Jackson's.
   *
   * @throws IllegalArgumentException if the arrays differ in length or are empty, a sensor number is
   *     below 1, repeated or too large for a field name, a value is not finite, the device id is empty,
   *     or the timestamp does not fit a long in the configured unit
   */
  public String format(String deviceId, Instant ts, int[] sensors, double[] values) {
    Objects.requireNonNull(sensors, "sensors");
    Objects.requireNonNull(values, "values");
    if (sensors.length != values.length || sensors.length == 0) {
      throw new IllegalArgumentException(
          "need as many values as sensors, at least one: " + sensors.length + " sensors, "
              + values.length + " values");
    }
    int[] sorted = sensors.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      if (sorted[i] < 1 || (long) fields.firstReadingIndex() + sorted[i] - 1 > MAX_INDEX) {
        throw new IllegalArgumentException("sensor number out of range: " + sorted[i]);
      }
      if (i > 0 && sorted[i] == sorted[i - 1]) {
        throw new IllegalArgumentException("sensor " + sorted[i] + " appears twice");
      }
    }
    StringBuilder sb = new StringBuilder(48 + 24 * sensors.length);
    appendHeader(sb, deviceId, ts);
    for (int i = 0; i < sensors.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException("value of sensor " + sensors[i] + " is not finite: " + values[i]);
      }
      sb.append(',');
      appendString(sb, fields.readingPrefix() + (fields.firstReadingIndex() + sensors[i] - 1));
      sb.append(':').append(Double.toString(values[i]));
    }
    return sb.append('}').toString();
  }

  /** Writes the end-of-stream message {@code {"<device>":..,"<timestamp>":..,"sentinel":true}}. */
  public String formatSentinel(String deviceId, Instant ts) {
    long time = checkHeader(deviceId, ts);
    StringWriter out = new StringWriter(64);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeFieldName(fields.deviceField());
      if (isCanonicalNumber(deviceId)) {
        g.writeNumber(deviceId);
      } else {
        g.writeString(deviceId);
      }
      g.writeNumberField(fields.timestampField(), time);
      g.writeBooleanField(SENTINEL_FIELD, true);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to a StringWriter", e); // unreachable
    }
    return out.toString();
  }

  /** Validates a message's device id and timestamp; returns the timestamp in the configured unit. */
  private long checkHeader(String deviceId, Instant ts) {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(ts, "ts");
    if (deviceId.isEmpty()) {
      throw new IllegalArgumentException("device id must not be empty");
    }
    try {
      return toUnits(ts, fields.timestampUnit());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(ts + " does not fit a long in " + fields.timestampUnit(), e);
    }
  }

  private void appendHeader(StringBuilder sb, String deviceId, Instant ts) {
    long time = checkHeader(deviceId, ts);
    sb.append('{');
    appendString(sb, fields.deviceField());
    sb.append(':');
    if (isCanonicalNumber(deviceId)) {
      sb.append(deviceId);
    } else {
      appendString(sb, deviceId);
    }
    sb.append(',');
    appendString(sb, fields.timestampField());
    sb.append(':').append(time);
  }

  private String readDevice(JsonParser p, JsonToken token, String json) throws IOException {
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_STRING) {
      String text = p.getText();
      if (!text.isEmpty()) {
        return text;
      }
    }
    throw new RecordFormatException(
        fields.deviceField(), "is not a non-empty string or an integer", tokenText(p, token), json);
  }

  private Instant readTimestamp(JsonParser p, JsonToken token, String json) throws IOException {
    TimeUnit unit = fields.timestampUnit();
    Instant time = null;
    try {
      if (token == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
        return fromUnits(p.getLongValue(), unit); // always fits a long in the unit again
      }
      if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
        if (Double.isFinite(p.getDoubleValue())) {
          time = fromUnits(p.getDecimalValue(), unit);
        }
      } else if (token == JsonToken.VALUE_STRING) {
        time = Instant.parse(p.getText());
      }
    } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
      throw new RecordFormatException(fields.timestampField(),
          "is not a valid instant (a number of " + unit.name().toLowerCase() + " since the epoch or an"
              + " ISO-8601 string)", tokenText(p, token), json, e);
    }
    if (time == null) {
      throw new RecordFormatException(fields.timestampField(),
          "is not a number of " + unit.name().toLowerCase() + " since the epoch or an ISO-8601 string",
          tokenText(p, token), json);
    }
    try {
      toUnits(time, unit); // what the writer must write again
    } catch (ArithmeticException e) {
      throw new RecordFormatException(fields.timestampField(),
          "is out of range (not a whole number of " + unit.name().toLowerCase() + " since the epoch"
              + " that fits 64 bits)", tokenText(p, token), json, e);
    }
    return time;
  }

  private static double readReading(JsonParser p, JsonToken token, String name, String json)
      throws IOException {
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      double v = p.getDoubleValue();
      if (Double.isFinite(v)) {
        return v;
      }
    }
    throw new RecordFormatException(name, "is not a finite number", tokenText(p, token), json);
  }

  /** The value's text for messages: strings in quotes, containers abbreviated. */
  private static String tokenText(JsonParser p, JsonToken token) throws IOException {
    if (token == null) {
      return "";
    }
    return switch (token) {
      case VALUE_STRING -> '"' + p.getText() + '"';
      case START_OBJECT -> "{...}";
      case START_ARRAY -> "[...]";
      default -> p.getText();
    };
  }

  /** The index k of a field named {@code <prefix>k} (canonical decimal, up to 9 digits), else -1. */
  private static int readingIndex(String name, String prefix) {
    int start = prefix.length();
    int digits = name.length() - start;
    if (digits < 1 || digits > MAX_INDEX_DIGITS || !name.startsWith(prefix)
        || (digits > 1 && name.charAt(start) == '0')) {
      return -1;
    }
    int index = 0;
    for (int i = start; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      index = index * 10 + (c - '0');
    }
    return index;
  }

  private static boolean isCanonicalNumber(String s) {
    int n = s.length();
    if (n == 0 || n > MAX_NUMERIC_DEVICE_DIGITS || (n > 1 && s.charAt(0) == '0')) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** How many of {@code unit} make a second; 0 for units longer than a second. */
  private static long perSecond(TimeUnit unit) {
    return unit.convert(1, TimeUnit.SECONDS);
  }

  static Instant fromUnits(long v, TimeUnit unit) {
    long perSecond = perSecond(unit);
    if (perSecond == 0) {
      return Instant.ofEpochSecond(Math.multiplyExact(v, unit.toSeconds(1)));
    }
    return Instant.ofEpochSecond(
        Math.floorDiv(v, perSecond), Math.floorMod(v, perSecond) * (1_000_000_000L / perSecond));
  }

  /**
   * The instant {@code v} units after the epoch, floored to the nanosecond. {@code v} is a finite
   * double's worth of magnitude (at most about 309 integer digits), but its scale may be huge
   * ({@code 1e-999999999}): a magnitude below one nanosecond is answered without scaling, which would
   * otherwise compute a power of ten with a billion digits.
   */
  private static Instant fromUnits(BigDecimal v, TimeUnit unit) {
    BigDecimal nanos = v.multiply(BigDecimal.valueOf(unit.toNanos(1)));
    if (nanos.signum() == 0 || nanos.precision() - nanos.scale() <= 0) { // |nanos| < 1
      return Instant.ofEpochSecond(0, nanos.signum() < 0 ? -1 : 0);
    }
    BigInteger[] secondsAndNanos = nanos.setScale(0, RoundingMode.FLOOR).unscaledValue()
        .divideAndRemainder(BigInteger.valueOf(1_000_000_000L));
    long seconds = secondsAndNanos[0].longValueExact();
    long nano = secondsAndNanos[1].longValue();
    if (nano < 0) { // floor, not truncation, for instants before the epoch
      seconds = Math.subtractExact(seconds, 1);
      nano += 1_000_000_000L;
    }
    return Instant.ofEpochSecond(seconds, nano);
  }

  /**
   * {@code t} as a whole number of {@code unit} since the epoch, floored.
   *
   * @throws ArithmeticException if that does not fit a long
   */
  static long toUnits(Instant t, TimeUnit unit) {
    long perSecond = perSecond(unit);
    if (perSecond == 0) {
      return Math.floorDiv(t.getEpochSecond(), unit.toSeconds(1));
    }
    long seconds = t.getEpochSecond();
    long fraction = t.getNano() / (1_000_000_000L / perSecond);
    if (seconds < 0 && fraction > 0) {
      // as Instant.toEpochMilli: (seconds + 1) * perSecond - (perSecond - fraction) does not overflow
      // on the way to a result that fits, e.g. Long.MIN_VALUE microseconds
      return Math.addExact(Math.multiplyExact(seconds + 1, perSecond), fraction - perSecond);
    }
    return Math.addExact(Math.multiplyExact(seconds, perSecond), fraction);
  }

  /** Appends {@code s} as a JSON string literal. */
  private static void appendString(StringBuilder sb, String s) {
    sb.append('"');
    JsonStringEncoder.getInstance().quoteAsString(s, sb);
    sb.append('"');
  }
}
