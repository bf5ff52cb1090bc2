package io.iotbench.pipelines.score.source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
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
 * (at-least-once: after a crash, the group resumes at the last committed offsets). Its checkpoint marks carry the
 * offsets the reader handed out; a reader restored from one resumes exactly there (see {@link KafkaFeed}).
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
   *
   * <p>Offsets follow the readers, not the fetches. Each record is buffered with its partition, offset and the feed's
   * seek epoch. A finalized mark's positions (what one reader handed out, processed by the runner) are committed as
   * they are, with {@code commitAsync} from the feed's thread: a failed commit is logged and the next finalized mark
   * (or a retry a second later) carries it on, so commits never hold up polling. When the feed's fetch positions and
   * the readers' positions part — a reader starts from a mark that is not where the feed's readers stand (a new feed,
   * a restart from a runner's checkpoint, a runner that replays a batch), or partitions are revoked — the feed drops
   * what it buffered, moves to a new epoch (a record of an older epoch is dropped by the reader that polls it) and
   * seeks every assigned partition to the readers' position, or to the group's committed offset for a partition they
   * have none of. A partition assigned later starts at the readers' position too, if they have one.
   */
  static final class KafkaFeed extends LineFeed {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaFeed.class);
    static final long HEALTH_CHECK_MILLIS = 2_000;
    /** How long after a failed commit the next one is sent. */
    static final long COMMIT_RETRY_MILLIS = 1_000;
    private final String bootstrapServers;
    private final int maxRecordBytes;
    private final String topic;
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final boolean resetToLatest;
    /** Guards {@link #handedOut}, {@link #reseek} and changes of {@link #epoch}. */
    private final Object seekLock = new Object();
    /** Partition -> the offset after the last record the feed's readers handed out. */
    private Map<Integer, Long> handedOut = new HashMap<>();
    /** The consumer must seek every assigned partition again (the buffer was dropped). */
    private boolean reseek;
    private volatile int epoch;
    /** The positions of the newest finalized mark. */
    private volatile SortedMap<Integer, Long> finalized;
    // The feed thread's own: the epoch the fetch positions belong to, and the commits.
    private int fetchEpoch;
    private SortedMap<Integer, Long> sent;
    private long nextCommitMillis;
    private int failedCommits;
    private volatile Consumer<byte[], byte[]> consumer;

    KafkaFeed(String bootstrapServers, String topic, Map<String, Object> config, int maxRecordBytes, long outageLimitMillis) {
      this(bootstrapServers, topic, () -> new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
          "latest".equals(String.valueOf(config.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG))), maxRecordBytes,
          outageLimitMillis);
    }

    /** A feed reading with the consumers {@code consumers} makes (one per run of the feed; tests pass a mock). */
    KafkaFeed(String bootstrapServers, String topic, Supplier<Consumer<byte[], byte[]>> consumers, boolean resetToLatest,
        int maxRecordBytes, long outageLimitMillis) {
      super(outageLimitMillis);
      this.bootstrapServers = bootstrapServers;
      this.maxRecordBytes = maxRecordBytes;
      this.topic = topic;
      this.consumers = consumers;
      this.resetToLatest = resetToLatest;
    }

    @Override
    protected void onFinalized(CountMark mark) {
      if (!mark.positions().isEmpty()) {
        finalized = mark.positions();
      }
    }

    @Override
    void resume(CountMark mark) {
      synchronized (seekLock) {
        if (mark.positions().equals(handedOut)) {
          return; // the reader goes on where the feed's readers stand
        }
        LOG.info("a reader of {} starts at {}, the feed's readers stood at {}: seeking", topic, mark.positions(),
            handedOut);
        handedOut = new HashMap<>(mark.positions());
        dropBuffered();
      }
    }

    @Override
    boolean isCurrent(Placed record) {
      return record.epoch() == epoch;
    }

    @Override
    void handedOut(SortedMap<Integer, Long> positions) {
      synchronized (seekLock) {
        handedOut = new HashMap<>(positions);
      }
    }

    /** Drops the buffer: a new epoch, and the feed thread seeks again before its next poll. Holds seekLock. */
    private void dropBuffered() {
      epoch++;
      reseek = true;
      queue.clear();
    }

    @Override
    protected void run() throws InterruptedException {
      long lastCheck = System.currentTimeMillis();
      try (Consumer<byte[], byte[]> c = consumers.get()) {
        consumer = c;
        c.subscribe(List.of(topic), new Rebalance(c));
        while (!shouldStop()) {
          applyReseek(c);
          commitFinalized(c);
          int stamp = fetchEpoch;
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
            String text = value == null ? RecordText.BLANK : RecordText.ofMessage(value, 0, value.length, maxRecordBytes);
            offer(new Placed(text, r.partition(), r.offset(), stamp));
          }
        }
        commitAtClose(c);
      } catch (WakeupException e) {
        // closed
      } catch (org.apache.kafka.common.KafkaException e) {
        fail("Kafka at " + bootstrapServers + ", topic " + topic + ": " + message(e));
      } finally {
        consumer = null;
      }
    }

    /** Seeks every assigned partition again if the buffer was dropped; on a timeout, tries again next time. */
    private void applyReseek(Consumer<byte[], byte[]> c) {
      Map<Integer, Long> at;
      int e;
      synchronized (seekLock) {
        if (!reseek) {
          return;
        }
        at = new HashMap<>(handedOut);
        e = epoch;
      }
      try {
        seek(c, c.assignment(), at, true);
      } catch (org.apache.kafka.common.errors.TimeoutException timeout) {
        LOG.warn("cannot read the committed offsets of {}: {}; trying again", topic, message(timeout));
        return;
      }
      synchronized (seekLock) {
        if (epoch == e) {
          reseek = false;
        }
      }
      fetchEpoch = e; // a newer epoch (a reader resumed meanwhile) drops these fetches and seeks again
    }

    /**
     * Seeks {@code partitions} to the readers' positions {@code at}; with {@code all}, the others to the group's
     * committed offset, or where the offset reset policy says if it has none.
     */
    private void seek(Consumer<byte[], byte[]> c, Collection<TopicPartition> partitions, Map<Integer, Long> at,
        boolean all) {
      Set<TopicPartition> unknown = new HashSet<>();
      for (TopicPartition tp : partitions) {
        Long offset = at.get(tp.partition());
        if (offset != null) {
          c.seek(tp, offset);
        } else {
          unknown.add(tp);
        }
      }
      if (!all || unknown.isEmpty()) {
        return;
      }
      Map<TopicPartition, OffsetAndMetadata> committed = c.committed(unknown, Duration.ofMillis(HEALTH_CHECK_MILLIS));
      List<TopicPartition> none = new ArrayList<>();
      for (TopicPartition tp : unknown) {
        OffsetAndMetadata o = committed.get(tp);
        if (o != null) {
          c.seek(tp, o.offset());
        } else {
          none.add(tp);
        }
      }
      if (!none.isEmpty()) {
        if (resetToLatest) {
          c.seekToEnd(none);
        } else {
          c.seekToBeginning(none);
        }
      }
    }

    /** The commit request for {@code positions}, limited to {@code partitions}. */
    private Map<TopicPartition, OffsetAndMetadata> offsets(Map<Integer, Long> positions, Collection<TopicPartition> partitions) {
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      for (TopicPartition tp : partitions) {
        Long offset = positions.get(tp.partition());
        if (offset != null && tp.topic().equals(topic)) {
          offsets.put(tp, new OffsetAndMetadata(offset));
        }
      }
      return offsets;
    }

    /**
     * Commits the newest finalized mark's positions (of the partitions assigned now) without waiting: the consumer
     * calls back during a later poll. A failure is logged, and the newest mark is sent again a second later.
     */
    private void commitFinalized(Consumer<byte[], byte[]> c) {
      SortedMap<Integer, Long> want = finalized;
      long now = System.currentTimeMillis();
      if (want == null || want == sent || now < nextCommitMillis) {
        return;
      }
      sent = want;
      Map<TopicPartition, OffsetAndMetadata> offsets = offsets(want, c.assignment());
      if (offsets.isEmpty()) {
        return;
      }
      c.commitAsync(offsets, (done, error) -> {
        if (error == null) {
          if (failedCommits > 0) {
            LOG.info("committing {} offsets works again after {} failed commits", topic, failedCommits);
          }
          failedCommits = 0;
          return;
        }
        if (failedCommits++ == 0) {
          LOG.warn("commit of {} offsets failed: {}; the next finalized checkpoint commits them", topic, message(error));
        } else {
          LOG.debug("commit of {} offsets failed again: {}", topic, message(error));
        }
        nextCommitMillis = System.currentTimeMillis() + COMMIT_RETRY_MILLIS;
        if (sent == want) {
          sent = null; // send the newest mark again
        }
      });
    }

    /** Commits the newest finalized positions of {@code partitions} and waits (bounded): on revocation and close. */
    private void commitNow(Consumer<byte[], byte[]> c, Collection<TopicPartition> partitions) {
      SortedMap<Integer, Long> want = finalized;
      if (want == null) {
        return;
      }
      Map<TopicPartition, OffsetAndMetadata> offsets = offsets(want, partitions);
      if (offsets.isEmpty()) {
        return;
      }
      try {
        c.commitSync(offsets, Duration.ofMillis(HEALTH_CHECK_MILLIS));
      } catch (RuntimeException e) {
        LOG.warn("commit of {} offsets failed: {}", topic, message(e));
      }
    }

    private void commitAtClose(Consumer<byte[], byte[]> c) {
      try {
        commitNow(c, c.assignment());
      } catch (RuntimeException e) {
        LOG.debug("commit at close: {}", e.toString());
      }
    }

    /**
     * Revoked partitions: their finalized positions are committed (they are safe: processed), and the buffer is
     * dropped (records not handed out yet are read again by the partitions' next owner, perhaps this feed). Assigned
     * partitions start where the readers stand, if they have read any.
     */
    private final class Rebalance implements ConsumerRebalanceListener {
      private final Consumer<byte[], byte[]> c;

      Rebalance(Consumer<byte[], byte[]> c) {
        this.c = c;
      }

      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
        if (revoked.isEmpty()) {
          return;
        }
        commitNow(c, revoked);
        onPartitionsLost(revoked);
      }

      @Override
      public void onPartitionsLost(Collection<TopicPartition> lost) {
        if (lost.isEmpty()) {
          return;
        }
        LOG.info("partitions {} of {} left this consumer; dropping the buffered records", lost, topic);
        synchronized (seekLock) {
          dropBuffered();
        }
      }

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
        Map<Integer, Long> at;
        synchronized (seekLock) {
          at = new HashMap<>(handedOut);
        }
        seek(c, assigned, at, false);
      }
    }

    /**
     * Asks the brokers for their topics (a metadata request on the wire: {@code partitionsFor} would answer from the
     * consumer's cache), with a short timeout; records the answer as the connection's
     * state. Returns false once the outage has lasted too long (the feed failed).
     */
    private boolean brokersAnswer(Consumer<byte[], byte[]> c) {
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

    @Override
    public void close() {
      super.close();
      Consumer<byte[], byte[]> c = consumer;
      if (c != null) {
        c.wakeup();
      }
    }
  }
}
