package io.iotbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * Properties of {@link JsonEventCodec} over hostile input, for several field layouts and timestamp
 * units. Every text either parses, or is rejected with a {@link RecordFormatException} naming a
 * documented field; nothing else escapes. A parsed message re-encodes ({@code format}, or
 * {@code formatSentinel} for an end-of-stream message) without an exception, to a message that parses
 * to the same events, except that the time is truncated (towards the past) to the timestamp unit:
 * device ids, sensor numbers and values (bit for bit, -0 included) are kept exactly.
 */
class JsonEventCodecPropertyTest {
  private static final List<JsonEventCodec.Fields> LAYOUTS = List.of(
      JsonEventCodec.Fields.defaults(),
      new JsonEventCodec.Fields("device", "time", TimeUnit.MILLISECONDS, "s", 1),
      new JsonEventCodec.Fields("id", "ts", TimeUnit.SECONDS, "v", 0),
      new JsonEventCodec.Fields("id", "ts", TimeUnit.NANOSECONDS, "sensor_", 0),
      new JsonEventCodec.Fields("id", "ts", TimeUnit.MINUTES, "r", 5),
      new JsonEventCodec.Fields("id", "ts", TimeUnit.DAYS, "r", 0));
  private static final String DEEP = "[".repeat(5000) + "]".repeat(5000);
  /** One arbitrary per layout, made once: jqwik keeps every arbitrary a property creates until it ends. */
  private static final Map<JsonEventCodec.Fields, Arbitrary<Tuple2<JsonEventCodec.Fields, String>>> MESSAGES =
      new HashMap<>();
  private static final Map<JsonEventCodec.Fields, Arbitrary<Tuple2<JsonEventCodec.Fields, String>>> VALID =
      new HashMap<>();

  static {
    for (JsonEventCodec.Fields f : LAYOUTS) {
      Arbitrary<String> valid = valid(f);
      VALID.put(f, valid.map(json -> Tuple.of(f, json)));
      MESSAGES.put(f, Arbitraries.frequencyOf(
          Tuple.of(96, assembled(f)),
          Tuple.of(24, Hostile.anyText()),
          Tuple.of(16, Hostile.decodedBytes()),
          Tuple.of(32, Hostile.damaged(valid)),
          Tuple.of(8, Arbitraries.of("", " ", "{}", "[]", "null", "{\"a\":1}{", DEEP, "\u0000{}")),
          Tuple.of(1, Arbitraries.of(big(f)))).map(json -> Tuple.of(f, json)));
    }
  }

  @Property
  void anyTextIsParsedOrRejectedNamingTheField(@ForAll("messages") Tuple2<JsonEventCodec.Fields, String> m) {
    checkParse(new JsonEventCodec(m.get1()), m.get2());
  }

  @Property
  void everyTruncationOfAValidMessageIsParsedOrRejected(
      @ForAll("validMessages") Tuple2<JsonEventCodec.Fields, String> m) {
    JsonEventCodec codec = new JsonEventCodec(m.get1());
    for (String prefix : Hostile.prefixes(m.get2())) {
      checkParse(codec, prefix);
    }
  }

