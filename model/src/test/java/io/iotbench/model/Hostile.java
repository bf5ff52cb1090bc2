package io.iotbench.model;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of hostile record texts shared by the codec property suites: arbitrary UTF-16 text,
 * random bytes decoded as UTF-8 the way sources decode them, corrupted and truncated valid records,
 * numbers and timestamps at and beyond every limit, device ids with control characters, and records of
 * one mebibyte.
 */
final class Hostile {
  static final int MIB = 1 << 20;

  private static final DateTimeFormatter CANONICAL =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private static final Instant YEAR_0 = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z");

  private Hostile() {}

  /** Any UTF-16 text: lone surrogates, control characters and line breaks included. */
  static Arbitrary<String> anyText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(100),
        Arbitraries.strings().withChars("0123456789,.-+eE:TZ \r\n\t\"{}[]Sensor_id").ofMaxLength(100));
  }

  /** Random bytes decoded as UTF-8 as the sources decode them: invalid sequences become U+FFFD. */
  static Arbitrary<String> decodedBytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(120).map(b -> new String(b, UTF_8));
  }

  /**
   * A valid record damaged at the byte level and decoded again: cut at any byte (inside a multi-byte
   * character too), one byte replaced, or one byte removed.
   */
  static Arbitrary<String> damaged(Arbitrary<String> valid) {
    // no flatMap: jqwik keeps every arbitrary a property creates until it ends
    return Combinators.combine(valid, Arbitraries.integers().greaterOrEqual(0), Arbitraries.bytes(),
            Arbitraries.integers().between(0, 2))
        .as((record, seed, b, kind) -> {
          byte[] bytes = record.getBytes(UTF_8);
          int position = seed % (bytes.length + 1);
          if (kind == 0 || position == bytes.length) {
            return new String(bytes, 0, position, UTF_8);
          }
          if (kind == 1) {
            bytes[position] = b;
            return new String(bytes, UTF_8);
          }
          return new String(bytes, 0, position, UTF_8)
              + new String(bytes, position + 1, bytes.length - position - 1, UTF_8);
        });
  }

  /** Every prefix of {@code record}, from the empty string to the whole record. */
  static List<String> prefixes(String record) {
    List<String> prefixes = new ArrayList<>(record.length() + 1);
    for (int i = 0; i <= record.length(); i++) {
      prefixes.add(record.substring(0, i));
    }
    return prefixes;
  }

  /** Line endings a record may carry, most often none. */
  static Arbitrary<String> lineEndings() {
    return Arbitraries.frequencyOf(
        Tuple.of(10, Arbitraries.just("")),
        Tuple.of(1, Arbitraries.of("\n", "\r\n", "\r", "\n\n", "\r\r\n", "\n\r", " ", "\t", "\u0000")));
  }

  /** {@code head}, then {@code unit} repeated until the text is at least one mebibyte, then {@code tail}. */
  static String mebibyte(String head, String unit, String tail) {
    return head + unit.repeat(MIB / Math.max(1, unit.length()) + 1) + tail;
  }

  /** Instants over the whole range of {@link Instant}, most often within years 0000..9999. */
  static Arbitrary<Instant> instants() {
    long min0 = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    long max9999 = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.randomValue(r -> Instant.ofEpochSecond(
            between(r, min0, max9999), r.nextInt(1_000_000_000)))),
        Tuple.of(2, Arbitraries.randomValue(r -> Instant.ofEpochSecond(
            between(r, Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()), r.nextInt(1_000_000_000)))),
        Tuple.of(1, Arbitraries.randomValue(r -> Instant.ofEpochSecond(0, r.nextLong())
            .plusSeconds(r.nextInt() * (long) r.nextInt(1_000_000)))),
        Tuple.of(2, Arbitraries.of(edgeInstants())));
  }

  private static List<Instant> edgeInstants() {
    List<Instant> edges = new ArrayList<>();
    for (String s : new String[] {
        "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00Z",
        "-0001-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999999999Z",
        "+10000-01-01T00:00:00Z", "+300000-01-01T00:00:00Z", "-300000-01-01T00:00:00Z",
        "+999999999-12-31T23:59:59.999999999Z", "-999999999-01-01T00:00:00Z", "2016-12-31T23:59:59.999Z",
        "2000-02-29T12:00:00Z", "2100-02-28T23:59:59.999Z"}) {
      edges.add(Instant.parse(s));
    }
    edges.add(Instant.MIN);
    edges.add(Instant.MAX);
    edges.add(Instant.MIN.plusNanos(1));
    edges.add(Instant.MAX.minusNanos(1));
    edges.add(Instant.MAX.minusMillis(1));
    for (long v : new long[] {Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1}) {
      edges.add(Instant.ofEpochMilli(v));
      edges.add(Instant.ofEpochSecond(0, v)); // the extremes of a long in nanoseconds
      edges.add(Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000L), Math.floorMod(v, 1_000_000L) * 1000)); // micros
    }
    return edges;
  }

  private static long between(Random r, long min, long max) {
    return min + (long) (r.nextDouble() * (max - min));
  }

  /** Timestamps as text: canonical, any ISO form, extreme years, leap seconds, invalid dates, junk. */
  static Arbitrary<String> timestampTexts() {
    Arbitrary<String> canonical = instants().map(Hostile::canonical);
    return Arbitraries.frequencyOf(
        Tuple.of(6, canonical),
        Tuple.of(3, instants().map(Instant::toString)),
        Tuple.of(2, Arbitraries.of(
            "2016-12-31T23:59:60Z", "2016-12-31T23:59:60.999Z", "2016-12-31T23:59:60.999999999Z",
            "2017-06-30T12:00:60Z", "2018-02-29T00:00:00.000Z", "2018-02-30T00:00:00.000Z",
            "2000-02-29T00:00:00.000Z", "1900-02-29T00:00:00.000Z", "2018-13-01T00:00:00.000Z",
            "2018-00-10T00:00:00.000Z", "2018-01-32T00:00:00.000Z", "2018-01-01T25:00:00.000Z",
            "2018-01-01T24:00:00.000Z", "2018-01-01T24:00:00.001Z", "2018-01-01T23:60:00.000Z",
            "2018-1-1T00:00:00.000Z", "2018-01-01t00:00:00.000z", "2018-01-01T00:00:00.000+01:00",
            "2018-01-01T00:00:00+18:00", "2018-01-01T00:00:00-18:00", "2018-01-01T00:00:00+19:00",
            "2018-01-01T00:00:00.1234567891Z", "2018-01-01T00:00:00.Z", "2018-01-01T00:00:00Z ",
            " 2018-01-01T00:00:00Z", "2018-01-01 00:00:00.000Z", "2018-01-01T00:00:00.000",
            "0000-01-01T00:00:00.000Z", "-0001-01-01T00:00:00.000Z", "-0000-01-01T00:00:00Z",
            "+0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "+10000-01-01T00:00:00.000Z",
            "10000-01-01T00:00:00.000Z", "+300000-01-01T00:00:00.000Z", "-300000-01-01T00:00:00.000Z",
            "+1000000000-12-31T23:59:59.999999999Z", "-1000000000-01-01T00:00:00Z",
            "+1000000001-01-01T00:00:00Z", "-1000000001-12-31T23:59:59Z", "+9999999999-01-01T00:00:00Z",
            "+99999999999-01-01T00:00:00Z", "٢٠١٨-01-01T00:00:00.000Z", "２０１８-01-01T00:00:00.000Z",
            "", "Z", "T", "yesterday", "1516000000000", "NaN")),
        Tuple.of(2, mutated(canonical)));
  }

  /** yyyy-MM-ddTHH:mm:ss.SSSZ for years 0..9999, else the ISO-8601 form Instant prints. */
  static String canonical(Instant t) {
    return !t.isBefore(YEAR_0) && t.isBefore(YEAR_10000) ? CANONICAL.format(t) : t.toString();
  }

  /** The text with one character replaced by one that often makes or breaks a number or a date. */
  static Arbitrary<String> mutated(Arbitrary<String> texts) {
    return Combinators.combine(texts, Arbitraries.integers().greaterOrEqual(0),
            Arbitraries.of("0", "9", "-", ":", ".", "T", "Z", "+", " ", ",", "\n", "\u0000", "e", "", "00", "\uFFFD"))
        .as((s, seed, c) -> {
          if (s.isEmpty()) {
            return c;
          }
          int i = seed % s.length();
          return s.substring(0, i) + c + s.substring(i + 1);
        });
  }

  /** Finite doubles with the extremes: ±MAX_VALUE, denormals, MIN_NORMAL, ±0, huge and tiny values. */
  static Arbitrary<Double> finiteDoubles() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.randomValue(Random::nextDouble)),
        Tuple.of(3, Arbitraries.randomValue(r -> Double.longBitsToDouble(r.nextLong()))
            .filter(Double::isFinite)),
        Tuple.of(2, Arbitraries.randomValue(r -> (r.nextInt(2_000_001) - 1_000_000) / 1e5)),
        Tuple.of(2, Arbitraries.of(
            0.0, -0.0, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -Double.MIN_VALUE,
            Double.MIN_NORMAL, -Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL), 1e308, -1e308, 1e-300,
            0.5, 0.125, 0.15, 0.0000005, -0.0000005, 0.000005, -0.000004, 0.999995, 0.9999995, 1e15 + 0.5,
            4503599627370496.5, 9007199254740993.0, (double) Long.MAX_VALUE, 1e22, 1e23, 123456789.1234567)));
  }

  /** Doubles whose text is short (records cut at every position stay cheap): ±0, ±MIN_VALUE, 5 decimals. */
  static Arbitrary<Double> shortDoubles() {
    return Arbitraries.frequencyOf(
        Tuple.of(8, Arbitraries.randomValue(r -> (r.nextInt(2_000_001) - 1_000_000) / 1e5)),
        Tuple.of(1, Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e20, -0.0000005, 0.9999995)));
  }

  /** Short device ids, control characters and non-ASCII included. */
  static Arbitrary<String> shortDeviceIds() {
    return Arbitraries.oneOf(
        Arbitraries.strings().alpha().numeric().withChars("-_").ofMinLength(1).ofMaxLength(8),
        Arbitraries.of("a\u0000b", "\u001b[0m", "😀", "é\u2028", "\ud800", "007", "\"q\"", "\\", "\t"));
  }

  /** Numbers as text: NaN, infinities, overflow, -0, denormals, huge digit strings, near-numbers. */
  static Arbitrary<String> numberTexts() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, finiteDoubles().map(d -> Double.toString(d))),
        Tuple.of(2, finiteDoubles().map(d -> String.format(Locale.ROOT, "%.5f", d))),
        Tuple.of(1, finiteDoubles().map(d -> new java.math.BigDecimal(d).toPlainString())),
        Tuple.of(2, Arbitraries.randomValue(Hostile::randomNumberText)),
        Tuple.of(3, Arbitraries.of(
            "NaN", "-NaN", "nan", "Infinity", "-Infinity", "+Infinity", "inf", "1e309", "-1e309", "1E309",
            "1e308", "1.7976931348623157E308", "1.7976931348623159E308", "-1.7976931348623157e308",
            "4.9e-324", "4.9E-324", "2.4e-324", "2.5e-324", "1e-400", "-1e-400", "2.2250738585072014E-308",
            "-0", "-0.0", "+0", "0", "0.0", "-0.000000", "1", "-1", "0x1p3", "0x1.0p0", "1d", "1f", "1L",
            "1_000", ".5", "5.", ".", "-", "+", "e5", "1e", "1e+", "1e-", "--1", "+-1", "1.2.3", " 1", "1 ",
            "1,5", "١", "１", "0.5\u0000", "1e2147483648", "1e-2147483649", "1e-999999999", "0e999999999",
            "1e-9999999", "123456789012345678901234567890", "9".repeat(400), "0." + "0".repeat(400) + "1",
            "1" + "0".repeat(330), "1" + "0".repeat(1200), "0." + "5".repeat(1200))));
  }

  private static String randomNumberText(Random r) {
    StringBuilder sb = new StringBuilder();
    if (r.nextInt(3) == 0) {
      sb.append(r.nextBoolean() ? '-' : '+');
    }
    int digits = r.nextInt(4) == 0 ? r.nextInt(40) : r.nextInt(8);
    for (int i = 0; i < digits; i++) {
      sb.append((char) ('0' + r.nextInt(10)));
    }
    if (r.nextBoolean()) {
      sb.append('.');
      int fraction = r.nextInt(4) == 0 ? r.nextInt(40) : r.nextInt(8);
      for (int i = 0; i < fraction; i++) {
        sb.append((char) ('0' + r.nextInt(10)));
      }
    }
    if (r.nextInt(4) == 0) {
      sb.append(r.nextBoolean() ? 'e' : 'E');
      if (r.nextBoolean()) {
        sb.append(r.nextBoolean() ? '-' : '+');
      }
      sb.append(r.nextInt(5) == 0 ? r.nextInt(Integer.MAX_VALUE) : r.nextInt(400));
    }
    return sb.toString();
  }

  /** Integers as text, for sensor numbers and reading indexes: in and out of every range. */
  static Arbitrary<String> integerTexts() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.integers().between(1, 1000).map(String::valueOf)),
        Tuple.of(2, Arbitraries.integers().map(String::valueOf)),
        Tuple.of(1, Arbitraries.longs().map(String::valueOf)),
        Tuple.of(3, Arbitraries.of(
            "-1", "0", "-0", "1", "+1", "01", "007", "999999999", "1000000000", "2147483647", "2147483648",
            "-2147483648", "-2147483649", "9223372036854775807", "-9223372036854775808", "99999999999999999999",
            "", " 1", "1 ", "1.0", "1e3", "-", "--1", "١", "1\n", "\u00001")));
  }

  /** Device ids: plain, numeric, with control characters and line breaks, Unicode, commas, long. */
  static Arbitrary<String> deviceIds() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of(
            "dev-7", "1", "48", "0", "007", "-5", "a\nInterval 9: Attention needed", "a\rb", "a\r\nb", "\n",
            "\r", "\t", "\u0000", "\u001b[31mred\u001b[0m", "\u007f", "\u2028", "\u2029", "\u0085", "\ud800",
            "\udc00x", "😀", "é", "a,b", "", " ", "\"quoted\"", "back\\slash", "{\"json\":1}",
            "1234567890123456789", "123456789012345678", "x".repeat(1000))),
        Tuple.of(3, Arbitraries.strings().alpha().numeric().withChars("-_.").ofMinLength(1).ofMaxLength(20)),
        Tuple.of(2, Arbitraries.strings().all().ofMaxLength(20)),
        Tuple.of(1, Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMaxLength(5)));
  }
}
