package io.iotbench.runners.bench;

import io.iotbench.pipelines.score.source.KafkaLineSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The reference the scorer is held against: a plain KafkaConsumer loop that only counts a topic's records. */
final class PlainConsumerRate {
  private PlainConsumerRate() {}

  /** Records/s of reading {@code topic} from its beginning until {@code expected} records (at most 5 minutes). */
  static double measure(String bootstrap, String topic, long expected) {
    Properties p = new Properties();
    p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
    KafkaLineSource.FETCH_DEFAULTS.forEach(p::setProperty); // the scorer's own fetch settings
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(topic).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
      c.assign(parts);
      c.seekToBeginning(parts);
      long n = 0;
      long start = System.nanoTime();
      long deadline = start + Duration.ofMinutes(5).toNanos();
      while (n < expected && System.nanoTime() < deadline) {
        for (var r : c.poll(Duration.ofMillis(200))) {
          n += r.value().length > 0 ? 1 : 0;
        }
      }
      return n / ((System.nanoTime() - start) / 1e9);
    }
  }
}
