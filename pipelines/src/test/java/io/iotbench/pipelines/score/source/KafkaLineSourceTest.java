package io.iotbench.pipelines.score.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.score.EventFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.io.UnboundedSource.UnboundedReader;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Kafka source's offsets, driven deterministically through Kafka's {@link MockConsumer}: what is committed, where a
 * reader restored from a mark resumes, records read twice, commits that fail.
 */
@Timeout(60)
class KafkaLineSourceTest {
  private static final String TOPIC = "events";
  private static final RecordSettings SETTINGS = new RecordSettings(EventFormat.named("csv"), true, 1000, 60_000, 1000);
  private static final PipelineOptions OPTIONS = PipelineOptionsFactory.create();

  @AfterEach
  void closeFeeds() {
    LineFeed.closeAll();
  }

  /**
   * A topic shared by the consumers of successive feeds (as a broker would be): records per partition, the group's
   * committed offsets, and switches to make commits fail.
   */
  static final class FakeTopic {
    final List<List<String>> partitions = new ArrayList<>();
    final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();
    /** The metadata of each partition's last commit. */
    final Map<TopicPartition, String> metadata = new ConcurrentHashMap<>();
    /** Every committed offset, in order, per partition. */
    final Map<Integer, List<Long>> commitLog = new ConcurrentHashMap<>();
    final AtomicInteger failedCommits = new AtomicInteger();
    volatile boolean commitsFail;
    /** Whether consumers know their lag (a real one does after its first fetch; MockConsumer only with end offsets). */
    volatile boolean lagKnown;
    final List<FakeConsumer> consumers = new CopyOnWriteArrayList<>();

    FakeTopic(int partitions) {
      for (int p = 0; p < partitions; p++) {
        this.partitions.add(new CopyOnWriteArrayList<>());
      }
    }

    /** Appends records {@code prefix-from} .. {@code prefix-(to-1)} to partition {@code p}. */
    void append(int p, int from, int to) {
      for (int i = from; i < to; i++) {
        partitions.get(p).add("p" + p + "-" + i);
      }
    }

    Long committed(int p) {
      return committed.get(new TopicPartition(TOPIC, p));
    }

    FakeConsumer newConsumer() {
      FakeConsumer c = new FakeConsumer(this);
      consumers.add(c);
      return c;
    }

    FakeConsumer current() {
      return consumers.get(consumers.size() - 1);
    }
  }

  /**
   * A MockConsumer that serves the fake topic's records from its positions, takes all partitions on its first poll
   * (through MockConsumer's rebalance, which calls the listener), and whose commits may fail.
   */
  static final class FakeConsumer extends MockConsumer<byte[], byte[]> {
    private final FakeTopic topic;
    private final List<TopicPartition> all = new ArrayList<>();

    FakeConsumer(FakeTopic topic) {
      super(OffsetResetStrategy.EARLIEST);
      this.topic = topic;
      Map<TopicPartition, Long> beginning = new HashMap<>();
      for (int p = 0; p < topic.partitions.size(); p++) {
        TopicPartition tp = new TopicPartition(TOPIC, p);
        all.add(tp);
        beginning.put(tp, 0L);
      }
      updateBeginningOffsets(beginning);
    }

    @Override
    public synchronized void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
      super.subscribe(topics, listener);
      // The group's committed offsets (MockConsumer keeps commits made before subscribing only as 0).
      Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
      topic.committed.forEach((tp, o) -> committed.put(tp, new OffsetAndMetadata(o, topic.metadata.getOrDefault(tp, ""))));
      super.commitAsync(committed, null);
    }

