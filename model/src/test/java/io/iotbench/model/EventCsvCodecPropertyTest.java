package io.iotbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Properties of {@link EventCsvCodec} over hostile input. Every text either parses, or is rejected with
 * a {@link RecordFormatException} naming a documented field; nothing else escapes. A parsed event
 * re-encodes (with and without the device field) without an exception, to a line that parses to an
 * equivalent event: the same sensor and device (the default device without the device field), the time
 * truncated to the millisecond, and the value as written with six decimals (HALF_UP of its shortest
 * decimal, as {@code String.format("%.6f")}; -0 and negatives that round to zero keep their sign).
 */
class EventCsvCodecPropertyTest {
  private static final Set<String> FIELDS = Set.of("line", "timestamp", "sensor", "name", "value", "device");
  private static final Pattern PLAIN_NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
  private static final Pattern SENSOR_NUMBER = Pattern.compile("-?\\d{1,10}");
  private static final List<String> BIG_LINES = List.of(
      Hostile.mebibyte("2018-01-13T21:37:30.830Z,77,Sensor 77,0.", "5", ""),
      Hostile.mebibyte("2018-01-13T21:37:30.830Z,77,Sensor 77,0.5,", "d", ""),
      Hostile.mebibyte("2018-01-13T21:37:30.830Z,77,Sensor 77,0.5,", "\u0001\u2028", ""),
      Hostile.mebibyte("", ",", ""),
      Hostile.mebibyte("", "2018-01-13T21:37:30.830Z", ",77,Sensor 77,0.5"),
      Hostile.mebibyte("2018-01-13T21:37:30.830Z,", "7", ",Sensor 7,0.5"),
      Hostile.mebibyte("2018-01-13T21:37:30.830Z,7,Sensor 7,", "9", "e-1048570"));

  @Property
  void anyTextIsParsedOrRejectedNamingTheField(@ForAll("lines") String line) {
    checkParse(line);
  }

  @Property
  void everyTruncationOfAValidLineIsParsedOrRejected(@ForAll("validLines") String line) {
    for (String prefix : Hostile.prefixes(line)) {
      checkParse(prefix);
    }
  }

  @Property
  void everyEventTheWriterAcceptsRoundTrips(@ForAll("events") SensorEvent e) {
    for (boolean withDevice : new boolean[] {true, false}) {
      String line = EventCsvCodec.format(e, withDevice);
      assertEquivalent(e, EventCsvCodec.parse(line), withDevice, line);
    }
  }

  @Property
  void theWriterRefusesOnlyWhatCannotBeReadBack(
      @ForAll("instants") Instant t, @ForAll("devices") String device, @ForAll int sensor,
      @ForAll("anyDoubles") double value, @ForAll boolean withDevice) {
    SensorEvent e = new SensorEvent(t, device, sensor, value);
    boolean readable = (sensor >= 1 || sensor == -1) && Double.isFinite(value)
        && (!withDevice || (!device.isEmpty() && device.chars().noneMatch(c -> c == ',' || c == '\n' || c == '\r')));
    if (readable) {
      String line = EventCsvCodec.format(e, withDevice);
      assertEquivalent(e, EventCsvCodec.parse(line), withDevice, line);
    } else {
      IllegalArgumentException refused =
          assertThrows(IllegalArgumentException.class, () -> EventCsvCodec.format(e, withDevice));
      assertEquals(IllegalArgumentException.class, refused.getClass());
    }
  }

  /** The value field: accepted exactly when Double.parseDouble reads a plain decimal as a finite number. */
  @Property
  void valuesAreReadAsDoubleParseDoubleReadsThem(@ForAll("numbers") String value) {
    String line = "2018-01-13T21:37:30.830Z,77,Sensor 77," + value;
    double expected = PLAIN_NUMBER.matcher(value).matches() ? Double.parseDouble(value) : Double.NaN;
    if (Double.isFinite(expected)) {
      assertEquals(expected, EventCsvCodec.parse(line).value(), line);
    } else {
      assertRejectedAs("value", line);
    }
  }

  /** The sensor field: an integer that fits an int, 1 or more, or -1; the name must carry the same number. */
  @Property
  void sensorsAreIntegersOfOneOrMoreOrMinusOne(@ForAll("integers") String sensor, @ForAll boolean sameName) {
    String name = sameName ? "Sensor " + sensor : "Sensor " + sensor + "0";
    String line = "2018-01-13T21:37:30.830Z," + sensor + "," + name + ",0.5";
    long number = SENSOR_NUMBER.matcher(sensor).matches() ? Long.parseLong(sensor) : 0;
    if (number > Integer.MAX_VALUE || (number < 1 && number != -1)) {
      assertRejectedAs("sensor", line);
    } else if (!sameName) {
      assertRejectedAs("name", line);
    } else {
      assertEquals(number, EventCsvCodec.parse(line).sensor(), line);
    }
  }

