package io.iotbench.pipelines.score;

import io.iotbench.model.EventCsvCodec;
import io.iotbench.model.JsonEventCodec;
import io.iotbench.model.SensorEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded hostile event records for the parse stage's fuzzing ({@code iotbench bench-fuzz} and the property tests):
 * valid CSV lines and JSON messages, then mutated (cut short, a field replaced by a hostile token such as
 * {@code NaN}, {@code 1e309}, {@code -0}, a huge or negative sensor number, a year of 300000 or
 * {@code Instant.MAX}, control characters), random strings and random bytes decoded as UTF-8, empty and blank
 * records, and now and then a 1 MiB record. {@link #equivalent} checks that a parsed record re-encodes to a record
 * that parses to the same events.
 */
public final class HostileRecords {
  /** Tokens that break parsers: non-finite and out-of-range numbers, extreme times, control characters. */
  static final String[] TOKENS = {
    "NaN", "Infinity", "-Infinity", "1e309", "-1e309", "-0", "-0.0", "0", "-1", "-2", "2147483647", "2147483648",
    "-2147483649", "99999999999999999999", "9223372036854775807", "-9223372036854775808", "1e30", "0x10", "",
    " ", "\u0000", "\u001b[31m", "a\rb", "\t", "\"", "\\", "{", "}", "[1]", "null", "true",
    "+300000-01-01T00:00:00.000Z", "-000001-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z",
    "9999-12-31T23:59:59.999Z", "+10000-01-01T00:00:00Z", "+1000000000-12-31T23:59:59.999999999Z",
    "-1000000000-01-01T00:00:00Z", "2100-01-01T00:00:00.000Z", "2026-02-30T00:00:00.000Z", "2026-01-01T24:00:00Z",
    "\ud800", "\udfff", "\u2028", "é", "😀", "a\nInterval 9: Attention needed"
  };

  private static final JsonEventCodec JSON = new JsonEventCodec(JsonEventCodec.Fields.defaults());
  private static final int MIB = 1 << 20;

  private final Random random;
  private final long nowMillis;

  /** Records from {@code seed}, with times around {@code nowMillis}. */
  public HostileRecords(long seed, long nowMillis) {
    this.random = new Random(seed);
    this.nowMillis = nowMillis;
  }

  /** The next record (may contain any character, including line breaks: the caller splits as a source would). */
  public String next() {
    int kind = random.nextInt(100);
    if (kind < 30) {
      return mutate(validCsv());
    } else if (kind < 60) {
      return mutate(validJson());
    } else if (kind < 70) {
      return random.nextBoolean() ? validCsv() : validJson();
    } else if (kind < 80) {
      return randomString(random.nextInt(200));
    } else if (kind < 90) {
      byte[] bytes = new byte[random.nextInt(200)];
      random.nextBytes(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } else if (kind < 95) {
      return TOKENS[random.nextInt(TOKENS.length)];
    } else if (kind < 99) {
      return random.nextBoolean() ? "" : " ".repeat(1 + random.nextInt(3));
    } else if (random.nextInt(20) == 0) {
      return huge();
    }
    return jsonWithManyReadings(1 + random.nextInt(2000));
  }

  /** A valid CSV line: 4 fields, or 5 with a device id. */
  public String validCsv() {
    int sensor = random.nextInt(10) == 0 ? -1 : 1 + random.nextInt(random.nextBoolean() ? 5 : 200);
    SensorEvent e = new SensorEvent(time(), random.nextBoolean() ? SensorEvent.DEFAULT_DEVICE : device(false), sensor,
        sensor == -1 ? 0.0 : value());
    return EventCsvCodec.format(e, !e.deviceId().equals(SensorEvent.DEFAULT_DEVICE));
  }

  /** A valid JSON message with 1 to 5 readings, or a sentinel message. */
  public String validJson() {
    Instant t = time();
    if (random.nextInt(10) == 0) {
      return withTime(JSON.formatSentinel(device(true), Instant.EPOCH), t);
    }
    int n = 1 + random.nextInt(5);
    int[] sensors = new int[n];
    double[] values = new double[n];
    int next = random.nextInt(3);
    for (int i = 0; i < n; i++) {
      next += 1 + random.nextInt(random.nextBoolean() ? 2 : 100);
      sensors[i] = next;
      values[i] = value();
    }
    return withTime(JSON.format(device(true), Instant.EPOCH, sensors, values), t);
  }

  /** {@code json} (written with time 0) with time {@code t}: microseconds, or an ISO-8601 string beyond a long's. */
  private String withTime(String json, Instant t) {
    String time;
    try {
      time = Long.toString(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000));
    } catch (ArithmeticException e) {
      time = '"' + t.toString() + '"';
    }
    return json.replace("\"sensor_ts\":0", "\"sensor_ts\":" + time);
  }

  /** One JSON message with {@code n} readings of sensors 1..n. */
  public String jsonWithManyReadings(int n) {
    int[] sensors = new int[n];
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      sensors[i] = i + 1;
      values[i] = value();
    }
    return withTime(JSON.format(device(true), Instant.EPOCH, sensors, values), time());
  }

  private String mutate(String valid) {
    switch (random.nextInt(6)) {
      case 0: // cut short
        return valid.substring(0, random.nextInt(valid.length() + 1));
      case 1: { // one character replaced
        StringBuilder sb = new StringBuilder(valid);
        sb.setCharAt(random.nextInt(sb.length()), (char) random.nextInt(0x3000));
        return sb.toString();
      }
      case 2: { // a token inserted somewhere
        int at = random.nextInt(valid.length() + 1);
        return valid.substring(0, at) + TOKENS[random.nextInt(TOKENS.length)] + valid.substring(at);
      }
      default: // a field (between separators) replaced by a token
        return replaceField(valid, TOKENS[random.nextInt(TOKENS.length)]);
    }
  }

  /** {@code record} with one of its fields (CSV field, or JSON value after a ':') replaced by {@code token}. */
  private String replaceField(String record, String token) {
    List<int[]> fields = new ArrayList<>();
    boolean json = record.startsWith("{");
    int start = json ? -1 : 0;
    for (int i = 0; i < record.length(); i++) {
      char c = record.charAt(i);
      if (json ? c == ':' : c == ',') {
        if (!json) {
          fields.add(new int[] {start, i});
        }
        start = i + 1;
      } else if (json && (c == ',' || c == '}') && start >= 0) {
        fields.add(new int[] {start, i});
        start = -1;
      }
    }
    if (!json) {
      fields.add(new int[] {start, record.length()});
    }
    if (fields.isEmpty()) {
      return record + token;
    }
    int[] f = fields.get(random.nextInt(fields.size()));
    String replacement = json && random.nextBoolean() ? '"' + token.replace("\\", "\\\\").replace("\"", "\\\"") + '"' : token;
    return record.substring(0, f[0]) + replacement + record.substring(f[1]);
  }

  private Instant time() {
    switch (random.nextInt(20)) {
      case 0:
        return Instant.parse("+300000-01-01T00:00:00Z");
      case 1:
        return Instant.parse("2100-01-01T00:00:00Z");
      case 2:
        return Instant.ofEpochMilli(nowMillis + random.nextInt(120_000)); // around the future limit
      case 3:
        return Instant.parse("1969-12-31T23:59:59.999Z");
      default:
        return Instant.ofEpochMilli(nowMillis - (long) (random.nextDouble() * 86_400_000L * 365 * 10))
            .truncatedTo(ChronoUnit.MICROS);
    }
  }

  private double value() {
    switch (random.nextInt(10)) {
      case 0:
        return -0.0;
      case 1:
        return random.nextBoolean() ? Double.MAX_VALUE : Double.MIN_VALUE;
      case 2:
        return (random.nextDouble() - 0.5) * 1e12;
      default:
        return Math.round(random.nextDouble() * 1e6) / 1e6;
    }
  }

  private String device(boolean json) {
    switch (random.nextInt(8)) {
      case 0:
        return json ? "a\nInterval 9: Attention needed" : "a\u001bInterval 9: Attention needed";
      case 1:
        return "x".repeat(250 + random.nextInt(10)); // around the device id limit
      case 2:
        return json ? "dev\u0000\u001b[31m\"q\"" : "dev\u001b[31m";
      default:
        return "dev-" + random.nextInt(1000);
    }
  }

  private String randomString(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append((char) (random.nextInt(4) == 0 ? random.nextInt(0x10000) : 0x20 + random.nextInt(0x60)));
    }
    return sb.toString();
  }

  private String huge() {
    return random.nextBoolean() ? "x".repeat(MIB) : validCsv() + "0".repeat(MIB);
  }

  /**
   * Whether {@code events} (what {@code rules} parsed from one record) re-encode, as a JSON message or CSV lines, to
   * records that the same rules parse to the same events (times to the microsecond; CSV values to 6 decimals).
   */
  public static boolean equivalent(RecordRules rules, List<SensorEvent> events, long nowMillis) {
    if (events.isEmpty()) {
      return false;
    }
    SensorEvent first = events.get(0);
    String device = first.deviceId();
    boolean csvWritable = device.indexOf(',') < 0 && device.indexOf('\n') < 0 && device.indexOf('\r') < 0;
    if (rules.format() == EventFormat.JSON || !csvWritable) {
      // A CSV device id with a '\r' inside reads back as it is but cannot be written as CSV: compare through JSON.
      rules = new RecordRules(EventFormat.JSON, rules.sensors(), rules.maxFutureSkewMillis(), rules.checkFuture(),
          Integer.MAX_VALUE);
      String again;
      if (first.isSentinel()) {
        again = JSON.formatSentinel(first.deviceId(), first.eventTime());
      } else {
        int[] sensors = events.stream().mapToInt(SensorEvent::sensor).toArray();
        double[] values = events.stream().mapToDouble(SensorEvent::value).toArray();
        again = JSON.format(first.deviceId(), first.eventTime(), sensors, values);
      }
      if (!(rules.check(again, nowMillis) instanceof RecordRules.Parsed p) || p.events().size() != events.size()) {
        return false;
      }
      for (int i = 0; i < events.size(); i++) {
        SensorEvent a = events.get(i);
        SensorEvent b = p.events().get(i);
        if (!a.eventTime().truncatedTo(ChronoUnit.MICROS).equals(b.eventTime()) || !a.deviceId().equals(b.deviceId())
            || a.sensor() != b.sensor() || Double.compare(a.value(), b.value()) != 0) {
          return false;
        }
      }
      return true;
    }
    if (events.size() != 1) {
      return false;
    }
    boolean withDevice = !device.equals(SensorEvent.DEFAULT_DEVICE);
    String again = EventCsvCodec.format(first, withDevice);
    if (!(rules.check(again, nowMillis) instanceof RecordRules.Parsed p) || p.events().size() != 1) {
      return false;
    }
    SensorEvent b = p.events().get(0);
    double tolerance = 5e-7 + Math.abs(first.value()) * 1e-14;
    return first.eventTime().truncatedTo(ChronoUnit.MILLIS).equals(b.eventTime()) && device.equals(b.deviceId())
        && first.sensor() == b.sensor() && Math.abs(first.value() - b.value()) <= tolerance;
  }
}