    @Override
    public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
      if (assignment().isEmpty() && !subscription().isEmpty()) {
        rebalance(all);
      }
      super.poll(Duration.ZERO); // runs scheduled tasks, wake-ups, and sets the positions of new partitions
      Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> out = new HashMap<>();
      for (TopicPartition tp : assignment()) {
        List<String> records = topic.partitions.get(tp.partition());
        long position = position(tp);
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
        for (long o = position; o < records.size() && batch.size() < 3; o++) {
          batch.add(new ConsumerRecord<>(TOPIC, tp.partition(), o, null,
              records.get((int) o).getBytes(StandardCharsets.UTF_8)));
        }
        if (!batch.isEmpty()) {
          out.put(tp, batch);
          seek(tp, position + batch.size());
        }
      }
      if (out.isEmpty()) {
        try {
          wait(5); // a real poll waits for records; keeps the feed from spinning
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return new ConsumerRecords<>(out);
    }

    @Override
    public synchronized java.util.OptionalLong currentLag(TopicPartition tp) {
      return topic.lagKnown
          ? java.util.OptionalLong.of(topic.partitions.get(tp.partition()).size() - position(tp))
          : java.util.OptionalLong.empty();
    }

    @Override
    public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
      if (topic.commitsFail) {
        topic.failedCommits.incrementAndGet();
        if (callback != null) {
          callback.onComplete(offsets, new RetriableCommitFailedException("the coordinator is not available"));
        }
        return;
      }
      super.commitAsync(offsets, null);
      offsets.forEach((tp, o) -> {
        topic.committed.put(tp, o.offset());
        topic.metadata.put(tp, o.metadata());
        topic.commitLog.computeIfAbsent(tp.partition(), k -> new CopyOnWriteArrayList<>()).add(o.offset());
      });
      if (callback != null) {
        callback.onComplete(offsets, null);
      }
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
      if (topic.commitsFail) {
        topic.failedCommits.incrementAndGet();
        throw new org.apache.kafka.common.errors.TimeoutException("the coordinator is not available");
      }
      commitAsync(offsets, null);
    }
  }

  /** Our Kafka source over the fake topic: the real feed and reader, a mock consumer. */
  static final class FakeKafkaSource extends LiveLineSource {
    private static final long serialVersionUID = 1L;
    private final transient FakeTopic topic;
    private final int commitLag;

    FakeKafkaSource(FakeTopic topic) {
      this(topic, 0);
    }

    FakeKafkaSource(FakeTopic topic, int commitLag) {
      this(topic, commitLag, SETTINGS);
    }

    FakeKafkaSource(FakeTopic topic, int commitLag, RecordSettings settings) {
      super(settings, 60_000);
      this.topic = topic;
      this.commitLag = commitLag;
    }

    @Override
    protected LineFeed createFeed() {
      return new KafkaLineSource.KafkaFeed("fake", TOPIC, topic::newConsumer, false, 1000, 60_000, commitLag);
    }
  }

  /** What a reader handed out: records, and the duplicates its notes reported. */
  static final class Read {
    final List<String> records = new ArrayList<>();
    long duplicates;
    long suspected;

    void add(String element) {
      int start = 0;
      if (element.startsWith("\n")) {
        int end = element.indexOf('\n', 1);
        end = end < 0 ? element.length() : end;
        duplicates += LiveLineSource.duplicatesNoted(element.substring(1, end));
        suspected += LiveLineSource.suspectedNoted(element.substring(1, end));
        start = end + 1;
      }
      if (start < element.length()) {
        for (String r : element.substring(start).split("\n")) {
          if (!r.isEmpty()) {
            records.add(r);
          }
        }
      }
    }
  }

  /** Starts {@code reader} and reads until {@code count} records came (10 s at most), then 300 ms more. */
  private static Read start(UnboundedReader<String> reader, int count) throws IOException {
    Read read = new Read();
    if (reader.start()) {
      read.add(reader.getCurrent());
    }
    return more(reader, read, count);
  }

  private static Read more(UnboundedReader<String> reader, Read read, int count) throws IOException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (read.records.size() < count && System.currentTimeMillis() < deadline) {
      if (reader.advance()) {
        read.add(reader.getCurrent());
      }
    }
    long extra = System.currentTimeMillis() + 300;
    while (System.currentTimeMillis() < extra) {
      if (reader.advance()) {
        read.add(reader.getCurrent());
      }
    }
    return read;
  }

  private static List<String> names(int p, int from, int to) {
    List<String> names = new ArrayList<>();
    for (int i = from; i < to; i++) {
      names.add("p" + p + "-" + i);
    }
    return names;
  }

  private static CountMark mark(UnboundedReader<String> reader) {
    return (CountMark) reader.getCheckpointMark();
  }

  /** Waits up to 5 s for partition {@code p}'s committed offset to become {@code expected}. */
  private static void awaitCommitted(FakeTopic topic, int p, long expected) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5_000;
    while (!Long.valueOf(expected).equals(topic.committed(p)) && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(expected, topic.committed(p), "committed offset of partition " + p);
  }

  @Test
  void anOldReadersCheckpointFinalizedOnARecreatedFeedCommitsOnlyWhatThatReaderHandedOut() throws Exception {
    FakeTopic topic = new FakeTopic(1);
    topic.append(0, 0, 4);
    FakeKafkaSource source = new FakeKafkaSource(topic);
    UnboundedReader<String> old = source.createReader(OPTIONS, null);
    assertEquals(names(0, 0, 4), start(old, 4).records);
    CountMark oldMark = mark(old);
    assertEquals(Map.of(0, 4L), oldMark.positions());
    assertEquals(4, oldMark.records());

    // The feed goes (no reader for 30 s, or it died); a new one starts for a reader restored from the old mark, and
    // polls and hands out records beyond it before the old mark is finalized.
    LineFeed.closeAll();
    topic.append(0, 4, 10);
    UnboundedReader<String> next = source.createReader(OPTIONS, oldMark);
    Read read = start(next, 6);
    assertEquals(names(0, 4, 10), read.records, "resumes at the mark: nothing lost, nothing twice");
    assertEquals(0, read.duplicates);

    oldMark.finalizeCheckpoint();
    awaitCommitted(topic, 0, 4);
    Thread.sleep(300);
    assertEquals(List.of(4L), topic.commitLog.get(0), "never beyond what the old reader handed out");

    CountMark nextMark = mark(next);
    assertEquals(Map.of(0, 10L), nextMark.positions());
    assertEquals(10, nextMark.records());
    nextMark.finalizeCheckpoint();
    awaitCommitted(topic, 0, 10);
  }

  /** Reads {@code to - from} new records of partition 0 with {@code reader} and finalizes its mark. */
  private static void readAndFinalize(FakeTopic topic, UnboundedReader<String> reader, int from, int to, boolean first)
      throws IOException {
    topic.append(0, from, to);
    Read read = first ? start(reader, to - from) : more(reader, new Read(), to - from);
    assertEquals(names(0, from, to), read.records);
    assertEquals(0, read.suspected);
    mark(reader).finalizeCheckpoint();
  }

  /** A new reader of {@code source} that reads p0-0 .. p0-2 and p0-3 .. p0-5, finalizing its mark after each. */
  private static UnboundedReader<String> readTwice(FakeTopic topic, FakeKafkaSource source) throws IOException {
    UnboundedReader<String> reader = source.createReader(OPTIONS, null);
    readAndFinalize(topic, reader, 0, 3, true);
    readAndFinalize(topic, reader, 3, 6, false);
    return reader;
  }

  @Test
  void withACommitLagTheCommitsStayBehindTheReadsAndARestartCountsWhatItReadsAgainAsSuspected() throws Exception {
    FakeTopic topic = new FakeTopic(1);
    FakeKafkaSource source = new FakeKafkaSource(topic, 2);
    UnboundedReader<String> reader = readTwice(topic, source);
    Thread.sleep(300);
    assertNull(topic.committed(0), "two finalized marks are held back");
    readAndFinalize(topic, reader, 6, 9, false);
    awaitCommitted(topic, 0, 3);
    assertEquals("handedOut=9", topic.metadata.get(new TopicPartition(TOPIC, 0)));

    // A crash: the feed dies with its run (its close commits only what was due), and a restarted run's reader has
    // no mark (Spark recomputes the pending batches from the start of their lineage).
    LineFeed.closeAll();
    assertEquals(3L, topic.committed(0));
    UnboundedReader<String> restarted = source.createReader(OPTIONS, null);
    Read read = start(restarted, 6);
    assertEquals(names(0, 3, 9), read.records, "the records after the commit come again: nothing lost");
    assertEquals(6, read.suspected, "and are counted as suspected duplicates");
    assertEquals(0, read.duplicates);
    topic.append(0, 9, 11);
    Read more = more(restarted, new Read(), 2);
    assertEquals(names(0, 9, 11), more.records);
    assertEquals(0, more.suspected, "records the earlier run never handed out are no suspects");
  }

  @Test
  void withACommitLagARestartedReadersMarkIsNotFollowedAheadOfTheCommit() throws Exception {
    FakeTopic topic = new FakeTopic(1);
    FakeKafkaSource source = new FakeKafkaSource(topic, 1);
    UnboundedReader<String> reader = readTwice(topic, source);
    awaitCommitted(topic, 0, 3);
    CountMark taken = mark(reader);
    assertEquals(LineFeed.JVM, taken.origin());
    // As the restarted JVM gets it from the checkpoint: taken by a reader of another JVM.
    CountMark checkpointed = CoderUtils.clone(new CountMark.Coder(),
        new CountMark(taken.records(), "restored", taken.positions(), "the-killed-jvm"));
    topic.append(0, 6, 8);
    more(reader, new Read(), 2); // handed out after the checkpoint, then the crash
    LineFeed.closeAll();
    // The feed's last commit (at its close) names what its readers had handed out.
    long deadline = System.currentTimeMillis() + 5_000;
    while (!"handedOut=8".equals(topic.metadata.get(new TopicPartition(TOPIC, 0))) && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }

    // The restarted run restores the mark at 6, but the state it restores may be older: read from the commit at 3.
    UnboundedReader<String> restarted = source.createReader(OPTIONS, checkpointed);
    Read read = start(restarted, 5);
    assertEquals(names(0, 3, 8), read.records, "duplicates " + read.duplicates + " suspected " + read.suspected + " committed " + topic.commitLog);
    assertEquals(5, read.suspected, "p0-3 .. p0-7: below the mark or handed out before the crash");
    assertEquals(0, read.duplicates);

    // Later, a second reader gets the same restored mark (the runner's reader cache expired): the feed reads on where
    // its readers stand, and does not jump back or ahead.
    topic.append(0, 8, 10);
    UnboundedReader<String> again = source.createReader(OPTIONS, checkpointed);
    Read next = start(again, 2);
    assertEquals(names(0, 8, 10), next.records);
    assertEquals(0, next.duplicates + next.suspected);
  }

  @Test
  void aDrainedRunCommitsEverythingItHandedOutWhenItsFeedsClose() throws Exception {
    FakeTopic topic = new FakeTopic(1);
    FakeKafkaSource source = new FakeKafkaSource(topic, 5);
    UnboundedReader<String> reader = source.createReader(OPTIONS, null);
    readAndFinalize(topic, reader, 0, 4, true);
    readAndFinalize(topic, reader, 4, 7, false);
    LineFeed.runDrained();
    LineFeed.closeAll();
    awaitCommitted(topic, 0, 7);
    assertEquals("", topic.metadata.get(new TopicPartition(TOPIC, 0)), "nothing handed out beyond the commit");
  }

  @Test
  void aReaderRestoredFromAMarkResumesAtItsPositionsAndElsewhereAtTheCommittedOffsets() throws Exception {
    FakeTopic topic = new FakeTopic(2);
    topic.append(0, 0, 10);
    topic.append(1, 0, 5);
    topic.committed.put(new TopicPartition(TOPIC, 0), 2L); // the group committed less than the checkpoint holds
    topic.committed.put(new TopicPartition(TOPIC, 1), 2L);
    FakeKafkaSource source = new FakeKafkaSource(topic);
    // A restart: the mark comes from a runner's checkpoint through its coder, and no feed exists yet.
    CountMark restored = CoderUtils.clone(new CountMark.Coder(), new CountMark(6, "elsewhere", Map.of(0, 6L)));
    UnboundedReader<String> reader = source.createReader(OPTIONS, restored);
    Read read = start(reader, 7);
    List<String> expected = new ArrayList<>(names(0, 6, 10));
    expected.addAll(names(1, 2, 5));
    assertEquals(expected.stream().sorted().toList(), read.records.stream().sorted().toList());
    assertEquals(0, read.duplicates);
    assertEquals(Map.of(0, 10L, 1, 5L), mark(reader).positions());
    assertEquals(13, mark(reader).records());
    assertTrue(topic.commitLog.isEmpty(), "nothing committed before a mark is finalized: " + topic.commitLog);
  }

  @Test
  void recordsReadAgainBelowTheReadersPositionsAreDroppedAndCounted() throws Exception {
    FakeTopic topic = new FakeTopic(1);
    topic.append(0, 0, 6);
    FakeKafkaSource source = new FakeKafkaSource(topic);
    UnboundedReader<String> reader = source.createReader(OPTIONS, null);
    Read read = start(reader, 6);
    assertEquals(names(0, 0, 6), read.records);
    // The consumer goes back (as after a rebalance that missed the readers' position) and more records arrive.
    FakeConsumer consumer = topic.current();
    consumer.schedulePollTask(() -> consumer.seek(new TopicPartition(TOPIC, 0), 2));
    topic.append(0, 6, 9);
    Read again = more(reader, new Read(), 3);
    assertEquals(names(0, 6, 9), again.records);
    assertEquals(4, again.duplicates, "p0-2 .. p0-5 came twice");
    assertEquals(Map.of(0, 9L), mark(reader).positions());
    assertEquals(9, mark(reader).records());
  }

  @Test
  void aRebalanceDropsTheBufferAndReadsOnFromTheReadersPositions() throws Exception {
    FakeTopic topic = new FakeTopic(2);
    topic.append(0, 0, 3);
    topic.append(1, 0, 3);
    FakeKafkaSource source = new FakeKafkaSource(topic);
    UnboundedReader<String> reader = source.createReader(OPTIONS, null);
    Read read = start(reader, 6);
    CountMark first = mark(reader);
    first.finalizeCheckpoint();
    awaitCommitted(topic, 1, 3);
    // Partition 1 goes to another member and comes back; meanwhile more records arrive in both.
    FakeConsumer consumer = topic.current();
    TopicPartition p0 = new TopicPartition(TOPIC, 0);
    TopicPartition p1 = new TopicPartition(TOPIC, 1);
    consumer.schedulePollTask(() -> consumer.rebalance(List.of(p0)));
    consumer.schedulePollTask(() -> consumer.rebalance(List.of(p0, p1)));
    topic.append(0, 3, 8);
    topic.append(1, 3, 8);
    more(reader, read, 16);
    List<String> expected = new ArrayList<>(names(0, 0, 8));
    expected.addAll(names(1, 0, 8));
    assertEquals(expected.stream().sorted().toList(), read.records.stream().sorted().toList(), "each record once");
    assertEquals(Map.of(0, 8L, 1, 8L), mark(reader).positions());
  }

  @Test
  void failingCommitsNeitherBlockPollingNorGetLost() throws Exception {
    FakeTopic topic = new FakeTopic(1);
    topic.commitsFail = true;
    topic.append(0, 0, 4);
    FakeKafkaSource source = new FakeKafkaSource(topic);
    UnboundedReader<String> reader = source.createReader(OPTIONS, null);
    Read read = start(reader, 4);
    mark(reader).finalizeCheckpoint();
    long deadline = System.currentTimeMillis() + 5_000;
    while (topic.failedCommits.get() == 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(topic.failedCommits.get() > 0, "a commit was tried");
    long before = System.currentTimeMillis();
    topic.append(0, 4, 8);
    more(reader, read, 8);
    assertEquals(names(0, 0, 8), read.records);
    assertNull(topic.committed(0));
    mark(reader).finalizeCheckpoint();
    Thread.sleep(1_500); // past the retry delay: commits keep failing, polling goes on
    topic.append(0, 8, 10);
    long polled = System.currentTimeMillis();
    more(reader, read, 10);
    assertEquals(names(0, 0, 10), read.records);
    assertTrue(System.currentTimeMillis() - polled < 2_000, "records kept coming while commits failed");
    assertTrue(topic.failedCommits.get() >= 2, "the commit was tried again: " + topic.failedCommits.get());
    assertFalse(System.currentTimeMillis() - before > 20_000);

    topic.commitsFail = false; // the brokers are back: the newest finalized mark is committed
    awaitCommitted(topic, 0, 8);
  }

  /** Polls {@code reader} (as a runner would, heartbeats included) until its watermark leaves the start of time. */
  private static org.joda.time.Instant watermarkAfterPolling(UnboundedReader<String> reader, long millis) throws Exception {
    org.joda.time.Instant min = org.apache.beam.sdk.transforms.windowing.BoundedWindow.TIMESTAMP_MIN_VALUE;
    long deadline = System.currentTimeMillis() + millis;
    org.joda.time.Instant w = reader.getWatermark();
    while (w.equals(min) && System.currentTimeMillis() < deadline) {
      reader.advance();
      w = reader.getWatermark();
      Thread.sleep(5);
    }
    return w;
  }

  /**
   * A reader that never gets a record (an empty topic: one device keys everything to another partition, or the topic is
   * created later) follows the wall clock once its consumer is known to be caught up, so it holds no window back.
   */
  @Test
  void aReaderOfAnEmptyTopicFollowsTheWallClockOnceCaughtUp() throws Exception {
    RecordSettings eventTime = new RecordSettings(EventFormat.named("csv"), false, 1000, 60_000, 1000);
    FakeTopic unknownLag = new FakeTopic(2);
    UnboundedReader<String> blind = new FakeKafkaSource(unknownLag, 0, eventTime).createReader(OPTIONS, null);
    blind.start();
    assertEquals(org.apache.beam.sdk.transforms.windowing.BoundedWindow.TIMESTAMP_MIN_VALUE, watermarkAfterPolling(blind, 500),
        "lag unknown: records may still be waiting");
    LineFeed.closeAll();

    FakeTopic empty = new FakeTopic(2);
    empty.lagKnown = true;
    UnboundedReader<String> reader = new FakeKafkaSource(empty, 0, eventTime).createReader(OPTIONS, null);
    long before = System.currentTimeMillis();
    reader.start();
    long w = watermarkAfterPolling(reader, 10_000).getMillis();
    long after = System.currentTimeMillis();
    assertTrue(w >= before - 1000 && w <= after - 1000, "caught up: the wall clock less 1 s, got " + (w - before));
  }
}
