package io.iotbench.model;

import static io.iotbench.model.Rejections.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JsonEventCodecTest {
  private static final JsonEventCodec CODEC = new JsonEventCodec(JsonEventCodec.Fields.defaults());
  private static final Instant T = Instant.parse("2019-05-02T00:59:47.735011Z"); // 1556758787735011 us
  private static final String HEADER = "{\"sensor_id\": 48, \"sensor_ts\": 1556758787735011";

  @Test
  void parsesOneEventPerReading() {
    List<SensorEvent> events =
        CODEC.parse("{\"sensor_id\": 48, \"sensor_ts\": 1556758787735011, \"sensor_0\": 2, \"sensor_1\": 0.53}");
    assertEquals(List.of(new SensorEvent(T, "48", 1, 2.0), new SensorEvent(T, "48", 2, 0.53)), events);
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    assertEquals(
        new JsonEventCodec.Fields("sensor_id", "sensor_ts", TimeUnit.MICROSECONDS, "sensor_", 0),
        JsonEventCodec.Fields.defaults());
  }

  @Test
  void acceptsStringDevicesIsoTimestampsAndIgnoresUnknownFields() {
    List<SensorEvent> events = CODEC.parse(
        "{\"sensor_3\": -1.5e2, \"extra\": {\"sensor_0\": 1}, \"list\": [1, 2], \"sensor_01\": 9,"
            + " \"sensor_x\": \"a\", \"sensor_id\": \"dev-7\", \"sensor_ts\": \"2019-05-02T00:59:47.735011Z\","
            + " \"sentinel\": false, \"n\": null}");
    assertEquals(List.of(new SensorEvent(T, "dev-7", 4, -150.0)), events);
  }

  @Test
  void customFieldNamesUnitsAndFirstIndex() {
    JsonEventCodec codec = new JsonEventCodec(
        new JsonEventCodec.Fields("device", "time", TimeUnit.MILLISECONDS, "s", 1));
    List<SensorEvent> events = codec.parse("{\"device\":\"a\",\"time\":1500,\"s1\":0.1,\"s2\":0.2,\"s0\":7}");
    Instant t = Instant.ofEpochMilli(1500);
    assertEquals(List.of(new SensorEvent(t, "a", 1, 0.1), new SensorEvent(t, "a", 2, 0.2)), events);
    assertEquals("{\"device\":\"a\",\"time\":1500,\"s1\":0.1,\"s2\":0.2}",
        codec.format("a", t, new int[] {1, 2}, new double[] {0.1, 0.2}));
  }

  @Test
  void timestampUnits() {
    JsonEventCodec seconds = new JsonEventCodec(
        new JsonEventCodec.Fields("id", "ts", TimeUnit.SECONDS, "v", 0));
    assertEquals(Instant.parse("2019-05-02T00:59:47.5Z"),
        seconds.parse("{\"id\":1,\"ts\":1556758787.5,\"v0\":1}").get(0).eventTime());
    assertEquals(Instant.parse("1969-12-31T23:59:59.5Z"),
        seconds.parse("{\"id\":1,\"ts\":-0.5,\"v0\":1}").get(0).eventTime());
    assertEquals(Instant.parse("1969-12-31T23:59:59.999999Z"),
        CODEC.parse("{\"sensor_id\":1,\"sensor_ts\":-1,\"sensor_0\":1}").get(0).eventTime());
    JsonEventCodec nanos = new JsonEventCodec(new JsonEventCodec.Fields("id", "ts", TimeUnit.NANOSECONDS, "v", 0));
    Instant fine = Instant.parse("2019-05-02T00:59:47.735011123Z");
    assertEquals(fine, nanos.parse(nanos.format("1", fine, new int[] {1}, new double[] {1})).get(0).eventTime());
    JsonEventCodec minutes = new JsonEventCodec(new JsonEventCodec.Fields("id", "ts", TimeUnit.MINUTES, "v", 0));
    assertEquals(Instant.ofEpochSecond(120), minutes.parse("{\"id\":1,\"ts\":2,\"v0\":1}").get(0).eventTime());
  }

  @Test
  void formatIsCompactAndRoundTrips() {
    String json = CODEC.format("48", T, new int[] {1, 2}, new double[] {2, 0.53});
    assertEquals("{\"sensor_id\":48,\"sensor_ts\":1556758787735011,\"sensor_0\":2.0,\"sensor_1\":0.53}", json);
    assertEquals(CODEC.parse(json), List.of(new SensorEvent(T, "48", 1, 2.0), new SensorEvent(T, "48", 2, 0.53)));
    double[] values = {1e-300, 0.1 + 0.2, -7.25e10, Math.PI};
    List<SensorEvent> events = CODEC.parse(CODEC.format("d\"q\\\n", T, new int[] {5, 1, 100, 2}, values));
    assertEquals(4, events.size());
    assertEquals(new SensorEvent(T, "d\"q\\\n", 5, 1e-300), events.get(0));
    assertEquals(new SensorEvent(T, "d\"q\\\n", 2, Math.PI), events.get(3));
  }

  @Test
  void deviceIdIsANumberOnlyWhenItIsACanonicalInteger() {
    assertTrue(CODEC.format("0", T, new int[] {1}, new double[] {1}).startsWith("{\"sensor_id\":0,"));
    assertTrue(CODEC.format("007", T, new int[] {1}, new double[] {1}).startsWith("{\"sensor_id\":\"007\","));
    assertTrue(CODEC.format("-5", T, new int[] {1}, new double[] {1}).startsWith("{\"sensor_id\":\"-5\","));
    assertTrue(CODEC.format("1234567890123456789", T, new int[] {1}, new double[] {1})
        .startsWith("{\"sensor_id\":\"1234567890123456789\","));
    for (String device : new String[] {"0", "007", "-5", "48", "dev-7", "1234567890123456789"}) {
      assertEquals(device,
          CODEC.parse(CODEC.format(device, T, new int[] {1}, new double[] {1})).get(0).deviceId());
    }
  }

  @Test
  void sentinelMessagesRoundTrip() {
    String json = CODEC.formatSentinel("48", T);
    assertEquals("{\"sensor_id\":48,\"sensor_ts\":1556758787735011,\"sentinel\":true}", json);
    assertEquals(List.of(SensorEvent.sentinel(T, "48")), CODEC.parse(json));
    assertEquals(List.of(SensorEvent.sentinel(T, "48")),
        CODEC.parse(HEADER + ", \"sensor_0\": 0.5, \"sentinel\": true}"));
  }

  @Test
  void rejectsWhatIsNotOneJsonObject() {
    assertRejected(() -> CODEC.parse("hello"), "json", "hello");
    assertRejected(() -> CODEC.parse(""), "json", "");
    assertRejected(() -> CODEC.parse("[1, 2]"), "json", "[1, 2]");
    assertRejected(() -> CODEC.parse("42"), "json", "42");
    assertRejected(() -> CODEC.parse(null), "json", null);
    assertRejected(() -> CODEC.parse(HEADER), "json", HEADER);
    assertRejected(() -> CODEC.parse(HEADER + ", \"sensor_0\": 1} {}"), "json", HEADER + ", \"sensor_0\": 1} {}");
    RecordFormatException e = assertRejected(
        () -> CODEC.parse(HEADER + ", \"sensor_0\": 1, \"sensor_0\": 2}"), "json",
        HEADER + ", \"sensor_0\": 1, \"sensor_0\": 2}");
    assertTrue(e.getMessage().contains("Duplicate field 'sensor_0'"), e.getMessage());
  }

  @Test
  void rejectsMissingOrInvalidDeviceAndTimestamp() {
    String noDevice = "{\"sensor_ts\": 1556758787735011, \"sensor_0\": 1}";
    assertRejected(() -> CODEC.parse(noDevice), "sensor_id", noDevice);
    String noTime = "{\"sensor_id\": 48, \"sensor_0\": 1}";
    assertRejected(() -> CODEC.parse(noTime), "sensor_ts", noTime);
    assertRejected(() -> CODEC.parse("{\"sensor_id\": 4.5, \"sensor_ts\": 1, \"sensor_0\": 1}"), "sensor_id", "4.5");
    assertRejected(() -> CODEC.parse("{\"sensor_id\": \"\", \"sensor_ts\": 1, \"sensor_0\": 1}"), "sensor_id", "\"\"");
    assertRejected(() -> CODEC.parse("{\"sensor_id\": null, \"sensor_ts\": 1, \"sensor_0\": 1}"), "sensor_id", "null");
    assertRejected(() -> CODEC.parse("{\"sensor_id\": 1, \"sensor_ts\": \"yesterday\", \"sensor_0\": 1}"),
        "sensor_ts", "\"yesterday\"");
    assertRejected(() -> CODEC.parse("{\"sensor_id\": 1, \"sensor_ts\": true, \"sensor_0\": 1}"), "sensor_ts", "true");
    assertRejected(() -> CODEC.parse("{\"sensor_id\": 1, \"sensor_ts\": NaN, \"sensor_0\": 1}"), "sensor_ts", "NaN");
    assertRejected(() -> CODEC.parse("{\"sensor_id\": 1, \"sensor_ts\": 99999999999999999999999, \"sensor_0\": 1}"),
        "sensor_ts", "99999999999999999999999");
  }

  @Test
  void rejectsReadingsThatAreNotFiniteNumbers() {
    RecordFormatException e =
        assertRejected(() -> CODEC.parse(HEADER + ", \"sensor_0\": 1, \"sensor_1\": \"abc\"}"), "sensor_1", "\"abc\"");
    assertTrue(e.getMessage().contains("is not a finite number"), e.getMessage());
    assertRejected(() -> CODEC.parse(HEADER + ", \"sensor_2\": NaN}"), "sensor_2", "NaN");
    assertRejected(() -> CODEC.parse(HEADER + ", \"sensor_2\": Infinity}"), "sensor_2", "Infinity");
    assertRejected(() -> CODEC.parse(HEADER + ", \"sensor_2\": -Infinity}"), "sensor_2", "-Infinity");
    assertRejected(() -> CODEC.parse(HEADER + ", \"sensor_2\": 1e999}"), "sensor_2", "1e999");
    assertRejected(() -> CODEC.parse(HEADER + ", \"sensor_2\": null}"), "sensor_2", "null");
    assertRejected(() -> CODEC.parse(HEADER + ", \"sensor_2\": [1]}"), "sensor_2", "[...]");
    assertRejected(() -> CODEC.parse(HEADER + ", \"sensor_2\": {\"a\": 1}}"), "sensor_2", "{...}");
    assertRejected(() -> CODEC.parse(HEADER + ", \"sentinel\": \"yes\"}"), "sentinel", "\"yes\"");
  }

  @Test
  void rejectsMessagesWithoutReadings() {
    String json = HEADER + ", \"other\": 1}";
    RecordFormatException e = assertRejected(() -> CODEC.parse(json), "sensor_*", json);
    assertTrue(e.getMessage().contains("no reading"), e.getMessage());
  }

  @Test
  void refusesToWriteWhatCannotBeReadBack() {
    assertThrows(IllegalArgumentException.class, () -> CODEC.format("1", T, new int[] {1, 2}, new double[] {1}));
    assertThrows(IllegalArgumentException.class, () -> CODEC.format("1", T, new int[0], new double[0]));
    assertThrows(IllegalArgumentException.class, () -> CODEC.format("1", T, new int[] {0}, new double[] {1}));
    assertThrows(IllegalArgumentException.class, () -> CODEC.format("1", T, new int[] {2, 2}, new double[] {1, 1}));
    assertThrows(IllegalArgumentException.class, () -> CODEC.format("1", T, new int[] {1}, new double[] {Double.NaN}));
    assertThrows(IllegalArgumentException.class, () -> CODEC.format("", T, new int[] {1}, new double[] {1}));
    assertThrows(IllegalArgumentException.class, () -> CODEC.format("1", Instant.MAX, new int[] {1}, new double[] {1}));
  }

  @Test
  void fieldsAreValidated() {
    assertThrows(IllegalArgumentException.class,
        () -> new JsonEventCodec.Fields("id", "id", TimeUnit.SECONDS, "v", 0));
    assertThrows(IllegalArgumentException.class,
        () -> new JsonEventCodec.Fields("id", "ts", TimeUnit.SECONDS, "", 0));
    assertThrows(IllegalArgumentException.class,
        () -> new JsonEventCodec.Fields("id", "ts", TimeUnit.SECONDS, "v", -1));
    assertThrows(IllegalArgumentException.class,
        () -> new JsonEventCodec.Fields("v1", "ts", TimeUnit.SECONDS, "v", 0));
    assertThrows(IllegalArgumentException.class,
        () -> new JsonEventCodec.Fields("sentinel", "ts", TimeUnit.SECONDS, "v", 0));
    assertThrows(NullPointerException.class,
        () -> new JsonEventCodec.Fields("id", "ts", null, "v", 0));
  }

  @Test
  void codecIsSerializable() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(CODEC);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      JsonEventCodec copy = (JsonEventCodec) in.readObject();
      assertEquals(CODEC.fields(), copy.fields());
      assertEquals(2, copy.parse(HEADER + ", \"sensor_0\": 2, \"sensor_1\": 0.53}").size());
    }
  }

  @Test
  void rejectsTimestampsItCouldNotWriteAgain() {
    String iso = "{\"sensor_id\":1,\"sensor_ts\":\"+300000-01-01T00:00:00Z\",\"sensor_0\":1}";
    RecordFormatException e = assertRejected(() -> CODEC.parse(iso), "sensor_ts", "\"+300000-01-01T00:00:00Z\"");
    assertTrue(e.getMessage().contains("is out of range"), e.getMessage());
    assertRejected(() -> CODEC.parse("{\"sensor_id\":1,\"sensor_ts\":9.3e18,\"sensor_0\":1}"), "sensor_ts", "9.3e18");
    JsonEventCodec seconds = new JsonEventCodec(new JsonEventCodec.Fields("id", "ts", TimeUnit.SECONDS, "v", 0));
    Instant far = seconds.parse("{\"id\":1,\"ts\":\"+300000-01-01T00:00:00Z\",\"v0\":1}").get(0).eventTime();
    assertEquals(Instant.parse("+300000-01-01T00:00:00Z"), far); // fits a long of seconds
  }

  @Test
  void writesEveryLongItReads() {
    for (long micros : new long[] {Long.MIN_VALUE, Long.MAX_VALUE, -1, Long.MIN_VALUE + 1}) {
      String json = "{\"sensor_id\":1,\"sensor_ts\":" + micros + ",\"sensor_0\":1.0}";
      Instant t = CODEC.parse(json).get(0).eventTime();
      assertEquals(json, CODEC.format("1", t, new int[] {1}, new double[] {1}));
    }
  }

  @Test
  void tinyTimestampsAreReadWithoutScalingThem() {
    long start = System.nanoTime();
    assertEquals(Instant.EPOCH,
        CODEC.parse("{\"sensor_id\":1,\"sensor_ts\":1e-999999999,\"sensor_0\":1}").get(0).eventTime());
    assertEquals(Instant.EPOCH.minusNanos(1),
        CODEC.parse("{\"sensor_id\":1,\"sensor_ts\":-1e-999999999,\"sensor_0\":1}").get(0).eventTime());
    assertEquals(Instant.EPOCH.minusNanos(2),
        CODEC.parse("{\"sensor_id\":1,\"sensor_ts\":-1.5e-3,\"sensor_0\":1}").get(0).eventTime());
    assertTrue(System.nanoTime() - start < 2_000_000_000L, "took " + (System.nanoTime() - start) / 1_000_000 + " ms");
  }
}
