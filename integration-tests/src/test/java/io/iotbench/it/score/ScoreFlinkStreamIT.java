package io.iotbench.it.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.it.harness.Iotbench;
import io.iotbench.it.harness.KafkaServer;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.score.Decision;
import io.iotbench.pipelines.score.DecisionsTopic;
import io.iotbench.pipelines.score.ScoreSensorStream;
import io.iotbench.simulator.Clock;
import io.iotbench.simulator.Simulate;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scorer unbounded on the FlinkRunner (embedded mini cluster, {@code --preset=flink}) from Kafka, as a new user
 * runs it: the scorer starts first, on a topic that does not exist yet; the topic is created once the scorer's consumer
 * has joined its group, with 2 partitions, and one device sends to it live (so every record goes to one partition and
 * the other stays empty). Its decisions must come soon after their window's end (no watermark held back by the empty
 * partition or the late topic: the broker's append time of each published decision is compared with its window's
 * end), the run must end by itself at {@code --maxRuntime} with exit code 0, and its decisions must be the
 * DirectRunner's on the same input (the same topic, read again from its start with the same interval origin).
 */
class ScoreFlinkStreamIT {
  private static final Logger LOG = LoggerFactory.getLogger(ScoreFlinkStreamIT.class);
  private static final int SENSORS = 100;
  private static final int RATE = 2000;
  private static final int EVENTS = 24_000;
  /** Out-of-orderness of both runs: what the scorer waits after a window's end before it decides. */
  private static final double OUT_OF_ORDERNESS = 1.0;
  /**
   * The most the first decision may come after its window's end: the out-of-orderness, the time the scorer's consumer
   * takes to learn of the topic created after it subscribed and to get its partitions (the first records wait in the
   * topic meanwhile), and machine slack. Measured 3.6, 4.2 and 6.2 s here on a loaded 2-core machine.
   */
  private static final Duration FIRST_BOUND = Duration.ofSeconds(10);
  /**
   * The most any decision may come after its window's end. Generous: on a loaded 2-core machine a pause of several
   * seconds happens; a held watermark holds decisions for as long as its cause lasts (about 50 s when it was seen, or
   * to the end of the run for a partition that never gets a record).
   */
  private static final Duration STALL_BOUND = Duration.ofSeconds(15);

  @RegisterExtension static final KafkaServer KAFKA = new KafkaServer();

  @TempDir Path temp;

  @Test
  void decidesInTimeEndsAtMaxRuntimeAndAgreesWithTheDirectRunner() throws Exception {
    Path model = ScoreStreamIT.writeModel(temp.resolve("model"));
    String topic = "flink-events";
    String decisionsTopic = topic + "-decisions";
    createDecisionsTopic(decisionsTopic);
    // Both runs number intervals from this origin, so their decisions can be compared interval by interval.
    Instant origin = Instant.ofEpochSecond(Instant.now().getEpochSecond());
    List<String> flinkArgs = new ArrayList<>(List.of("score", "--preset=flink", "--streaming=true",
        "--source=kafka", "--kafkaSource=chunked", "--topic=" + topic, "--groupId=" + topic,
        // Not created by the scorer's own consumer (with the broker's default of 1 partition): created below.
        "--kafkaProperty=allow.auto.create.topics=false",
        "--decisionsTopic=" + decisionsTopic, "--stopOnSentinel=false", "--maxRuntime=80"));
    flinkArgs.addAll(common(model, origin));
    long started = System.nanoTime();
    int status;
    try (Iotbench.Running flink = Iotbench.start(flinkArgs.toArray(new String[0]))) {
      awaitGroupMember(topic, Duration.ofSeconds(75), flink);
      long joined = System.nanoTime();
      KAFKA.createTopic(topic, 2);
      simulate("--sink=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topic=" + topic,
          "--rate=" + RATE, "--total=" + EVENTS, "--sensors=" + SENSORS, "--devices=1");
      long sent = System.nanoTime();
      LOG.warn("FLINK-IT reader ready after {} s, stream sent in {} s", (joined - started) / 1_000_000_000.0,
          (sent - joined) / 1_000_000_000.0);
      assertTrue(flink.process().waitFor(150, TimeUnit.SECONDS), "the run did not end at --maxRuntime");
      status = flink.process().exitValue();
      assertEquals(0, status, "exit code; stderr " + flink.stderr());
      LOG.warn("FLINK-IT ended after {} s: {}", (System.nanoTime() - started) / 1_000_000_000.0,
          flink.lines().subList(Math.max(0, flink.lines().size() - 2), flink.lines().size()));
    }
    List<Integer> partitions = KAFKA.readAll(topic, EVENTS + 1, Duration.ofSeconds(30)).stream()
        .map(r -> r.partition()).distinct().toList();
    assertEquals(1, partitions.size(), "one device: every record in one partition, the other one empty");

    List<DecisionsTopic.Published> published =
        DecisionsTopic.readAll(KAFKA.bootstrapServers(), decisionsTopic, Duration.ofSeconds(1), Duration.ofSeconds(30));
    assertFalse(published.isEmpty(), "no decision published");
    List<Long> latencies = new ArrayList<>();
    for (DecisionsTopic.Published p : published) {
      latencies.add(p.timestampMillis() - p.decision().windowEndMillis());
    }
    LOG.warn("FLINK-IT decision latencies (ms after the window's end): {}", latencies);
    DecisionsTopic.Published first = published.get(0);
    long firstLatency = first.timestampMillis() - first.decision().windowEndMillis();
    assertTrue(firstLatency <= FIRST_BOUND.toMillis(),
        "first decision (interval " + first.decision().interval() + ") " + firstLatency + " ms after its window's end");
    assertTrue(latencies.stream().allMatch(l -> l <= STALL_BOUND.toMillis()), "a decision was held back: " + latencies);

    Map<String, String> direct = decided(directRun(model, origin, topic));
    assertEquals(direct, decided(published), "FlinkRunner's decisions against the DirectRunner's");
  }

