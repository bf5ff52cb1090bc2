package io.iotbench.pipelines.score.source;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
 * offsets the reader handed out; a reader restored from one resumes exactly there (see {@link KafkaFeed}). On a
 * runner that finalizes a mark before the records' effects are durable (Beam's SparkRunner finalizes at the end of
 * each micro-batch's read, and checkpoints state only every few batches), the source holds its commits back by a
 * number of finalized marks ({@code commitLag}), so that the committed offsets stay behind the last state checkpoint.
 *
 * <p>One consumer per source and JVM (one split), subscribed with the group, so partitions are shared with other
 * members of the group. {@code --kafkaSource=kafkaio} keeps Beam's KafkaIO (a split per partition).
 */
public final class KafkaLineSource extends LiveLineSource {
  private static final long serialVersionUID = 1L;

  private final String bootstrapServers;
  private final String topic;
  private final HashMap<String, String> properties;
  private final int commitLag;

  /**
   * @param properties consumer properties (group id, offset reset, security ...) on top of this source's own
   */
  public KafkaLineSource(String bootstrapServers, String topic, Map<String, String> properties,
      RecordSettings settings, long outageLimitMillis) {
    this(bootstrapServers, topic, properties, settings, outageLimitMillis, 0);
  }

  /**
   * @param commitLag how many finalized checkpoint marks the offsets commit stays behind: 0 commits a mark's
   *     positions as soon as the runner finalizes it
   */
  public KafkaLineSource(String bootstrapServers, String topic, Map<String, String> properties,
      RecordSettings settings, long outageLimitMillis, int commitLag) {
    super(settings, outageLimitMillis);
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.properties = new HashMap<>(properties);
    this.commitLag = commitLag;
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
    return new KafkaFeed(bootstrapServers, topic, config, settings().maxRecordBytes(), outageLimitMillis(), commitLag);
  }

  /**
   * Polls the topic; while polls return nothing it asks the brokers for the topic's partitions every
   * {@value #HEALTH_CHECK_MILLIS} ms (waiting at most as long): the consumer itself reconnects silently, so this is
   * how a broker outage is noticed. An outage longer than the limit fails the feed; so does a Kafka error the
   * consumer cannot recover from (authorization, a deleted topic's metadata errors surface as such). A poll that
   * returned nothing, with the buffer empty and no lag on any assigned partition (or a topic that does not exist yet),
   * tells the feed's clock that it is caught up ({@link EventClock#caughtUp}): a reader that never got a record
   * then follows the wall clock instead of holding every window back.
   *
   * <p>Offsets follow the readers, not the fetches. Each record is buffered with its partition, offset and the feed's
   * seek epoch. A finalized mark's positions (what one reader handed out, processed by the runner) are committed as
   * they are, with {@code commitAsync} from the feed's thread: a failed commit is logged and the next finalized mark
   * (or a retry a second later) carries it on, so commits never hold up polling. When the feed's fetch positions and
   * the readers' positions part — a reader starts from a mark that is not where the feed's readers stand (a new feed,
   * a restart from a runner's checkpoint, a runner that replays a batch), or partitions are revoked — the feed drops
   * what it buffered, moves to a new epoch (a record of an older epoch is dropped by the reader that polls it) and
   * seeks every assigned partition to the readers' position, or to the group's committed offset for a partition they
   * have none of. A partition assigned later starts at the readers' position too, if they have one, else at the
   * group's committed offset.
   *
   * <p>With a commit lag of n, the positions committed are those of the mark finalized n marks before the newest
   * (at the end of a drained run, the newest: everything handed out is in written output). Each commit carries, as
   * its metadata, where the readers stood then ({@code handedOut=offset}): a later feed that starts from that commit
   * (a restart) hands the records between the two out again and counts them as suspected duplicates.
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
    private final int commitLag;
    /** The positions of the finalized marks not yet due for a commit, oldest first (guarded by itself). */
    private final ArrayDeque<SortedMap<Integer, Long>> held = new ArrayDeque<>();
    /** The positions due for a commit: of the mark finalized {@link #commitLag} marks before the newest. */
    private volatile SortedMap<Integer, Long> finalized;
    /** The positions of the newest finalized mark. */
    private volatile SortedMap<Integer, Long> newest;
    /** Partition -> the offset an earlier run's readers had handed out when the commit this feed started from was made. */
    private final Map<Integer, Long> suspectBelow = new ConcurrentHashMap<>();
    // The feed thread's own: the epoch the fetch positions belong to, and the commits.
    private int fetchEpoch;
    private SortedMap<Integer, Long> sent;
    private long nextCommitMillis;
    private int failedCommits;
    private volatile Consumer<byte[], byte[]> consumer;

