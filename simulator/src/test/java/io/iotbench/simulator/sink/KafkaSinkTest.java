package io.iotbench.simulator.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaSinkTest {

  private static KafkaSink.Settings settings(String acks, Map<String, String> extra) {
    return new KafkaSink.Settings("127.0.0.1:9092", "t", acks, 5, 1 << 20, "lz4", Duration.ofSeconds(10), extra);
  }

  @Test
  void defaultsAreTunedForThroughputAndPassThroughPropertiesWin() {
    Properties p = KafkaSink.producerProperties(settings("1", Map.of("compression.type", "zstd", "security.protocol", "SASL_SSL")));
    assertEquals("127.0.0.1:9092", p.getProperty("bootstrap.servers"));
    assertEquals("1", p.getProperty("acks"));
    assertEquals("false", p.getProperty("enable.idempotence"), "idempotence needs acks=all");
    assertEquals("1048576", p.getProperty("batch.size"));
    assertEquals("5", p.getProperty("linger.ms"));
    assertEquals("10000", p.getProperty("max.block.ms"));
    assertEquals("zstd", p.getProperty("compression.type"), "--kafkaProperty overrides");
    assertEquals("SASL_SSL", p.getProperty("security.protocol"));
    assertEquals("true", KafkaSink.producerProperties(settings("all", Map.of())).getProperty("enable.idempotence"));
  }

  /** A command with nothing but the producer options, to read their defaults the way picocli fills them. */
  @picocli.CommandLine.Command(name = "producer")
  static final class ProducerOnly {
    @picocli.CommandLine.Mixin KafkaProducerOptions producer;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
  }

  @Test
  void theCommandsDefaultIsAcksAllWithAnIdempotentProducer() {
    ProducerOnly command = new ProducerOnly();
    new picocli.CommandLine(command).parseArgs();
    Properties p = KafkaSink.producerProperties(
        command.producer.settings(command.spec, "127.0.0.1:9092", "t", Duration.ofSeconds(10), Map.of()));
    assertEquals("all", p.getProperty("acks"));
    assertEquals("true", p.getProperty("enable.idempotence"));
  }

  @Test
  void describeNeverShowsProperties() {
    KafkaSink sink = new KafkaSink(settings("1", Map.of("sasl.jaas.config", "password=TopSecret")), new EventEncoder(EventEncoder.Format.CSV, false));
    assertEquals("Kafka topic t at 127.0.0.1:9092", sink.describe());
    assertFalse(sink.describe().contains("TopSecret"));
  }

  @Test
  void parsesBootstrapLists() {
    assertEquals(
        List.of(new KafkaSink.HostPort("a", 1), new KafkaSink.HostPort("b.example", 9092), new KafkaSink.HostPort("::1", 9093)),
        KafkaSink.parseServers("a:1, b.example:9092,[::1]:9093"));
    assertEquals("[::1]:9093", new KafkaSink.HostPort("::1", 9093).toString());
    assertThrows(IllegalArgumentException.class, () -> KafkaSink.parseServers("a"));
    assertThrows(IllegalArgumentException.class, () -> KafkaSink.parseServers("a:0"));
    assertThrows(IllegalArgumentException.class, () -> KafkaSink.parseServers("a:x"));
    assertThrows(IllegalArgumentException.class, () -> KafkaSink.parseServers(" , "));
  }
}
