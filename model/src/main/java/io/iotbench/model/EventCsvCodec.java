package io.iotbench.model;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Locale;

/**
 * Reads and writes sensor events in the original benchmark's CSV line format,
 * {@code 2018-01-13T21:37:30.830Z,77,Sensor 77,0.474536}: an ISO-8601 UTC timestamp with milliseconds
 * and {@code Z}, the sensor number, the sensor's name {@code Sensor <number>}, and the value. The
 * original's end-of-stream event is {@code ...,-1,Sensor -1,0.00000} (see {@link SensorEvent#sentinel}).
 *
 * <p><b>Multi-device variant</b> (ours, not the original's): a fifth field carries the device id,
 * {@code 2018-01-13T21:37:30.830Z,77,Sensor 77,0.474536,dev-7}. Four-field lines belong to
 * {@link SensorEvent#DEFAULT_DEVICE}. A device id is any non-empty text without commas or line breaks
 * (the reader rejects a "\r" or "\n" inside it, which only a trailing line break may carry).
 *
 * <p>The writer always puts exactly three millisecond digits (sub-millisecond parts are truncated, so a
 * round trip yields {@code eventTime().truncatedTo(MILLIS)}) and six value decimals (HALF_UP, as
 * {@link FixedDecimal}); it is built for the simulator's ~1M events/s: civil-date arithmetic instead of
 * a {@code DateTimeFormatter}, and no {@code String.format}. The reader accepts any number of value
 * decimals (the original writes five), any ISO-8601 instant {@link Instant#parse} accepts (the writer
 * writes years after 9999 with a '+', {@code +300000-01-01T00:00:00.000Z}, and years before 0000 with a
 * '-', over the whole range of {@link Instant}), and a trailing "\r" or "\n". Sensor numbers must be
 * integers from 1 to {@link Integer#MAX_VALUE}, or -1 for the sentinel, so every event the writer
 * accepts reads back. Malformed lines raise a {@link RecordFormatException} naming the field:
 * {@code line} (empty, wrong field count), {@code timestamp}, {@code sensor}, {@code name},
 * {@code value} or {@code device}.
 */
public final class EventCsvCodec {

  /**
   * For years outside 0000..9999 only, which the fast writer does not handle: ISO-8601 with a signed
   * year of five or more digits and three millisecond digits, over the whole range of {@link Instant}
   * (a {@code LocalDateTime}-based pattern fails beyond year ±999,999,999, which Instant.parse accepts).
   */
  private static final DateTimeFormatter WIDE_YEAR_FORMAT =
      new DateTimeFormatterBuilder().appendInstant(3).toFormatter(Locale.ROOT);

  private static final String NAME_PREFIX = "Sensor ";
  private static final int SECONDS_PER_DAY = 86_400;
  /** Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian calendar. */
  private static final long EPOCH_SHIFT_DAYS = 719_468;

  private EventCsvCodec() {}

