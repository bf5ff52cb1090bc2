package io.iotbench.simulator.sink;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The MQTT sink's topics: one topic, or one per device with {@code <device>}; never a wildcard. */
class MqttSinkTest {

  @Test
  void aTopicPerDeviceReplacesThePlaceholderWithTheDeviceId() {
    assertEquals("iot/line1", MqttSink.topicOf("iot/line<device>", "1"));
    assertEquals("iot/42/readings", MqttSink.topicOf("iot/<device>/readings", "42"));
    assertEquals("sensor-events", MqttSink.topicOf("sensor-events", "42"), "no placeholder: one topic for all");
  }

  @Test
  void wildcardsAndEmptyTopicsAreRefusedForPublishing() {
    for (String topic : new String[] {"iot/#", "iot/+/line", "#", "", "a\0b"}) {
      assertThrows(IllegalArgumentException.class, () -> MqttSink.checkTopic(topic), topic);
    }
    assertDoesNotThrow(() -> MqttSink.checkTopic("iot/line<device>"));
    assertDoesNotThrow(() -> MqttSink.checkTopic("sensor-events"));
  }
}