  /** The timestamp field: accepted exactly when {@link Instant#parse} accepts it, as the same instant. */
  @Property
  void timestampsAreReadAsInstantParseReadsThem(@ForAll("timestamps") String timestamp) {
    String line = timestamp + ",1,Sensor 1,0.5";
    Instant expected;
    try {
      expected = timestamp.indexOf(',') >= 0 ? null : Instant.parse(timestamp);
    } catch (RuntimeException e) {
      expected = null;
    }
    if (expected == null) {
      if (timestamp.indexOf(',') < 0) {
        assertRejectedAs("timestamp", line);
      }
    } else {
      assertEquals(expected, EventCsvCodec.parse(line).eventTime(), line);
      checkParse(line);
    }
  }

  static void checkParse(String line) {
    SensorEvent e;
    try {
      e = EventCsvCodec.parse(line);
    } catch (RecordFormatException rejected) {
      Rejections.assertWellFormed(rejected, FIELDS::contains, line);
      return;
    }
    for (boolean withDevice : new boolean[] {true, false}) {
      String again = EventCsvCodec.format(e, withDevice);
      assertEquivalent(e, EventCsvCodec.parse(again), withDevice, again);
    }
  }

  private static void assertRejectedAs(String field, String line) {
    RecordFormatException e = assertThrows(RecordFormatException.class, () -> EventCsvCodec.parse(line), line);
    assertEquals(field, e.field(), e.getMessage());
    Rejections.assertWellFormed(e, FIELDS::contains, line);
  }

  static void assertEquivalent(SensorEvent original, SensorEvent back, boolean withDevice, String line) {
    assertEquals(original.eventTime().truncatedTo(ChronoUnit.MILLIS), back.eventTime(), line);
    assertEquals(withDevice ? original.deviceId() : SensorEvent.DEFAULT_DEVICE, back.deviceId(), line);
    assertEquals(original.sensor(), back.sensor(), line);
    double expected = Double.parseDouble(String.format(Locale.ROOT, "%.6f", original.value()));
    assertEquals(0, Double.compare(expected, back.value()), () -> line + ": " + expected + " vs " + back.value());
  }

  @Provide
  Arbitrary<String> lines() {
    Arbitrary<String> sensorAndName = Combinators.combine(
            Hostile.integerTexts(), Hostile.integerTexts(), Arbitraries.integers().between(0, 9),
            Arbitraries.of("sensor ", "Sensor", "Sensor  ", "", "Sensor +", "Sensor 0", " Sensor "))
        .as((sensor, other, kind, prefix) -> sensor + ","
            + (kind < 8 ? "Sensor " + sensor : kind == 8 ? "Sensor " + other : prefix + sensor));
    Arbitrary<String> assembled = Combinators.combine(
            Hostile.timestampTexts(), sensorAndName, Hostile.numberTexts(),
            Hostile.deviceIds().injectNull(0.4), Hostile.lineEndings())
        .as((t, sn, v, d, end) -> t + "," + sn + "," + v + (d == null ? "" : "," + d) + end);
    return Arbitraries.frequencyOf(
        Tuple.of(96, assembled),
        Tuple.of(24, Hostile.anyText()),
        Tuple.of(24, Hostile.decodedBytes()),
        Tuple.of(32, Hostile.damaged(validLines())),
        Tuple.of(8, Arbitraries.of("", " ", "\n", "\r\n", "\r", ",,,", ",,,,", ",,,,,", "\u0000")),
        Tuple.of(1, Arbitraries.of(BIG_LINES)));
  }

  @Provide
  Arbitrary<String> validLines() {
    Arbitrary<SensorEvent> events = Combinators.combine(Hostile.instants(), Hostile.shortDeviceIds(),
            Arbitraries.integers().between(-1, 200).filter(s -> s != 0), Hostile.shortDoubles())
        .as(SensorEvent::new);
    return Combinators.combine(events, Arbitraries.of(true, false), Hostile.lineEndings())
        .as((e, withDevice, end) -> EventCsvCodec.format(e, withDevice) + end);
  }

  @Provide
  Arbitrary<SensorEvent> events() {
    Arbitrary<Integer> sensors = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.integers().between(1, 1000)),
        Tuple.of(2, Arbitraries.integers().between(1, Integer.MAX_VALUE)),
        Tuple.of(1, Arbitraries.just(SensorEvent.SENTINEL_SENSOR)));
    Arbitrary<String> devices = Hostile.deviceIds()
        .filter(d -> !d.isEmpty() && d.chars().noneMatch(c -> c == ',' || c == '\n' || c == '\r'));
    return Combinators.combine(Hostile.instants(), devices, sensors, Hostile.finiteDoubles())
        .as(SensorEvent::new);
  }

  @Provide
  Arbitrary<Instant> instants() {
    return Hostile.instants();
  }

  @Provide
  Arbitrary<String> devices() {
    return Hostile.deviceIds();
  }

  @Provide
  Arbitrary<Double> anyDoubles() {
    return Arbitraries.oneOf(Hostile.finiteDoubles(),
        Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
  }

  @Provide
  Arbitrary<String> numbers() {
    return Arbitraries.oneOf(Hostile.numberTexts(), Hostile.anyText())
        .filter(v -> v.indexOf(',') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0);
  }

  @Provide
  Arbitrary<String> integers() {
    return Hostile.integerTexts();
  }

  @Provide
  Arbitrary<String> timestamps() {
    return Hostile.timestampTexts();
  }
}