  /**
   * Parses one line of 4 fields (device {@link SensorEvent#DEFAULT_DEVICE}) or 5 (with device id).
   *
   * @throws RecordFormatException if the line is malformed
   */
  public static SensorEvent parse(String line) {
    if (line == null) {
      throw new RecordFormatException("line", "is missing", null, null);
    }
    int end = Text.endWithoutNewline(line);
    if (end == 0) {
      throw new RecordFormatException("line", "is empty", line, null);
    }
    int c1 = -1;
    int c2 = -1;
    int c3 = -1;
    int c4 = -1;
    int fields = 1;
    for (int i = 0; i < end; i++) {
      if (line.charAt(i) == ',') {
        switch (fields++) {
          case 1 -> c1 = i;
          case 2 -> c2 = i;
          case 3 -> c3 = i;
          case 4 -> c4 = i;
          default -> {}
        }
      }
    }
    if (fields != 4 && fields != 5) {
      throw new RecordFormatException(
          "line",
          "has " + fields + " fields, expected 4 or 5 (timestamp,sensor,name,value[,device])",
          line,
          null);
    }

    Instant time = parseTimestamp(line, 0, c1);

    long sensor = Text.parseInt(line, c1 + 1, c2);
    if (sensor == Text.NOT_AN_INT) {
      throw new RecordFormatException("sensor", "is not a 32-bit integer", line.substring(c1 + 1, c2), line);
    }
    if (sensor < 1 && sensor != SensorEvent.SENTINEL_SENSOR) {
      throw new RecordFormatException(
          "sensor",
          "is not a sensor number (1 or more, or -1 to end the stream)",
          line.substring(c1 + 1, c2),
          line);
    }

    int nameStart = c2 + 1;
    if (!line.startsWith(NAME_PREFIX, nameStart)
        || Text.parseInt(line, nameStart + NAME_PREFIX.length(), c3) != sensor) {
      throw new RecordFormatException(
          "name", "is not 'Sensor " + sensor + "'", line.substring(nameStart, c3), line);
    }

    int valueEnd = fields == 5 ? c4 : end;
    double value = Text.parseFiniteDouble(line, c3 + 1, valueEnd);
    if (Double.isNaN(value)) {
      throw new RecordFormatException(
          "value", "is not a finite number", line.substring(c3 + 1, valueEnd), line);
    }

    String device = SensorEvent.DEFAULT_DEVICE;
    if (fields == 5) {
      if (c4 + 1 == end) {
        throw new RecordFormatException("device", "is empty", "", line);
      }
      for (int i = c4 + 1; i < end; i++) {
        char c = line.charAt(i);
        if (c == '\n' || c == '\r') {
          // the writer refuses such ids (they would split the line), so the reader must too
          throw new RecordFormatException(
              "device", "contains a line break", line.substring(c4 + 1, end), line);
        }
      }
      device = line.substring(c4 + 1, end);
    }
    return new SensorEvent(time, device, (int) sensor, value);
  }

  /** Formats {@code e} as one line (no line break), with the device field if {@code withDevice}. */
  public static String format(SensorEvent e, boolean withDevice) {
    StringBuilder sb = new StringBuilder(withDevice ? 64 : 48);
    append(sb, e, withDevice);
    return sb.toString();
  }

  /**
   * Appends {@code e} as one line (no line break), with the device field if {@code withDevice}.
   *
   * @throws IllegalArgumentException if the event cannot be read back: a sensor number that is neither
   *     &ge; 1 nor -1, a non-finite value, or (with device) an empty device id or one containing a
   *     comma or line break
   */
  public static void append(StringBuilder sb, SensorEvent e, boolean withDevice) {
    int sensor = e.sensor();
    if (sensor < 1 && sensor != SensorEvent.SENTINEL_SENSOR) {
      throw new IllegalArgumentException("sensor must be >= 1 or -1: " + e);
    }
    if (!Double.isFinite(e.value())) {
      throw new IllegalArgumentException("value must be finite: " + e);
    }
    if (withDevice) {
      checkDevice(e);
    }
    appendTimestamp(sb, e.eventTime());
    sb.append(',').append(sensor).append(',').append(NAME_PREFIX).append(sensor).append(',');
    FixedDecimal.append(sb, e.value(), 6);
    if (withDevice) {
      sb.append(',').append(e.deviceId());
    }
  }

  private static void checkDevice(SensorEvent e) {
    String device = e.deviceId();
    if (device.isEmpty()) {
      throw new IllegalArgumentException("device id must not be empty: " + e);
    }
    for (int i = 0; i < device.length(); i++) {
      char c = device.charAt(i);
      if (c == ',' || c == '\n' || c == '\r') {
        throw new IllegalArgumentException("device id must not contain ',' or line breaks: " + e);
      }
    }
  }

