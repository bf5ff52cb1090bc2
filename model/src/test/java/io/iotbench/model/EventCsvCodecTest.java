package io.iotbench.model;

import static io.iotbench.model.Rejections.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventCsvCodecTest {
  private static final Instant T = Instant.parse("2018-01-13T21:37:30.830Z");
  private static final String LINE = "2018-01-13T21:37:30.830Z,77,Sensor 77,0.474536";

  @Test
  void parsesTheOriginalSimulatorsOutput() throws IOException {
    List<String> lines = TrainingCsvCodecTest.resourceLines("/compat/original-simulator-output.txt");
    assertEquals(5, lines.size());
    assertEquals(new SensorEvent(T, "1", 77, 0.47453), EventCsvCodec.parse(lines.get(0)));
    assertEquals(
        new SensorEvent(Instant.parse("2018-01-13T21:37:31.224Z"), "1", 14, 0.63628),
        EventCsvCodec.parse(lines.get(4)));
    for (String line : lines) {
      SensorEvent e = EventCsvCodec.parse(line);
      assertEquals(SensorEvent.DEFAULT_DEVICE, e.deviceId());
      // we write six decimals where the original wrote five: same value, one more zero
      assertEquals(line + "0", EventCsvCodec.format(e, false));
    }
  }

  @Test
  void formatsAndParsesBothVariants() {
    SensorEvent e = new SensorEvent(T, "dev-7", 77, 0.474536);
    assertEquals(LINE, EventCsvCodec.format(e, false));
    assertEquals(LINE + ",dev-7", EventCsvCodec.format(e, true));
    assertEquals(e, EventCsvCodec.parse(LINE + ",dev-7"));
    assertEquals(new SensorEvent(T, "1", 77, 0.474536), EventCsvCodec.parse(LINE));
    StringBuilder sb = new StringBuilder("> ");
    EventCsvCodec.append(sb, e, true);
    assertEquals("> " + LINE + ",dev-7", sb.toString());
  }

  @Test
  void sentinelRoundTrips() {
    SensorEvent sentinel = SensorEvent.sentinel(T, "1");
    String line = EventCsvCodec.format(sentinel, false);
    assertEquals("2018-01-13T21:37:30.830Z,-1,Sensor -1,0.000000", line);
    assertEquals(sentinel, EventCsvCodec.parse(line));
    assertEquals(sentinel, EventCsvCodec.parse("2018-01-13T21:37:30.830Z,-1,Sensor -1,0.00000"));
  }

  @Test
  void writesExactlyThreeMillisecondDigitsTruncatingTheRest() {
    assertEquals("2018-01-13T21:37:30.000Z,1,Sensor 1,0.500000",
        EventCsvCodec.format(new SensorEvent(Instant.parse("2018-01-13T21:37:30Z"), "1", 1, 0.5), false));
    Instant fine = Instant.parse("2018-01-13T21:37:30.830999999Z");
    SensorEvent parsed = EventCsvCodec.parse(EventCsvCodec.format(new SensorEvent(fine, "1", 1, 0.5), false));
    assertEquals(fine.truncatedTo(ChronoUnit.MILLIS), parsed.eventTime());
  }

  @Test
  void timestampsMatchJavaTimeOverManyYears() {
    DateTimeFormatter reference = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
        .withZone(ZoneOffset.UTC);
    SplittableRandom random = new SplittableRandom(99);
    long min = Instant.parse("0000-01-01T00:00:00Z").toEpochMilli();
    long max = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
    for (int i = 0; i < 20_000; i++) {
      Instant t = Instant.ofEpochMilli(i < 10 ? edge(i) : random.nextLong(min, max + 1));
      String line = EventCsvCodec.format(new SensorEvent(t, "1", 3, 0.25), false);
      assertEquals(reference.format(t) + ",3,Sensor 3,0.250000", line);
      assertEquals(t, EventCsvCodec.parse(line).eventTime(), line);
    }
  }

  private static long edge(int i) {
    String[] edges = {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "2020-02-29T12:00:00.001Z",
        "2000-02-29T23:59:59.999Z", "1900-03-01T00:00:00Z", "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999Z", "2018-12-31T23:59:59.999Z", "2019-01-01T00:00:00Z", "0001-03-01T00:00:00Z"};
    return Instant.parse(edges[i]).toEpochMilli();
  }

  @Test
  void yearsBeyondFourDigitsStillRoundTrip() {
    Instant far = Instant.parse("+12345-06-07T08:09:10.011Z");
    String line = EventCsvCodec.format(new SensorEvent(far, "1", 1, 0.5), false);
    assertEquals("+12345-06-07T08:09:10.011Z,1,Sensor 1,0.500000", line);
    assertEquals(far, EventCsvCodec.parse(line).eventTime());
  }

  @Test
  void acceptsOtherIsoInstantsAndLineBreaks() {
    assertEquals(Instant.parse("2018-01-13T21:37:30Z"),
        EventCsvCodec.parse("2018-01-13T21:37:30Z,77,Sensor 77,0.5").eventTime());
    assertEquals(Instant.parse("2018-01-13T21:37:30.830123Z"),
        EventCsvCodec.parse("2018-01-13T21:37:30.830123Z,77,Sensor 77,0.5").eventTime());
    assertEquals(77, EventCsvCodec.parse(LINE + "\r\n").sensor());
    assertEquals(0.4745361234, EventCsvCodec.parse("2018-01-13T21:37:30.830Z,77,Sensor 77,0.4745361234").value());
  }

  @Test
  void rejectsEmptyLinesAndWrongFieldCounts() {
    assertRejected(() -> EventCsvCodec.parse(""), "line", "");
    assertRejected(() -> EventCsvCodec.parse("\r\n"), "line", "\r\n");
    assertRejected(() -> EventCsvCodec.parse(null), "line", null);
    RecordFormatException e = assertRejected(
        () -> EventCsvCodec.parse("2018-01-13T21:37:30.830Z,77,Sensor 77"), "line",
        "2018-01-13T21:37:30.830Z,77,Sensor 77");
    assertEquals(true, e.getMessage().contains("has 3 fields, expected 4 or 5"), e.getMessage());
    assertRejected(() -> EventCsvCodec.parse(LINE + ",dev-7,extra"), "line", LINE + ",dev-7,extra");
  }

  @Test
  void rejectsBadTimestamps() {
    assertRejected(() -> EventCsvCodec.parse("yesterday,77,Sensor 77,0.5"), "timestamp", "yesterday");
    assertRejected(() -> EventCsvCodec.parse("2018-13-13T21:37:30.830Z,77,Sensor 77,0.5"),
        "timestamp", "2018-13-13T21:37:30.830Z");
    assertRejected(() -> EventCsvCodec.parse("2018-02-30T21:37:30.830Z,77,Sensor 77,0.5"),
        "timestamp", "2018-02-30T21:37:30.830Z");
    assertRejected(() -> EventCsvCodec.parse("2018-01-13 21:37:30.830,77,Sensor 77,0.5"),
        "timestamp", "2018-01-13 21:37:30.830");
    assertRejected(() -> EventCsvCodec.parse("2018-01-13T21:37:3x.830Z,77,Sensor 77,0.5"),
        "timestamp", "2018-01-13T21:37:3x.830Z");
    assertRejected(() -> EventCsvCodec.parse(",77,Sensor 77,0.5"), "timestamp", "");
  }

  @Test
  void rejectsSensorNumbersThatAreNotIntegers() {
    String t = "2018-01-13T21:37:30.830Z,";
    assertRejected(() -> EventCsvCodec.parse(t + "7.5,Sensor 7.5,0.5"), "sensor", "7.5");
    assertRejected(() -> EventCsvCodec.parse(t + "abc,Sensor abc,0.5"), "sensor", "abc");
    assertRejected(() -> EventCsvCodec.parse(t + ",Sensor ,0.5"), "sensor", "");
    assertRejected(() -> EventCsvCodec.parse(t + "12345678901,Sensor 12345678901,0.5"), "sensor", "12345678901");
    assertRejected(() -> EventCsvCodec.parse(t + "0,Sensor 0,0.5"), "sensor", "0");
    assertRejected(() -> EventCsvCodec.parse(t + "-2,Sensor -2,0.5"), "sensor", "-2");
  }

  @Test
  void rejectsNamesThatDoNotMatchTheSensor() {
    String t = "2018-01-13T21:37:30.830Z,77,";
    RecordFormatException e = assertRejected(() -> EventCsvCodec.parse(t + "Sensor 78,0.5"), "name", "Sensor 78");
    assertEquals(true, e.getMessage().contains("is not 'Sensor 77'"), e.getMessage());
    assertRejected(() -> EventCsvCodec.parse(t + "sensor 77,0.5"), "name", "sensor 77");
    assertRejected(() -> EventCsvCodec.parse(t + "Sensor 77x,0.5"), "name", "Sensor 77x");
    assertRejected(() -> EventCsvCodec.parse(t + "Sensor,0.5"), "name", "Sensor");
    assertRejected(() -> EventCsvCodec.parse(t + ",0.5"), "name", "");
  }

  @Test
  void rejectsValuesThatAreNotFiniteNumbers() {
    String t = "2018-01-13T21:37:30.830Z,77,Sensor 77,";
    RecordFormatException e = assertRejected(() -> EventCsvCodec.parse(t + "NaN"), "value", "NaN");
    assertEquals("field 'value' is not a finite number: 'NaN' (line \"" + t + "NaN\")", e.getMessage());
    assertRejected(() -> EventCsvCodec.parse(t + "Infinity"), "value", "Infinity");
    assertRejected(() -> EventCsvCodec.parse(t + "-Infinity,dev-1"), "value", "-Infinity");
    assertRejected(() -> EventCsvCodec.parse(t + "abc"), "value", "abc");
    assertRejected(() -> EventCsvCodec.parse(t + "1e999"), "value", "1e999");
    assertRejected(() -> EventCsvCodec.parse(t), "value", "");
    assertRejected(() -> EventCsvCodec.parse(t + "0.5 "), "value", "0.5 ");
  }

  @Test
  void rejectsEmptyDevice() {
    assertRejected(() -> EventCsvCodec.parse(LINE + ","), "device", "");
  }

  @Test
  void refusesToWriteWhatCannotBeReadBack() {
    assertThrows(IllegalArgumentException.class,
        () -> EventCsvCodec.format(new SensorEvent(T, "1", 1, Double.NaN), false));
    assertThrows(IllegalArgumentException.class,
        () -> EventCsvCodec.format(new SensorEvent(T, "1", 0, 0.5), false));
    assertThrows(IllegalArgumentException.class,
        () -> EventCsvCodec.format(new SensorEvent(T, "a,b", 1, 0.5), true));
    assertThrows(IllegalArgumentException.class,
        () -> EventCsvCodec.format(new SensorEvent(T, "", 1, 0.5), true));
    // without the device field the device id is not written, so it is not checked
    assertEquals(LINE, EventCsvCodec.format(new SensorEvent(T, "a,b", 77, 0.474536), false));
  }

  @Test
  void roundTripsRandomEvents() {
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 10_000; i++) {
      SensorEvent e = new SensorEvent(Instant.ofEpochMilli(random.nextLong(0, 4_102_444_800_000L)),
          "dev-" + random.nextInt(1000), 1 + random.nextInt(100_000), random.nextInt(1_000_000) / 1e6);
      assertEquals(e, EventCsvCodec.parse(EventCsvCodec.format(e, true)));
    }
  }

  @Test
  void writesEveryInstantItReads() {
    for (String text : new String[] {"+1000000000-12-31T23:59:59.999999999Z", "-1000000000-01-01T00:00:00Z",
        "+300000-01-01T00:00:00.000Z", "-0001-12-31T23:59:59.999Z", "-999999999-01-01T00:00:00Z"}) {
      SensorEvent e = EventCsvCodec.parse(text + ",1,Sensor 1,0.5");
      String line = EventCsvCodec.format(e, true);
      assertEquals(e.eventTime().truncatedTo(ChronoUnit.MILLIS), EventCsvCodec.parse(line).eventTime(), line);
    }
    assertEquals("+1000000000-12-31T23:59:59.999Z,1,Sensor 1,0.500000",
        EventCsvCodec.format(new SensorEvent(Instant.MAX, "1", 1, 0.5), false));
    assertEquals("-1000000000-01-01T00:00:00.000Z,1,Sensor 1,0.500000",
        EventCsvCodec.format(new SensorEvent(Instant.MIN, "1", 1, 0.5), false));
  }

  @Test
  void readsEverySensorNumberItWrites() {
    SensorEvent e = new SensorEvent(T, "1", Integer.MAX_VALUE, 0.5);
    assertEquals(e, EventCsvCodec.parse(EventCsvCodec.format(e, false)));
    assertEquals(1_000_000_000,
        EventCsvCodec.parse("2018-01-13T21:37:30.830Z,1000000000,Sensor 1000000000,0.5").sensor());
    assertRejected(() -> EventCsvCodec.parse("2018-01-13T21:37:30.830Z,2147483648,Sensor 2147483648,0.5"),
        "sensor", "2147483648");
  }

  @Test
  void rejectsLineBreaksInsideDeviceIds() {
    assertRejected(() -> EventCsvCodec.parse(LINE + ",a\nInterval 9: Attention needed"), "device",
        "a\nInterval 9: Attention needed");
    assertRejected(() -> EventCsvCodec.parse(LINE + ",a\rb\n"), "device", "a\rb");
    assertEquals("a\u0000b", EventCsvCodec.parse(LINE + ",a\u0000b\r\n").deviceId());
  }
}
