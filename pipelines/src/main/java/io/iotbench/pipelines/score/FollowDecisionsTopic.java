package io.iotbench.pipelines.score;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of the report of a run whose DoFns print elsewhere ({@link ReportPlacement}) and that publishes its
 * decisions to a Kafka topic ({@code --decisionsTopic}) without writing decision files: a plain consumer, outside any
 * group (nothing is committed), follows every partition of the topic and hands each decision to the report while the
 * run goes on, and reads up to the end offsets once more when it has ended. Partitions that existed when the run
 * started are read from their end (their records are earlier runs'); partitions that appear later (the topic created
 * by the run's first decision) from their beginning. Decisions come in each partition's order.
 */
public final class FollowDecisionsTopic implements FollowDecisions {
  private static final Logger LOG = LoggerFactory.getLogger(FollowDecisionsTopic.class);
  private static final Duration POLL = Duration.ofMillis(250);
  /** The most the last read after the run may take. */
  static final Duration FINAL_READ = Duration.ofSeconds(10);

  private final String topic;
  private final Consumer<Decision> sink;
  private final KafkaConsumer<String, String> consumer;
  private final Set<TopicPartition> assigned = new HashSet<>();
  private final Thread thread;
  private volatile boolean stop;
  private long decisions;

  /** Starts following {@code topic} at {@code bootstrapServers} with extra client properties (security settings). */
  public static FollowDecisionsTopic start(String bootstrapServers, String topic, Map<String, String> properties, Consumer<Decision> sink) {
    return new FollowDecisionsTopic(bootstrapServers, topic, properties, sink, true);
  }

  FollowDecisionsTopic(String bootstrapServers, String topic, Map<String, String> properties, Consumer<Decision> sink, boolean background) {
    this.topic = topic;
    this.sink = sink;
    Properties p = new Properties();
    p.putAll(properties);
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false"); // the run's producer creates it, not its reader
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "iotbench-follow-decisions");
    consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    synchronized (this) {
      assignNew(true);
    }
    if (background) {
      thread = new Thread(this::follow, "iotbench-follow-decisions-topic");
      thread.setDaemon(true);
      thread.start();
    } else {
      thread = null;
    }
  }

  /** Assigns the partitions not assigned yet: from their end at the start, else from their beginning. */
  private void assignNew(boolean atStart) {
    List<PartitionInfo> infos;
    try {
      infos = consumer.partitionsFor(topic, POLL);
    } catch (RuntimeException e) {
      LOG.debug("cannot list the partitions of {}: {}", topic, e.toString());
      return;
    }
    if (infos == null) {
      return;
    }
    List<TopicPartition> fresh = new ArrayList<>();
    for (PartitionInfo info : infos) {
      TopicPartition tp = new TopicPartition(info.topic(), info.partition());
      if (assigned.add(tp)) {
        fresh.add(tp);
      }
    }
    if (fresh.isEmpty()) {
      return;
    }
    consumer.assign(new ArrayList<>(assigned));
    if (atStart) {
      consumer.seekToEnd(fresh);
    } else {
      consumer.seekToBeginning(fresh);
    }
    for (TopicPartition tp : fresh) {
      consumer.position(tp); // resolves the seek now, before anything is written after it
    }
  }

  private void follow() {
    while (!stop) {
      try {
        poll();
      } catch (RuntimeException e) {
        LOG.warn("cannot follow the decisions topic {}: {}", topic, e.toString());
        try {
          Thread.sleep(POLL.toMillis());
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** Reads what is there (waiting at most one poll interval) and hands it over; returns how many decisions it read. */
  synchronized int poll() {
    assignNew(false);
    if (assigned.isEmpty()) {
      try {
        wait(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 0;
    }
    int read = 0;
    for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
      try {
        sink.accept(Decision.fromJson(r.value()));
        read++;
      } catch (RuntimeException e) {
        LOG.warn("not a decision at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
      }
    }
    decisions += read;
    return read;
  }

  /** Decisions handed over so far. */
  @Override
  public synchronized long decisions() {
    return decisions;
  }

  /** Whether every assigned partition was read up to its current end. */
  private synchronized boolean caughtUp() {
    assignNew(false);
    Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, POLL.multipliedBy(4));
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** Stops following after reading up to the end offsets (at most {@link #FINAL_READ}): the run has ended. */
  @Override
  public void close() {
    stop = true;
    if (thread != null) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    long deadline = System.nanoTime() + FINAL_READ.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        if (caughtUp()) {
          break;
        }
        poll();
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot read the rest of the decisions topic {}: {}", topic, e.toString());
    } finally {
      synchronized (this) {
        consumer.close(Duration.ofSeconds(2));
      }
    }
  }
}