    KafkaFeed(String bootstrapServers, String topic, Map<String, Object> config, int maxRecordBytes, long outageLimitMillis,
        int commitLag) {
      this(bootstrapServers, topic, () -> new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
          "latest".equals(String.valueOf(config.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG))), maxRecordBytes,
          outageLimitMillis, commitLag);
    }

    /** A feed reading with the consumers {@code consumers} makes (one per run of the feed; tests pass a mock). */
    KafkaFeed(String bootstrapServers, String topic, Supplier<Consumer<byte[], byte[]>> consumers, boolean resetToLatest,
        int maxRecordBytes, long outageLimitMillis) {
      this(bootstrapServers, topic, consumers, resetToLatest, maxRecordBytes, outageLimitMillis, 0);
    }

    /** The same, committing {@code commitLag} finalized marks behind the newest. */
    KafkaFeed(String bootstrapServers, String topic, Supplier<Consumer<byte[], byte[]>> consumers, boolean resetToLatest,
        int maxRecordBytes, long outageLimitMillis, int commitLag) {
      super(outageLimitMillis);
      this.commitLag = commitLag;
      this.bootstrapServers = bootstrapServers;
      this.maxRecordBytes = maxRecordBytes;
      this.topic = topic;
      this.consumers = consumers;
      this.resetToLatest = resetToLatest;
    }

    @Override
    protected void onFinalized(CountMark mark) {
      if (mark.positions().isEmpty()) {
        return;
      }
      synchronized (held) {
        newest = mark.positions();
        held.addLast(mark.positions());
        while (held.size() > commitLag) {
          finalized = held.removeFirst();
        }
      }
    }

    /**
     * Whether to decline {@code mark}: with a commit lag, a mark another JVM took is not followed. On a restart, Beam
     * 2.62's SparkRunner hands readers marks restored from the source's checkpoint, which Spark writes when it
     * generates a batch: they can be ahead of the windows' and devices' state it restores (checkpointed when a batch
     * has run), and following one would skip the records in between. The feed goes on where its readers stand
     * instead (a feed just started: at the group's committed offsets), and counts the records up to the mark's
     * positions as suspected duplicates. A source task that moves to another executor of a cluster reads again from
     * there the same way.
     */
    private boolean declines(CountMark mark) {
      if (commitLag == 0 || mark.positions().isEmpty() || mark.origin().equals(JVM)) {
        return false;
      }
      mark.positions().forEach((p, o) -> suspectBelow.merge(p, o, Math::max));
      LOG.info("a reader of {} comes with a mark of another JVM ({}): reading on from {} instead", topic,
          mark.positions(), handedOut.isEmpty() ? "the committed offsets" : handedOut);
      return true;
    }

    @Override
    boolean suspect(Placed record) {
      Long below = suspectBelow.get(record.partition());
      return below != null && record.offset() < below;
    }

    @Override
    Map<Integer, Long> resume(CountMark mark) {
      synchronized (seekLock) {
        if (declines(mark)) {
          return new HashMap<>(handedOut);
        }
        if (mark.positions().equals(handedOut)) {
          return mark.positions(); // the reader goes on where the feed's readers stand
        }
        LOG.info("a reader of {} starts at {}, the feed's readers stood at {}: seeking", topic, mark.positions(),
            handedOut);
        handedOut = new HashMap<>(mark.positions());
        dropBuffered();
        return mark.positions();
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
          long pollStart = System.currentTimeMillis();
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
          if (batch.isEmpty() && queue.isEmpty() && caughtUpOnEveryPartition(c, stamp)) {
            caughtUp(pollStart);
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

    /**
     * Whether the consumer stands at the end of every partition assigned to it (by the last fetch's end offsets), with
     * no seek pending: nothing it reads from now on was in the partitions before.
     */
    private boolean caughtUpOnEveryPartition(Consumer<byte[], byte[]> c, int stamp) {
      synchronized (seekLock) {
        if (reseek || stamp != epoch) {
          return false;
        }
      }
      Set<TopicPartition> assigned = c.assignment();
      if (assigned.isEmpty()) {
        return false;
      }
      for (TopicPartition tp : assigned) {
        java.util.OptionalLong lag = c.currentLag(tp);
        if (lag.isEmpty() || lag.getAsLong() != 0) {
          return false;
        }
      }
      return true;
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
          long ahead = handedOutIn(o.metadata());
          if (ahead > o.offset()) {
            suspectBelow.merge(tp.partition(), ahead, Math::max);
            LOG.info("{} resumes at the committed offset {}; records below {} may have been counted before", tp,
                o.offset(), ahead);
          }
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

    /** A commit's metadata: where the readers stood when it was made. */
    static final String HANDED_OUT = "handedOut=";

    /** The offset a commit's metadata names (see {@link #HANDED_OUT}), or -1. */
    static long handedOutIn(String metadata) {
      if (metadata == null || !metadata.startsWith(HANDED_OUT)) {
        return -1;
      }
      try {
        return Long.parseLong(metadata.substring(HANDED_OUT.length()));
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    /**
     * The commit request for {@code positions}, limited to {@code partitions}, each with where the readers stand now
     * in its metadata.
     */
    private Map<TopicPartition, OffsetAndMetadata> offsets(Map<Integer, Long> positions, Collection<TopicPartition> partitions) {
      Map<Integer, Long> ahead;
      synchronized (seekLock) {
        ahead = new HashMap<>(handedOut);
      }
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      for (TopicPartition tp : partitions) {
        Long offset = positions.get(tp.partition());
        if (offset != null && tp.topic().equals(topic)) {
          long at = Math.max(offset, ahead.getOrDefault(tp.partition(), offset));
          offsets.put(tp, new OffsetAndMetadata(offset, at > offset ? HANDED_OUT + at : ""));
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

    /**
     * Commits the positions due of {@code partitions} (with {@code all}, the newest finalized ones) and waits
     * (bounded): on revocation and close.
     */
    private void commitNow(Consumer<byte[], byte[]> c, Collection<TopicPartition> partitions, boolean all) {
      SortedMap<Integer, Long> want = all ? newest : finalized;
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
        commitNow(c, c.assignment(), closedDrained());
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
        commitNow(c, revoked, false);
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
        try {
          seek(c, assigned, at, true);
        } catch (org.apache.kafka.common.errors.TimeoutException timeout) {
          // The group's offsets did not come in time: drop what was buffered and seek again (noting the suspects)
          // before the next poll, as after a lost partition.
          LOG.warn("cannot read the committed offsets of {}: {}; trying again", topic, message(timeout));
          synchronized (seekLock) {
            dropBuffered();
          }
        }
      }
    }

    /**
     * Asks the brokers for their topics (a metadata request on the wire: {@code partitionsFor} would answer from the
     * consumer's cache), with a short timeout; records the answer as the connection's
     * state. Returns false once the outage has lasted too long (the feed failed).
     */
    private boolean brokersAnswer(Consumer<byte[], byte[]> c) {
      long asked = System.currentTimeMillis();
      try {
        Map<String, ?> topics = c.listTopics(Duration.ofMillis(HEALTH_CHECK_MILLIS));
        connectionUp();
        if (!topics.containsKey(topic) && c.assignment().isEmpty() && queue.isEmpty()) {
          caughtUp(asked); // no such topic yet: whatever it will hold is appended after now
        }
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
