package io.iotbench.simulator.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.model.EventCsvCodec;
import io.iotbench.model.JsonEventCodec;
import io.iotbench.model.SensorEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EventEncoderTest {

  private static final Instant T = Instant.parse("2018-01-13T21:37:30.830Z");

  /** Timestamp, sensor, its name, value with six decimals; nothing else. */
  private static final Pattern ORIGINAL_LINE =
      Pattern.compile("(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z),(-?\\d+),Sensor (-?\\d+),(\\d\\.\\d{6})");

  private static String csv(SensorEvent e, boolean withDevice) {
    return new String(new EventEncoder(EventEncoder.Format.CSV, withDevice).toBytes(e), StandardCharsets.US_ASCII);
  }

  @Test
  void csvIsTheOriginalLine() {
    assertEquals("2018-01-13T21:37:30.830Z,77,Sensor 77,0.474536", csv(new SensorEvent(T, "1", 77, 0.474536), false));
  }

  @Test
  void everyCsvFieldHasTheOriginalFormat() {
    EventEncoder encoder = new EventEncoder(EventEncoder.Format.CSV, false);
    ByteArrayBuilder out = new ByteArrayBuilder(16);
    SensorEvent[] events = {
      new SensorEvent(Instant.parse("2018-01-13T21:37:30Z"), "1", 1, 0.0),
      new SensorEvent(Instant.parse("2099-12-31T23:59:59.999999Z"), "1", 100, 0.9999999),
      new SensorEvent(Instant.parse("1999-02-03T04:05:06.007Z"), "1", 5, 0.5),
      SensorEvent.sentinel(T, "1"),
    };
    for (SensorEvent e : events) {
      out.clear();
      encoder.encode(e, out);
      String line = new String(out.array(), 0, out.length(), StandardCharsets.US_ASCII);
      Matcher m = ORIGINAL_LINE.matcher(line);
      assertTrue(m.matches(), line);
      assertEquals(e.eventTime().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), Instant.parse(m.group(1)), line);
      assertEquals(String.valueOf(e.sensor()), m.group(2));
      assertEquals(m.group(2), m.group(3), "the name repeats the number");
      assertEquals(e.value(), Double.parseDouble(m.group(4)), 5e-7);
    }
    assertEquals("2018-01-13T21:37:30.000Z,1,Sensor 1,0.000000", csv(events[0], false), "milliseconds always written");
    assertEquals("2099-12-31T23:59:59.999Z,100,Sensor 100,1.000000", csv(events[1], false), "rounded, not truncated");
  }

  @Test
  void sentinelIsSensorMinusOne() {
    assertEquals("2018-01-13T21:37:30.830Z,-1,Sensor -1,0.000000", csv(SensorEvent.sentinel(T, "1"), false));
  }

  @Test
  void severalDevicesAddTheDeviceAsAFifthField() {
    assertEquals("2018-01-13T21:37:30.830Z,77,Sensor 77,0.474536,12", csv(new SensorEvent(T, "12", 77, 0.474536), true));
    assertEquals("2018-01-13T21:37:30.830Z,-1,Sensor -1,0.000000,3", csv(SensorEvent.sentinel(T, "3"), true));
  }

  @Test
  void csvReadsBackWithTheModelsCodec() {
    SensorEvent e = new SensorEvent(T, "7", 42, 0.123456);
    assertEquals(e, EventCsvCodec.parse(csv(e, true)));
  }

  @Test
  void jsonIsOneMessagePerEventAndReadsBack() {
    EventEncoder encoder = new EventEncoder(EventEncoder.Format.JSON, true);
    JsonEventCodec codec = new JsonEventCodec(JsonEventCodec.Fields.defaults());
    SensorEvent e = new SensorEvent(T, "3", 77, 0.474536);
    String json = new String(encoder.toBytes(e), StandardCharsets.UTF_8);
    assertEquals("{\"sensor_id\":3,\"sensor_ts\":1515879450830000,\"sensor_76\":0.474536}", json);
    assertEquals(List.of(e), codec.parse(json));
    String end = new String(encoder.toBytes(SensorEvent.sentinel(T, "3")), StandardCharsets.UTF_8);
    assertEquals("{\"sensor_id\":3,\"sensor_ts\":1515879450830000,\"sentinel\":true}", end);
    assertTrue(codec.parse(end).get(0).isSentinel());
  }

  @Test
  void nonAsciiDeviceIdsAreUtf8() {
    EventEncoder encoder = new EventEncoder(EventEncoder.Format.JSON, true);
    String json = new String(encoder.toBytes(new SensorEvent(T, "gerät-1", 1, 0.5)), StandardCharsets.UTF_8);
    assertEquals("gerät-1", new JsonEventCodec(JsonEventCodec.Fields.defaults()).parse(json).get(0).deviceId());
  }

  @Test
  void appendsAfterWhatIsAlreadyBuffered() {
    EventEncoder encoder = new EventEncoder(EventEncoder.Format.CSV, false);
    ByteArrayBuilder out = new ByteArrayBuilder(16);
    for (int i = 0; i < 1000; i++) {
      encoder.encode(new SensorEvent(T, "1", 1 + i % 100, i / 1000.0), out);
      out.append((byte) '\n');
    }
    String[] lines = new String(out.array(), 0, out.length(), StandardCharsets.US_ASCII).split("\n");
    assertEquals(1000, lines.length);
    assertEquals("2018-01-13T21:37:30.830Z,100,Sensor 100,0.999000", lines[999]);
  }

  private static List<SensorEvent> allSensors(String device, Instant t, double... values) {
    List<SensorEvent> message = new java.util.ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      message.add(new SensorEvent(t, device, i + 1, values[i]));
    }
    return message;
  }

  @Test
  void aMessageOfEverySensorIsTheWorkshopShape() {
    EventEncoder encoder = new EventEncoder(EventEncoder.Format.JSON, true);
    Instant t = Instant.parse("2019-05-02T00:59:47.735011Z");
    List<SensorEvent> message = allSensors("48", t, 2, 14, 0.5, 0, 1, 2, 3, 4, 5, 6, 5);
    String json = new String(encoder.toBytes(message), StandardCharsets.UTF_8);
    assertEquals("{\"sensor_id\":48,\"sensor_ts\":1556758787735011,\"sensor_0\":2.0,\"sensor_1\":14.0,\"sensor_2\":0.5,"
        + "\"sensor_3\":0.0,\"sensor_4\":1.0,\"sensor_5\":2.0,\"sensor_6\":3.0,\"sensor_7\":4.0,\"sensor_8\":5.0,"
        + "\"sensor_9\":6.0,\"sensor_10\":5.0}", json);
    assertEquals(message, new JsonEventCodec(JsonEventCodec.Fields.defaults()).parse(json), "reads back as the readings");
    // The workshop's own message, with integer readings, reads as the same events.
    assertEquals(message, new JsonEventCodec(JsonEventCodec.Fields.defaults()).parse(
        "{\"sensor_id\": 48, \"sensor_ts\": 1556758787735011, \"sensor_0\": 2, \"sensor_1\": 14, \"sensor_2\": 0.5,"
            + " \"sensor_3\": 0, \"sensor_4\": 1, \"sensor_5\": 2, \"sensor_6\": 3, \"sensor_7\": 4, \"sensor_8\": 5,"
            + " \"sensor_9\": 6, \"sensor_10\": 5}"));
  }

  @Test
  void aMessageOfOneReadingIsTheOneEventEncoding() {
    SensorEvent e = new SensorEvent(T, "3", 7, 0.25);
    for (EventEncoder.Format f : EventEncoder.Format.values()) {
      EventEncoder encoder = new EventEncoder(f, true);
      assertEquals(new String(encoder.toBytes(e), StandardCharsets.UTF_8),
          new String(encoder.toBytes(List.of(e)), StandardCharsets.UTF_8));
    }
    EventEncoder json = new EventEncoder(EventEncoder.Format.JSON, true);
    assertTrue(new String(json.toBytes(List.of(SensorEvent.sentinel(T, "3"))), StandardCharsets.UTF_8).endsWith("\"sentinel\":true}"));
  }

  @Test
  void messagesOfSeveralSizesInARowReuseNothingStale() {
    EventEncoder encoder = new EventEncoder(EventEncoder.Format.JSON, true);
    JsonEventCodec codec = new JsonEventCodec(JsonEventCodec.Fields.defaults());
    for (int n : new int[] {3, 5, 2, 5}) {
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        values[i] = n + i / 10.0;
      }
      List<SensorEvent> message = allSensors("1", T, values);
      ByteArrayBuilder out = new ByteArrayBuilder(16);
      encoder.encode(message, out);
      assertEquals(message, codec.parse(new String(out.array(), 0, out.length(), StandardCharsets.UTF_8)));
    }
  }

  @Test
  void severalReadingsNeedJsonAndOneDeviceAndTime() {
    List<SensorEvent> two = allSensors("1", T, 0.1, 0.2);
    assertThrows(IllegalArgumentException.class,
        () -> new EventEncoder(EventEncoder.Format.CSV, false).toBytes(two));
    EventEncoder json = new EventEncoder(EventEncoder.Format.JSON, true);
    assertThrows(IllegalArgumentException.class, () -> json.toBytes(List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> json.toBytes(List.of(new SensorEvent(T, "1", 1, 0.1), new SensorEvent(T, "2", 2, 0.2))));
    assertThrows(IllegalArgumentException.class,
        () -> json.toBytes(List.of(new SensorEvent(T, "1", 1, 0.1), new SensorEvent(T.plusMillis(1), "1", 2, 0.2))));
  }
}