  /**
   * KafkaIO splits its source into the partitions the topic has when the job starts, and its job fails without any:
   * the scorer refuses a topic that does not exist yet before it starts, with one line naming the option.
   */
  @Test
  void kafkaIoRefusesATopicThatDoesNotExistYet() throws Exception {
    Path model = ScoreStreamIT.writeModel(temp.resolve("model"));
    List<String> args = new ArrayList<>(List.of("--runner=DirectRunner", "--source=kafka", "--kafkaSource=kafkaio",
        "--topic=not-created-yet", "--maxRuntime=30"));
    args.addAll(common(model, Instant.now()));
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Cli.execute("score", args.toArray(new String[0]), ScoreSensorStream.Options.class,
          o -> ScoreSensorStream.exitCode(ScoreSensorStream.run(o)));
    } finally {
      System.setErr(oldErr);
    }
    String text = err.toString(StandardCharsets.UTF_8);
    assertEquals(Cli.EXIT_USAGE, code, text);
    assertTrue(text.contains("--topic=not-created-yet: does not exist on " + KAFKA.bootstrapServers()), text);
    assertTrue(text.contains("--kafkaSource=chunked"), text);
  }

  private List<String> common(Path model, Instant origin) {
    return List.of("--bootstrapServers=" + KAFKA.bootstrapServers(), "--model=" + model, "--sensors=" + SENSORS,
        "--interval=1", "--maxOutOfOrderness=" + OUT_OF_ORDERNESS, "--origin=" + origin, "--ticks=false");
  }

  /** The DirectRunner on the same topic from its start (a new group), until the sentinel; its published decisions. */
  private List<DecisionsTopic.Published> directRun(Path model, Instant origin, String topic) throws Exception {
    String decisionsTopic = topic + "-direct-decisions";
    createDecisionsTopic(decisionsTopic);
    List<String> args = new ArrayList<>(List.of("--runner=DirectRunner", "--source=kafka", "--topic=" + topic,
        "--groupId=" + topic + "-direct", "--decisionsTopic=" + decisionsTopic, "--maxRuntime=100"));
    args.addAll(common(model, origin));
    PrintStream oldOut = System.out;
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    int code;
    try {
      code = Cli.execute("score", args.toArray(new String[0]), ScoreSensorStream.Options.class,
          o -> ScoreSensorStream.exitCode(ScoreSensorStream.run(o)));
    } finally {
      System.setOut(oldOut);
    }
    assertEquals(0, code);
    return DecisionsTopic.readAll(KAFKA.bootstrapServers(), decisionsTopic, Duration.ofSeconds(1), Duration.ofSeconds(30));
  }

  /** The newest decision per (device, interval) as "decision events". */
  private static Map<String, String> decided(List<DecisionsTopic.Published> published) {
    Map<String, String> m = new TreeMap<>();
    for (DecisionsTopic.Published p : published) {
      Decision d = p.decision();
      m.put(d.device() + "/" + d.interval(), (d.attention() ? "attention" : "ok") + " " + d.events());
    }
    return m;
  }

  /** A decisions topic whose records carry the broker's append time: when each decision was published. */
  private static void createDecisionsTopic(String topic) throws Exception {
    try (Admin admin = KAFKA.admin()) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
          .configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")))).all().get();
    }
  }

  /** Waits until the scorer's consumer has joined group {@code group}: its reader runs and reads from now on. */
  private static void awaitGroupMember(String group, Duration timeout, Iotbench.Running scorer) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = KAFKA.admin()) {
      while (System.nanoTime() < deadline) {
        if (!scorer.process().isAlive()) {
          throw new AssertionError("the scorer ended before reading: " + scorer.lines() + " " + scorer.stderr());
        }
        boolean member = !admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().isEmpty();
        if (member) {
          return;
        }
        Thread.sleep(200);
      }
    }
    throw new AssertionError("the scorer's consumer did not join group " + group + " within " + timeout
        + "; stderr " + scorer.stderr());
  }

  private static void simulate(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Simulate.run(args, OutputStream.nullOutputStream(), new PrintStream(OutputStream.nullOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8), Clock.SYSTEM);
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
  }
}
