package io.iotbench.runners.bench;

import io.iotbench.simulator.Clock;
import io.iotbench.simulator.Simulate;
import io.iotbench.simulator.broker.KafkaBrokerProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The scorer benchmark's Kafka: a broker in a child JVM on 127.0.0.1, topics pre-loaded with simulated events,
 * and decision topics whose records carry the time the broker appended them.
 */
final class KafkaFixture implements AutoCloseable {
  private final KafkaBrokerProcess broker;

  private KafkaFixture(KafkaBrokerProcess broker) {
    this.broker = broker;
  }

  static KafkaFixture start() throws IOException {
    return new KafkaFixture(KafkaBrokerProcess.start(0, List.of("-Xmx1g")));
  }

  String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** Creates {@code topic} and loads {@code events} simulated events of 100 sensors and {@code devices} devices. */
  void preload(String topic, int partitions, long events, int devices) throws Exception {
    createTopic(new NewTopic(topic, partitions, (short) 1));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Simulate.run(new String[] {"--sink=kafka", "--bootstrapServers=" + bootstrapServers(), "--topic=" + topic,
        "--rate=0", "--total=" + events, "--sensors=100", "--devices=" + devices},
        OutputStream.nullOutputStream(), new PrintStream(OutputStream.nullOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8), Clock.SYSTEM);
    if (status != 0) {
      throw new IllegalStateException("pre-loading " + topic + " failed: " + err.toString(StandardCharsets.UTF_8).strip());
    }
  }

  /** Creates an empty topic of {@code partitions} partitions. */
  void createTopic(String topic, int partitions) throws Exception {
    createTopic(new NewTopic(topic, partitions, (short) 1));
  }

  /**
   * Creates a one-partition topic for the scorer's decisions, stamped with the broker's append time: the wall
   * time a decision left the scorer, whatever timestamp its producer set.
   */
  void createDecisionsTopic(String topic) throws Exception {
    createTopic(new NewTopic(topic, 1, (short) 1).configs(
        Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")));
  }

  private void createTopic(NewTopic topic) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      admin.createTopics(List.of(topic)).all().get();
    }
  }

  @Override
  public void close() {
    broker.close();
  }
}
