package io.iotbench.simulator.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