  @Property
  void theWriterRefusesOnlyWhatCannotBeReadBack(
      @ForAll("layouts") JsonEventCodec.Fields fields, @ForAll("devices") String device,
      @ForAll("instants") Instant t, @ForAll("sensors") int[] sensors, @ForAll("values") double[] values,
      @ForAll boolean sentinel) {
    JsonEventCodec codec = new JsonEventCodec(fields);
    boolean timeFits = fitsUnits(t, fields.timestampUnit());
    if (sentinel) {
      if (device.isEmpty() || !timeFits) {
        assertThrows(IllegalArgumentException.class, () -> codec.formatSentinel(device, t));
      } else {
        String json = codec.formatSentinel(device, t);
        assertEquals(List.of(SensorEvent.sentinel(truncated(t, fields.timestampUnit()), device)), codec.parse(json));
      }
      return;
    }
    double[] v = java.util.Arrays.copyOf(values, Math.min(values.length, sensors.length));
    boolean sensorsOk = sensors.length == v.length && sensors.length > 0
        && java.util.Arrays.stream(sensors).distinct().count() == sensors.length
        && java.util.Arrays.stream(sensors)
            .allMatch(s -> s >= 1 && (long) fields.firstReadingIndex() + s - 1 <= 999_999_999);
    boolean valuesOk = java.util.Arrays.stream(v).allMatch(Double::isFinite);
    if (device.isEmpty() || !timeFits || !sensorsOk || !valuesOk) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> codec.format(device, t, sensors, v));
      assertEquals(IllegalArgumentException.class, e.getClass());
      return;
    }
    String json = codec.format(device, t, sensors, v);
    List<SensorEvent> expected = new ArrayList<>();
    for (int i = 0; i < sensors.length; i++) {
      expected.add(new SensorEvent(truncated(t, fields.timestampUnit()), device, sensors[i], v[i]));
    }
    assertEquals(expected, codec.parse(json), json);
  }

  /** Integer timestamps: every long is accepted, as the instant it denotes, unless that is not an Instant. */
  @Property
  void integerTimestampsAreReadInTheirUnit(@ForAll("layouts") JsonEventCodec.Fields fields, @ForAll("longs") long ts) {
    JsonEventCodec codec = new JsonEventCodec(fields);
    String json = "{\"" + fields.deviceField() + "\":1,\"" + fields.timestampField() + "\":" + ts + ",\""
        + fields.readingPrefix() + fields.firstReadingIndex() + "\":0.5}";
    BigInteger nanos = BigInteger.valueOf(ts).multiply(BigInteger.valueOf(fields.timestampUnit().toNanos(1)));
    BigInteger[] secondsAndNanos = nanos.divideAndRemainder(BigInteger.valueOf(1_000_000_000L));
    if (secondsAndNanos[1].signum() < 0) {
      secondsAndNanos[0] = secondsAndNanos[0].subtract(BigInteger.ONE);
      secondsAndNanos[1] = secondsAndNanos[1].add(BigInteger.valueOf(1_000_000_000L));
    }
    boolean inRange = secondsAndNanos[0].compareTo(BigInteger.valueOf(Instant.MIN.getEpochSecond())) >= 0
        && secondsAndNanos[0].compareTo(BigInteger.valueOf(Instant.MAX.getEpochSecond())) <= 0;
    if (inRange && fields.timestampUnit().toNanos(1) != Long.MAX_VALUE) {
      Instant expected = Instant.ofEpochSecond(secondsAndNanos[0].longValue(), secondsAndNanos[1].longValue());
      assertEquals(expected, codec.parse(json).get(0).eventTime(), json);
    }
    checkParse(codec, json);
  }

  static void checkParse(JsonEventCodec codec, String json) {
    List<SensorEvent> events;
    try {
      events = codec.parse(json);
    } catch (RecordFormatException rejected) {
      Rejections.assertWellFormed(rejected, documented(codec.fields()), json);
      return;
    }
    assertFalse(events.isEmpty(), json);
    String device = events.get(0).deviceId();
    Instant t = events.get(0).eventTime();
    List<SensorEvent> expected = new ArrayList<>();
    Instant truncated = truncated(t, codec.fields().timestampUnit());
    String again;
    if (events.size() == 1 && events.get(0).isSentinel()) {
      again = codec.formatSentinel(device, t);
      expected.add(SensorEvent.sentinel(truncated, device));
    } else {
      int[] sensors = new int[events.size()];
      double[] values = new double[events.size()];
      for (int i = 0; i < sensors.length; i++) {
        SensorEvent e = events.get(i);
        assertEquals(device, e.deviceId(), json);
        assertEquals(t, e.eventTime(), json);
        sensors[i] = e.sensor();
        values[i] = e.value();
        expected.add(new SensorEvent(truncated, device, e.sensor(), e.value()));
      }
      again = codec.format(device, t, sensors, values);
    }
    assertEquals(expected, codec.parse(again), again);
  }

  private static Predicate<String> documented(JsonEventCodec.Fields f) {
    return field -> field.equals("json") || field.equals(f.deviceField()) || field.equals(f.timestampField())
        || field.equals(JsonEventCodec.SENTINEL_FIELD) || field.equals(f.readingPrefix() + "*")
        || (field.startsWith(f.readingPrefix()) && field.length() > f.readingPrefix().length()
            && field.substring(f.readingPrefix().length()).matches("0|[1-9][0-9]{0,8}"));
  }

  static Instant truncated(Instant t, TimeUnit unit) {
    return t.truncatedTo(unit.toChronoUnit());
  }

  private static boolean fitsUnits(Instant t, TimeUnit unit) {
    long perSecond = unit.convert(1, TimeUnit.SECONDS);
    if (perSecond == 0) {
      return true;
    }
    BigInteger units = BigInteger.valueOf(t.getEpochSecond()).multiply(BigInteger.valueOf(perSecond))
        .add(BigInteger.valueOf(t.getNano() / unit.toNanos(1)));
    return units.bitLength() < 64;
  }

  private static String quoted(String s) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
  }

  @Provide
  Arbitrary<JsonEventCodec.Fields> layouts() {
    return Arbitraries.of(LAYOUTS);
  }

  @Provide
  Arbitrary<Tuple2<JsonEventCodec.Fields, String>> messages() {
    return layouts().flatMap(f -> MESSAGES.get(f));
  }

  private static List<String> big(JsonEventCodec.Fields f) {
    String head = "{\"" + f.deviceField() + "\":1,\"" + f.timestampField() + "\":1500000000,";
    String reading = "\"" + f.readingPrefix() + f.firstReadingIndex() + "\":";
    return List.of(
        Hostile.mebibyte(head + reading + "0.", "5", "}"),
        Hostile.mebibyte(head + "\"pad\":\"", "x", "\"," + reading + "1}"),
        Hostile.mebibyte("{\"" + f.deviceField() + "\":\"", "\\u0000\\n", "\",\"" + f.timestampField()
            + "\":1," + reading + "1}"),
        Hostile.mebibyte(head + reading + "1", " ", "}"),
        Hostile.mebibyte("{", "\"a\":[1,2,{\"b\":null}],", head.substring(1) + reading + "1}"));
  }

  private static Arbitrary<String> assembled(JsonEventCodec.Fields f) {
    Arbitrary<String> device = Arbitraries.frequencyOf(
            Tuple.of(4, Hostile.deviceIds().map(JsonEventCodecPropertyTest::quoted)),
            Tuple.of(3, Hostile.integerTexts()),
            Tuple.of(1, Arbitraries.of(
                "null", "true", "[1]", "{}", "4.5", "\"a\nb\"", "\"\\x\"", "\"\\ud800\"", "1e3")))
        .map(v -> "\"" + f.deviceField() + "\":" + v);
    Arbitrary<String> time = Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.longs().map(String::valueOf)),
            Tuple.of(2, Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 1556758787735011L,
                9_300_000_000_000_000L, -9_300_000_000_000_000L).map(String::valueOf)),
            Tuple.of(3, Hostile.numberTexts()),
            Tuple.of(3, Hostile.timestampTexts().map(JsonEventCodecPropertyTest::quoted)),
            Tuple.of(1, Arbitraries.of("null", "true", "\"\"", "[1]", "{}", "1e-999999999", "-1e-999999999",
                "1e-9999999", "1.5e-9", "-1.5e-9", "9.3e18", "1e300", "-0.0", "0e-999999999")))
        .map(v -> "\"" + f.timestampField() + "\":" + v);
    Arbitrary<String> index = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.integers().between(f.firstReadingIndex(), f.firstReadingIndex() + 20)
            .map(String::valueOf)),
        Tuple.of(2, Hostile.integerTexts()));
    Arbitrary<String> reading = Combinators.combine(index, Arbitraries.frequencyOf(
            Tuple.of(6, Hostile.numberTexts()),
            Tuple.of(1, Arbitraries.of("null", "\"abc\"", "[1]", "{\"a\":1}", "true", "\"1\""))))
        .as((i, v) -> "\"" + f.readingPrefix() + i + "\":" + v);
    Arbitrary<String> sentinel = Arbitraries.of("true", "false", "\"yes\"", "1", "null")
        .map(v -> "\"" + JsonEventCodec.SENTINEL_FIELD + "\":" + v);
    Arbitrary<String> other = Arbitraries.of("1", "{\"" + f.readingPrefix() + "0\":1}", "[1,[2,{}]]", "\"x\"",
            "{\"" + f.deviceField() + "\":1}", DEEP.substring(4000, 6000))
        .map(v -> "\"other\":" + v);
    return Combinators.combine(
            device.injectNull(0.05), time.injectNull(0.05), reading.list().ofMaxSize(6),
            sentinel.injectNull(0.85), other.injectNull(0.8), Arbitraries.of(",", ", ", " ,\n\t"),
            Arbitraries.randoms(), Hostile.lineEndings())
        .as((d, t, readings, s, o, separator, random, end) -> {
          List<String> members = new ArrayList<>(readings);
          for (String member : new String[] {d, t, s, o}) {
            if (member != null) {
              members.add(member);
            }
          }
          Collections.shuffle(members, random);
          return "{" + String.join(separator, members) + "}" + end;
        });
  }

  private static Arbitrary<String> valid(JsonEventCodec.Fields f) {
    JsonEventCodec codec = new JsonEventCodec(f);
    Arbitrary<Instant> times = Hostile.instants().filter(t -> fitsUnits(t, f.timestampUnit()));
    return Combinators.combine(Hostile.shortDeviceIds(), times, Hostile.shortDoubles().list().ofMinSize(1).ofMaxSize(2),
            Arbitraries.integers().between(1, 1000), Arbitraries.of(true, false, false, false))
        .as((d, t, values, firstSensor, sentinel) -> {
          if (sentinel) {
            return codec.formatSentinel(d, t);
          }
          int[] sensors = new int[values.size()];
          double[] v = new double[values.size()];
          for (int i = 0; i < sensors.length; i++) {
            sensors[i] = firstSensor + 3 * i;
            v[i] = values.get(i);
          }
          return codec.format(d, t, sensors, v);
        });
  }

  @Provide
  Arbitrary<Tuple2<JsonEventCodec.Fields, String>> validMessages() {
    return layouts().flatMap(f -> VALID.get(f));
  }

  @Provide
  Arbitrary<String> devices() {
    return Hostile.deviceIds();
  }

  @Provide
  Arbitrary<Instant> instants() {
    return Hostile.instants();
  }

  @Provide
  Arbitrary<int[]> sensors() {
    return Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.integers().between(1, 100)),
            Tuple.of(1, Arbitraries.integers()),
            Tuple.of(1, Arbitraries.of(999_999_995, 999_999_996, 1_000_000_000, Integer.MAX_VALUE, 0, -1)))
        .array(int[].class).ofMaxSize(6);
  }

  @Provide
  Arbitrary<double[]> values() {
    return Arbitraries.oneOf(Hostile.finiteDoubles(), Hostile.finiteDoubles(),
            Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY))
        .array(double[].class).ofMinSize(1).ofMaxSize(6);
  }

  @Provide
  Arbitrary<Long> longs() {
    return Arbitraries.oneOf(Arbitraries.longs(),
        Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 106_751_991_167_300L, -106_751_991_167_301L,
            31_556_889_864_403_199L, -31_557_014_167_219_200L, 365_241_780_471L, -365_243_219_162L));
  }
}
