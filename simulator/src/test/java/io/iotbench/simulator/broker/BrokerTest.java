package io.iotbench.simulator.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BrokerTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int broker(String... args) {
    return Broker.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void needsToKnowWhichBroker() {
    assertEquals(2, broker());
    assertEquals("iotbench broker: error: which broker? (iotbench broker kafka|mqtt [--port=...])\n", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void unknownBroker() {
    assertEquals(2, broker("rabbitmq"));
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("iotbench broker: error: unknown broker 'rabbitmq'"));
  }

  @Test
  void badPort() {
    assertEquals(2, broker("kafka", "--port=-2"));
    assertEquals("iotbench broker kafka: error: --port=-2: must be >= 0\n", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpListsBothBrokersOptions() {
    assertEquals(0, broker("--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("--port=...") && help.contains("[9092]") && help.contains("[1883]") && help.contains("--dataDir"), help);
    out.reset();
    assertEquals(0, broker("mqtt", "--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("[1883]"));
  }
}
