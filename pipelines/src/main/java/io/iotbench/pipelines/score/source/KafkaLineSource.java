package io.iotbench.pipelines.score.source;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records of one Kafka topic, handed to Beam in chunks of lines like our socket and MQTT sources
 * ({@link LiveLineSource}). Beam's {@code KafkaIO.read} hands out one element per Kafka record, and the
 * DirectRunner's cost is per element: it delivered 0.9–3.3k records/s here (README, "score"), below the 10k/s a
 * source must sustain. This source keeps KafkaIO's contract otherwise: bootstrap servers, topic, consumer group,
 * every client property passed through, event time read from the payload with a bounded out-of-orderness (the
 * {@link EventClock}), and offsets committed only when the runner finalizes a checkpoint that covers the records
 * (at-least-once: after a crash, the group resumes at the last committed offsets).
 *
 * <p>One consumer per source and JVM (one split), subscribed with the group, so partitions are shared with other
 * members of the group. {@code --kafkaSource=kafkaio} keeps Beam's KafkaIO (a split per partition).
 */
public final class KafkaLineSource extends LiveLineSource {
  private static final long serialVersionUID = 1L;

  private final String bootstrapServers;
  private final String topic;
  private final HashMap<String, String> properties;

  /**
   * @param properties consumer properties (group id, offset reset, security ...) on top of this source's own
   */
  public KafkaLineSource(String bootstrapServers, String topic, Map<String, String> properties,
      RecordSettings settings, long outageLimitMillis) {
    super(settings, outageLimitMillis);
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.properties = new HashMap<>(properties);
  }

  /**
   * Fetch settings for a backlog: while the consumer drains one partition's buffered records, its fetches ask only
   * for the partitions it has caught up on, and the broker holds such a fetch for {@code fetch.max.wait.ms}
   * (default 500 ms) — once per megabyte ({@code max.partition.fetch.bytes}) read. Measured on a 2-partition topic
   * with one busy partition: 124,052 records/s with Kafka's defaults, 2,381,428/s with these. Overridable with
   * {@code --kafkaProperty}.
   */
  public static final Map<String, String> FETCH_DEFAULTS = Map.of(
      ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100",
      ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 << 20));

  @Override
  protected LineFeed createFeed() {
    Map<String, Object> config = new HashMap<>(properties);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, "iotbench-score-" + UUID.randomUUID());
    config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    FETCH_DEFAULTS.forEach(config::putIfAbsent);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"); // offsets are committed on finalize only
    return new KafkaFeed(bootstrapServers, topic, config, settings().maxRecordBytes(), outageLimitMillis());
  }

  /**
   * Polls the topic; while polls return nothing it asks the brokers for the topic's partitions every
   * {@value #HEALTH_CHECK_MILLIS} ms (waiting at most as long): the consumer itself reconnects silently, so this is
   * how a broker outage is noticed. An outage longer than the limit fails the feed; so does a Kafka error the
   * consumer cannot recover from (authorization, a deleted topic's metadata errors surface as such).
   */
  static final class KafkaFeed extends LineFeed {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaFeed.class);
    static final long HEALTH_CHECK_MILLIS = 2_000;
    private final String bootstrapServers;
    private final int maxRecordBytes;
    private final String topic;
    private final Map<String, Object> config;
    /** After each poll: how many records had been offered in all, and the offsets to commit for them. */
    private final ArrayDeque<Position> positions = new ArrayDeque<>();
    private long offered;
    private volatile long finalizedRecords = -1;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    private record Position(long offered, Map<TopicPartition, OffsetAndMetadata> offsets) {}

    KafkaFeed(String bootstrapServers, String topic, Map<String, Object> config, int maxRecordBytes, long outageLimitMillis) {
      super(outageLimitMillis);
      this.bootstrapServers = bootstrapServers;
      this.maxRecordBytes = maxRecordBytes;
      this.topic = topic;
      this.config = config;
    }

    @Override
    protected void onFinalized(long records) {
      finalizedRecords = Math.max(finalizedRecords, records);
    }

    @Override
    protected void run() throws InterruptedException {
      Map<TopicPartition, Long> next = new HashMap<>();
      long lastCheck = System.currentTimeMillis();
      try (KafkaConsumer<byte[], byte[]> c =
          new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer = c;
        c.subscribe(List.of(topic));
        while (!shouldStop()) {
          ConsumerRecords<byte[], byte[]> batch;
          try {
            batch = c.poll(Duration.ofMillis(100));
          } catch (WakeupException e) {
            break;
          }
          ready = true;
          long now = System.currentTimeMillis();
          if (!batch.isEmpty()) {
            connectionUp();
            lastCheck = now;
          } else if (now - lastCheck >= HEALTH_CHECK_MILLIS) {
            lastCheck = now;
            if (!brokersAnswer(c)) {
              break;
            }
          }
          for (ConsumerRecord<byte[], byte[]> r : batch) {
            byte[] value = r.value();
            offer(value == null ? RecordText.BLANK : RecordText.ofMessage(value, 0, value.length, maxRecordBytes));
            offered++;
            next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
          }
          if (!batch.isEmpty()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            next.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset)));
            synchronized (positions) {
              positions.addLast(new Position(offered, offsets));
            }
          }
          commitFinalized(c);
        }
        commitFinalized(c);
      } catch (WakeupException e) {
        // closed
      } catch (org.apache.kafka.common.KafkaException e) {
        fail("Kafka at " + bootstrapServers + ", topic " + topic + ": " + message(e));
      } finally {
        consumer = null;
      }
    }

    /**
     * Asks the brokers for their topics (a metadata request on the wire: {@code partitionsFor} would answer from the
     * consumer's cache), with a short timeout; records the answer as the connection's
     * state. Returns false once the outage has lasted too long (the feed failed).
     */
    private boolean brokersAnswer(KafkaConsumer<byte[], byte[]> c) {
      try {
        c.listTopics(Duration.ofMillis(HEALTH_CHECK_MILLIS));
        connectionUp();
        return true;
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        return !connectionDown("Kafka at " + bootstrapServers + " does not answer: " + message(e));
      }
    }

    private static String message(Throwable e) {
      Throwable t = e;
      while (t.getCause() != null && t.getCause() != t && t.getMessage() == null) {
        t = t.getCause();
      }
      return t.getMessage() == null ? t.toString() : t.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** Commits the offsets of the newest poll whose records are all covered by a finalized checkpoint. */
    private void commitFinalized(KafkaConsumer<byte[], byte[]> c) {
      long done = finalizedRecords;
      Map<TopicPartition, OffsetAndMetadata> commit = null;
      synchronized (positions) {
        while (!positions.isEmpty() && positions.peekFirst().offered() <= done) {
          commit = positions.pollFirst().offsets();
        }
      }
      if (commit != null) {
        try {
          c.commitSync(commit, Duration.ofMillis(HEALTH_CHECK_MILLIS));
        } catch (RuntimeException e) {
          // A rebalance moved a partition away: its new owner resumes from the last commit (at-least-once).
          LOG.warn("commit of {} offsets failed: {}", topic, e.toString());
        }
      }
    }

    @Override
    public void close() {
      super.close();
      KafkaConsumer<byte[], byte[]> c = consumer;
      if (c != null) {
        c.wakeup();
      }
    }
  }
}