  /** yyyy-MM-ddTHH:mm:ss.SSSZ without a formatter; the slow path keeps other ISO-8601 forms valid. */
  private static Instant parseTimestamp(String line, int start, int end) {
    if (end - start == 24) {
      Instant fast = parseCanonical(line, start);
      if (fast != null) {
        return fast;
      }
    }
    String text = line.substring(start, end);
    try {
      return Instant.parse(text);
    } catch (DateTimeException e) {
      throw new RecordFormatException(
          "timestamp", "is not an ISO-8601 UTC timestamp (yyyy-MM-ddTHH:mm:ss.SSSZ)", text, line, e);
    }
  }

  /** The instant at {@code s[p, p+24)} if it is exactly yyyy-MM-ddTHH:mm:ss.SSSZ and valid, else null. */
  private static Instant parseCanonical(String s, int p) {
    if (s.charAt(p + 4) != '-' || s.charAt(p + 7) != '-' || s.charAt(p + 10) != 'T'
        || s.charAt(p + 13) != ':' || s.charAt(p + 16) != ':' || s.charAt(p + 19) != '.'
        || s.charAt(p + 23) != 'Z') {
      return null;
    }
    int year = digits(s, p, 4);
    int month = digits(s, p + 5, 2);
    int day = digits(s, p + 8, 2);
    int hour = digits(s, p + 11, 2);
    int minute = digits(s, p + 14, 2);
    int second = digits(s, p + 17, 2);
    int milli = digits(s, p + 20, 3);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
        || milli < 0) {
      return null; // Instant.parse then produces the error (or accepts e.g. a leap second)
    }
    long epochSecond =
        daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second;
    return Instant.ofEpochSecond(epochSecond, milli * 1_000_000L);
  }

  /** The non-negative number of the {@code n} digits at {@code s[p]}, or -1 if one is not a digit. */
  private static int digits(String s, int p, int n) {
    int v = 0;
    for (int i = p; i < p + n; i++) {
      int d = s.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static int daysInMonth(int year, int month) {
    if (month == 2) {
      boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
      return leap ? 29 : 28;
    }
    return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
  private static long daysFromCivil(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    int era = Math.floorDiv(y, 400);
    int yearOfEra = y - era * 400;
    int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097L + dayOfEra - EPOCH_SHIFT_DAYS;
  }

  /** yyyy-MM-ddTHH:mm:ss.SSSZ via civil_from_days (H. Hinnant), millisecond digits always three. */
  private static void appendTimestamp(StringBuilder sb, Instant t) {
    long epochSecond = t.getEpochSecond();
    int milli = t.getNano() / 1_000_000;
    long epochDay = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
    int secondOfDay = Math.floorMod(epochSecond, SECONDS_PER_DAY);

    long z = epochDay + EPOCH_SHIFT_DAYS;
    long era = Math.floorDiv(z, 146_097L);
    int dayOfEra = (int) (z - era * 146_097L);
    int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    int mp = (5 * dayOfYear + 2) / 153;
    int day = dayOfYear - (153 * mp + 2) / 5 + 1;
    int month = mp < 10 ? mp + 3 : mp - 9;
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

    if (year < 0 || year > 9999) {
      WIDE_YEAR_FORMAT.formatTo(Instant.ofEpochSecond(epochSecond, milli * 1_000_000L), sb);
      return;
    }
    int y = (int) year;
    append2(sb, y / 100);
    append2(sb, y % 100);
    sb.append('-');
    append2(sb, month);
    sb.append('-');
    append2(sb, day);
    sb.append('T');
    append2(sb, secondOfDay / 3600);
    sb.append(':');
    append2(sb, secondOfDay / 60 % 60);
    sb.append(':');
    append2(sb, secondOfDay % 60);
    sb.append('.');
    sb.append((char) ('0' + milli / 100));
    append2(sb, milli % 100);
    sb.append('Z');
  }

  private static void append2(StringBuilder sb, int v) {
    sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }
}
