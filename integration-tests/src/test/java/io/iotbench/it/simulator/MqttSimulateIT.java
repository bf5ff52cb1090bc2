package io.iotbench.it.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.it.harness.MosquittoServer;
import io.iotbench.model.EventCsvCodec;
import java.time.Duration;
import java.util.List;
import org.fusesource.mqtt.client.QoS;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code simulate --sink=mqtt} against Debian's mosquitto. */
class MqttSimulateIT {

  @RegisterExtension static final MosquittoServer MQTT = new MosquittoServer();

  @Test
  void everyEventArrivesInOrderExactlyAsFormattedWithTheSentinelLast() throws Exception {
    String[] options = {"--total=5000", "--rate=0", "--seed=11"};
    List<String> expected = InJvmSimulator.expectedLines(options);
    try (MosquittoServer.Subscriber subscriber = MQTT.subscribe("csv-events", QoS.AT_LEAST_ONCE)) {
      InJvmSimulator.Run run = InJvmSimulator.run(InJvmSimulator.with(options, "--sink=mqtt", "--mqttUri=" + MQTT.uri(), "--topic=csv-events"));
      assertEquals(0, run.status(), run.stderr().toString());
      List<String> received = subscriber.receive(expected.size() + 1, Duration.ofSeconds(2));
      assertEquals(expected, received, "one message per event, nothing lost, nothing extra");
      assertTrue(EventCsvCodec.parse(received.get(received.size() - 1)).isSentinel());
    }
  }

  @Test
  void jsonMessagesOfSeveralDevicesWithQosZero() throws Exception {
    String[] options = {"--total=500", "--rate=0", "--devices=4", "--format=json", "--qos=0"};
    List<String> expected = InJvmSimulator.expectedLines(options);
    try (MosquittoServer.Subscriber subscriber = MQTT.subscribe("json-events", QoS.AT_LEAST_ONCE)) {
      InJvmSimulator.Run run = InJvmSimulator.run(InJvmSimulator.with(options, "--sink=mqtt", "--mqttUri=" + MQTT.uri(), "--topic=json-events"));
      assertEquals(0, run.status(), run.stderr().toString());
      List<String> received = subscriber.receive(expected.size() + 1, Duration.ofSeconds(2));
      assertEquals(expected, received);
      assertEquals(4, received.stream().filter(m -> m.endsWith("\"sentinel\":true}")).count());
    }
  }
}
