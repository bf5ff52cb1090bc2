package io.iotbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SensorEventTest {
  private static final Instant T = Instant.parse("2018-01-13T21:37:30.830Z");

  @Test
  void sentinelIsSensorMinusOneWithValueZero() {
    SensorEvent s = SensorEvent.sentinel(T, "dev-1");
    assertEquals(new SensorEvent(T, "dev-1", -1, 0.0), s);
    assertTrue(s.isSentinel());
    assertEquals(-1, SensorEvent.SENTINEL_SENSOR);
    assertEquals("1", SensorEvent.DEFAULT_DEVICE);
    assertFalse(new SensorEvent(T, "1", 1, 0.5).isSentinel());
  }

  @Test
  void rejectsNulls() {
    assertThrows(NullPointerException.class, () -> new SensorEvent(null, "1", 1, 0.5));
    assertThrows(NullPointerException.class, () -> new SensorEvent(T, null, 1, 0.5));
  }
}
