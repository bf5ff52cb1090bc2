package io.iotbench.pipelines.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.InvalidOptionException;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.junit.jupiter.api.Test;

/** The decisions producer's client properties: security settings shared with the source, its own on top. */
class WriteDecisionsTest {
  private static ScoreSensorStream.Options options(String... args) {
    return Cli.parse(args, ScoreSensorStream.Options.class);
  }

  @Test
  void theSecurityEntriesOfKafkaPropertyAndEveryDecisionsKafkaPropertyReachTheProducer() {
    ScoreSensorStream.Options o = options("--model=m", "--decisionsTopic=d",
        "--kafkaProperty=security.protocol=SASL_SSL", "--kafkaProperty=sasl.mechanism=PLAIN",
        "--kafkaProperty=sasl.jaas.config=x required;", "--kafkaProperty=ssl.truststore.location=/ts.jks",
        "--kafkaProperty=group.id=consumers-only", "--kafkaProperty=auto.offset.reset=latest",
        "--decisionsKafkaProperty=client.id=decider", "--decisionsKafkaProperty=compression.type=zstd",
        "--decisionsKafkaProperty=sasl.mechanism=SCRAM-SHA-512");
    Map<String, String> expected = Map.of(
        "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", "x required;",
        "ssl.truststore.location", "/ts.jks", "client.id", "decider", "compression.type", "zstd");
    assertEquals(expected, WriteDecisions.producerProperties(o));

    KafkaIO.Write<Void, String> write =
        new WriteDecisions.ToKafka("127.0.0.1:9092", "d", WriteDecisions.producerProperties(o)).kafkaWrite();
    Map<String, Object> config = write.getWriteRecordsTransform().getProducerConfig();
    Map<String, Object> all = new HashMap<>(config);
    all.putAll(((WriteDecisions.ProducerWithSecrets) write.getWriteRecordsTransform().getProducerFactoryFn()).secret);
    expected.forEach((k, v) -> assertEquals(v, all.get(k), k));
    assertEquals("127.0.0.1:9092", config.get("bootstrap.servers"));
    assertEquals(null, all.get("group.id"));
    assertEquals(null, all.get("auto.offset.reset"));
    // The SASL settings reach the producer through its factory only: KafkaIO shows its config in display data.
    assertEquals(null, config.get("sasl.jaas.config"));
    assertEquals(null, config.get("sasl.mechanism"));
    String display = DisplayData.from(write).items().toString();
    assertTrue(display.contains("decider") && !display.contains("x required;") && !display.contains("SCRAM"), display);
  }

  @Test
  void withoutPropertiesTheProducerKeepsKafkaIoDefaults() {
    assertEquals(Map.of(), WriteDecisions.producerProperties(options("--model=m")));
    Map<String, Object> config = new WriteDecisions.ToKafka("h:1", "d").kafkaWrite().getWriteRecordsTransform().getProducerConfig();
    assertEquals(null, config.get("client.id"));
  }

  @Test
  void aMalformedEntryIsAnOptionError() {
    ScoreSensorStream.Options o = options("--model=m", "--decisionsKafkaProperty=compression.type");
    InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> ScoreSensorStream.validate(o));
    assertEquals("--decisionsKafkaProperty=...: expected key=value (the value given is not shown)", e.getMessage());
  }
}
