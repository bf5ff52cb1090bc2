package io.iotbench.it.harness;

import io.iotbench.simulator.broker.KafkaBroker;
import io.iotbench.simulator.broker.KafkaBrokerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A real single-node Kafka broker (KRaft) for integration tests: the project's own
 * {@link KafkaBroker}, by default inside the test JVM (starts in about 2-4 s) or, with
 * {@link #inChildJvm()}, as {@code Broker kafka} in a child JVM (about 2 s more, but isolated from the
 * test's heap and threads). Offers the few client operations tests need: create a topic, read a whole
 * topic back.
 */
public final class KafkaServer extends ManagedServer {

  private final boolean childJvm;
  private KafkaBroker inJvm;
  private KafkaBrokerProcess process;
  private String bootstrapServers;

  /** A broker in the test JVM. */
  public KafkaServer() {
    this(false);
  }

  private KafkaServer(boolean childJvm) {
    this.childJvm = childJvm;
  }

  /** A broker in a child JVM. */
  public static KafkaServer inChildJvm() {
    return new KafkaServer(true);
  }

  @Override
  public String name() {
    return childJvm ? "Kafka (child JVM)" : "Kafka (in JVM)";
  }

  @Override
  protected void startServer() throws Exception {
    if (childJvm) {
      process = KafkaBrokerProcess.start(0, List.of("-Xmx512m"));
      bootstrapServers = process.bootstrapServers();
    } else {
      inJvm = KafkaBroker.start(0, null, Map.of());
      bootstrapServers = inJvm.bootstrapServers();
    }
  }

  @Override
  protected void stopServer() {
    if (inJvm != null) {
      inJvm.close();
      inJvm = null;
    }
    if (process != null) {
      process.close();
      process = null;
    }
  }

  /** {@code 127.0.0.1:<port>}. */
  public String bootstrapServers() {
    checkRunning();
    return bootstrapServers;
  }

  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(), AdminClientConfig.CLIENT_ID_CONFIG, "it-admin"));
  }

  /** Creates a topic and waits until it exists. */
  public void createTopic(String topic, int partitions) throws Exception {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }
  }

  /**
   * Reads {@code topic} from the beginning of every partition until {@code expected} records arrived
   * or {@code timeout} passed, and returns what arrived (possibly fewer: the caller asserts).
   */
  public List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected, Duration timeout) {
    Properties p = new Properties();
    p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.setProperty(ConsumerConfig.CLIENT_ID_CONFIG, "it-reader");
    p.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic, timeout)) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
