package io.iotbench.it.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.it.harness.KafkaServer;
import io.iotbench.model.scoring.PortableModel;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.score.DecisionsTopic;
import io.iotbench.pipelines.score.ScoreSensorStream;
import io.iotbench.pipelines.train.ModelFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decisions producer of {@code score --decisionsTopic} is configured by {@code --decisionsKafkaProperty} and by
 * the security entries of {@code --kafkaProperty}: a real broker, a recorded stream replayed on the DirectRunner, and
 * a producer interceptor (itself given as a property) that sees the producer's configuration and every decision.
 */
class DecisionsProducerIT {
  @RegisterExtension static final KafkaServer KAFKA = new KafkaServer();

  @TempDir Path temp;

  /** Counts what the decisions producers send and keeps the properties they were given. */
  public static final class SeenByProducer implements ProducerInterceptor<Object, Object> {
    static final AtomicInteger SENT = new AtomicInteger();
    static final Map<String, Object> CONFIG = new ConcurrentHashMap<>();

    @Override
    public void configure(Map<String, ?> configs) {
      configs.forEach((k, v) -> CONFIG.put(k, String.valueOf(v)));
    }

    @Override
    public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
      SENT.incrementAndGet();
      return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {}

    @Override
    public void close() {}
  }

  @Test
  void decisionsArePublishedWithTheGivenProducerProperties() throws Exception {
    Path model = temp.resolve("model");
    ModelFolder.writePortable(model.toString(), PortableModel.logisticRegression(new double[] {1, 1, 1}, -2, 0.5, Map.of()));
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      events.add(t0.plusMillis(100L * i) + "," + (1 + i % 3) + ",Sensor " + (1 + i % 3) + "," + (i % 2 == 0 ? 0.9 : 0.1));
    }
    Path recording = Files.write(temp.resolve("events.csv"), events);
    String topic = "decisions-with-properties";
    KAFKA.createTopic(topic, 1);

    int code = Cli.execute("score", new String[] {"--runner=DirectRunner", "--model=" + model, "--sensors=3",
        "--source=file", "--inputFile=" + recording, "--bootstrapServers=" + KAFKA.bootstrapServers(),
        "--decisionsTopic=" + topic, "--kafkaProperty=security.protocol=PLAINTEXT", "--kafkaProperty=group.id=not-for-producers",
        "--decisionsKafkaProperty=client.id=iotbench-decisions-it", "--decisionsKafkaProperty=compression.type=gzip",
        "--decisionsKafkaProperty=interceptor.classes=" + SeenByProducer.class.getName(),
        "--decisionsKafkaProperty=ssl.key.password=unused-with-plaintext"},
        ScoreSensorStream.Options.class, o -> ScoreSensorStream.exitCode(ScoreSensorStream.run(o)));
    assertEquals(0, code);

    List<DecisionsTopic.Published> published = DecisionsTopic.readAll(KAFKA.bootstrapServers(), topic,
        Map.of("security.protocol", "PLAINTEXT"), Duration.ofSeconds(1), Duration.ofSeconds(30));
    assertTrue(published.size() >= 3, "decisions: " + published.size());
    assertEquals(published.size(), SeenByProducer.SENT.get(), "every decision went through the configured producer");
    assertTrue(String.valueOf(SeenByProducer.CONFIG.get("client.id")).startsWith("iotbench-decisions-it"), SeenByProducer.CONFIG.toString());
    assertEquals("gzip", SeenByProducer.CONFIG.get("compression.type"));
    assertEquals("PLAINTEXT", SeenByProducer.CONFIG.get("security.protocol"), "the source's security settings are shared");
    assertEquals(null, SeenByProducer.CONFIG.get("group.id"), "consumer settings are not");
    assertEquals("unused-with-plaintext", SeenByProducer.CONFIG.get("ssl.key.password"), "secret settings go through the factory");
  }
}
