package io.iotbench.pipelines.score;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The decisions a finished {@code score} run published with {@code --decisionsTopic}, read back from Kafka: for
 * benchmarks and tests that take the scorer's decisions from its real output. Each comes with the Kafka record's
 * timestamp: the time it was published (CreateTime), or the time the broker appended it when the topic is
 * created with {@code message.timestamp.type=LogAppendTime}.
 */
public final class DecisionsTopic {
  /** One published decision and its Kafka record's timestamp (epoch milliseconds). */
  public record Published(Decision decision, long timestampMillis) {}

  private DecisionsTopic() {}

  /**
   * Every record of {@code topic}, in each partition's order: reads from the beginning until the end offsets
   * are reached and nothing new arrived for {@code quiet} (a publisher that just finished may still be
   * sending), or until {@code timeout} passed.
   */
  public static List<Published> readAll(String bootstrapServers, String topic, Duration quiet, Duration timeout) {
    return readAll(bootstrapServers, topic, Map.of(), quiet, timeout);
  }

  /**
   * Like {@link #readAll(String, String, Duration, Duration)}, with extra consumer properties: the security
   * settings of a SASL or TLS cluster ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}), as the scorer's
   * {@code --kafkaProperty} gives them.
   */
  public static List<Published> readAll(
      String bootstrapServers, String topic, Map<String, String> clientProperties, Duration quiet, Duration timeout) {
    Properties p = new Properties();
    p.putAll(clientProperties);
    p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.setProperty(ConsumerConfig.CLIENT_ID_CONFIG, "iotbench-decisions-reader");
    p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<Published> decisions = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic, timeout)) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      long lastArrival = System.nanoTime();
      while (System.nanoTime() < deadline) {
        int before = decisions.size();
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          decisions.add(new Published(Decision.fromJson(r.value()), r.timestamp()));
        }
        long now = System.nanoTime();
        if (decisions.size() > before) {
          lastArrival = now;
        } else if (now - lastArrival >= quiet.toNanos() && atEnd(consumer, partitions)) {
          break;
        }
      }
    }
    return decisions;
  }

  private static boolean atEnd(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions) {
    for (Map.Entry<TopicPartition, Long> end : consumer.endOffsets(partitions).entrySet()) {
      if (consumer.position(end.getKey()) < end.getValue()) {
        return false;
      }
    }
    return true;
  }
}
