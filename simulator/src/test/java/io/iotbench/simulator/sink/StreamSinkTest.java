package io.iotbench.simulator.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.model.SensorEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StreamSinkTest {

  private static final Instant T = Instant.parse("2018-01-13T21:37:30.830Z");

  @Test
  void writesOneLinePerEventWhenIdleOrFull() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StreamSink sink = new StreamSink(out, new EventEncoder(EventEncoder.Format.CSV, false), "stdout");
    sink.open();
    sink.send(new SensorEvent(T, "1", 77, 0.474536));
    assertEquals(0, out.size(), "buffered until the simulator waits");
    sink.idle();
    assertEquals("2018-01-13T21:37:30.830Z,77,Sensor 77,0.474536\n", out.toString(StandardCharsets.US_ASCII));
    for (int i = 0; i < 10_000; i++) {
      sink.send(new SensorEvent(T, "1", 5, 0.5));
    }
    assertTrue(out.size() > 64 * 1024, "a full buffer is written without waiting for idle");
    sink.send(SensorEvent.sentinel(T, "1"));
    sink.close();
    String[] lines = out.toString(StandardCharsets.US_ASCII).split("\n", -1);
    assertEquals(10_003, lines.length);
    assertEquals("", lines[10_002], "ends with a line break");
    assertEquals("2018-01-13T21:37:30.830Z,-1,Sensor -1,0.000000", lines[10_001]);
  }
}
