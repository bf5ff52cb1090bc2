package io.iotbench.it.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.it.harness.Iotbench;
import io.iotbench.it.harness.MosquittoServer;
import io.iotbench.model.EventCsvCodec;
import io.iotbench.model.SensorEvent;
import io.iotbench.model.scoring.PortableModel;
import io.iotbench.pipelines.score.Decision;
import io.iotbench.pipelines.score.EventFormat;
import io.iotbench.pipelines.score.source.CountMark;
import io.iotbench.pipelines.score.source.LineFeed;
import io.iotbench.pipelines.score.source.MqttBroker;
import io.iotbench.pipelines.score.source.MqttLineSource;
import io.iotbench.pipelines.score.source.RecordSettings;
import io.iotbench.pipelines.train.ModelFolder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.UnboundedSource.UnboundedReader;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.fusesource.mqtt.client.BlockingConnection;
import org.fusesource.mqtt.client.MQTT;
import org.fusesource.mqtt.client.QoS;
import org.fusesource.mqtt.client.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT source's persistent session against a real mosquitto: a message is acknowledged only once a finalized
 * checkpoint covers it, so what a dead scorer had buffered, had in flight, or was sent while it was down comes back
 * to the next scorer with the same {@code --clientId}.
 */
class MqttSessionIT {
  private static final int SENSORS = 3;

  @RegisterExtension static final MosquittoServer MOSQUITTO = new MosquittoServer();

  @TempDir Path temp;

  /** A QoS 1 publisher; each publish returns once mosquitto has the message. */
  private static BlockingConnection publisher() throws Exception {
    MQTT mqtt = new MQTT();
    mqtt.setHost(new URI(MOSQUITTO.uri()));
    mqtt.setClientId("it-publisher-" + System.nanoTime());
    mqtt.setCleanSession(true);
    BlockingConnection c = mqtt.blockingConnection();
    c.connect();
    return c;
  }

  private static void publish(BlockingConnection c, String topic, List<String> payloads) throws Exception {
    for (String p : payloads) {
      c.publish(topic, p.getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false);
    }
  }

  private static List<String> numbered(String prefix, int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  /**
   * Lines handed out by {@code reader} ({@code started} or not yet) until {@code expected} came or nothing came for
   * {@code quiet}.
   */
  private static List<String> read(UnboundedReader<String> reader, boolean started, int expected, Duration quiet)
      throws Exception {
    List<String> lines = new ArrayList<>();
    long lastNews = System.nanoTime();
    boolean more = started ? reader.advance() : reader.start();
    while (lines.size() < expected && System.nanoTime() - lastNews < quiet.toNanos()) {
      if (more && !reader.getCurrent().isEmpty()) {
        lines.addAll(List.of(reader.getCurrent().split("\n")));
        lastNews = System.nanoTime();
      }
      more = reader.advance();
    }
    return lines;
  }

  private static UnboundedReader<String> reader(String topic, String clientId) throws Exception {
    RecordSettings settings = new RecordSettings(EventFormat.named("csv"), true, 0, 60_000, 1 << 20);
    MqttLineSource source = new MqttLineSource(MqttBroker.anonymous(MOSQUITTO.uri()), topic, clientId, settings, 20_000);
    return source.createReader(PipelineOptionsFactory.create(), null);
  }

  private static void awaitSubscribed() throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!MqttLineSource.anySubscribed() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(MqttLineSource.anySubscribed(), "the source did not subscribe within 10 s");
  }

  /**
   * A feed that dies with 100 messages handed out and covered by a finalized checkpoint and 200 only buffered: a new
   * feed with the same client id gets exactly the 200 again; once its checkpoint is finalized, a third gets nothing.
   */
  @Test
  @Timeout(60)
  void bufferedMessagesComeBackUntilAFinalizedCheckpointCoversThem() throws Exception {
    String topic = "session-feed";
    String clientId = "it-session-feed";
    try (AutoCloseable closeFeeds = LineFeed::closeAll) {
      BlockingConnection pub = publisher();
      UnboundedReader<String> first = reader(topic, clientId);
      assertEquals(List.of(), read(first, false, 1, Duration.ofMillis(100)));
      awaitSubscribed();
      publish(pub, topic, numbered("m", 1, 100));
      List<String> handed = read(first, true, 100, Duration.ofSeconds(5));
      assertEquals(numbered("m", 1, 100), handed);
      CountMark mark = (CountMark) first.getCheckpointMark();
      mark.finalizeCheckpoint();
      publish(pub, topic, numbered("m", 101, 300));
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (first.getSplitBacklogBytes() < 200 * 64L && System.nanoTime() < deadline) {
        Thread.sleep(20); // all 200 buffered in the feed, none handed out
      }
      assertEquals(200 * 64L, first.getSplitBacklogBytes(), "the 200 messages should be buffered");
      Thread.sleep(300); // the first 100 acknowledgements reach the broker
      LineFeed.closeAll(); // the scorer dies: its buffer is gone

      UnboundedReader<String> second = reader(topic, clientId);
      List<String> again = read(second, false, 300, Duration.ofSeconds(5));
      assertEquals(numbered("m", 101, 300), again, "the buffered, unacknowledged messages must come back, the acknowledged not");
      second.getCheckpointMark().finalizeCheckpoint();
      Thread.sleep(300);
      LineFeed.closeAll();

      UnboundedReader<String> third = reader(topic, clientId);
      assertEquals(List.of(), read(third, false, 1, Duration.ofSeconds(3)), "finalized messages must not be redelivered");
      pub.disconnect();
    }
  }

  private Path model() throws Exception {
    Path dir = temp.resolve("model");
    ModelFolder.writePortable(dir.toString(), PortableModel.logisticRegression(new double[] {0.1, 0.2, 0.3}, -0.3, 0.5, Map.of()));
    return dir;
  }

  /** Events stamped now, sensors 1..3 in turn. */
  private static List<String> events(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(EventCsvCodec.format(new SensorEvent(Instant.now(), SensorEvent.DEFAULT_DEVICE, i % SENSORS + 1, (i % 10) / 10.0), false));
    }
    return out;
  }

  /** Sum over (device, interval) of the events of its newest decision in the files {@code dir/decisions*}. */
  private static long decidedEvents(Path dir) throws Exception {
    Map<String, Long> events = new HashMap<>();
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("decisions") && Files.isRegularFile(p)).toList()) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            Decision d = Decision.fromJson(line);
            events.merge(d.device() + "/" + d.interval(), d.events(), Math::max);
          }
        }
      }
    }
    return events.values().stream().mapToLong(Long::longValue).sum();
  }

  private static void signal(Process process, String signal) throws Exception {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    for (ProcessHandle p : all) {
      new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
    }
  }

  private String[] score(String clientId, String topic, Path out, String origin) throws Exception {
    return new String[] {"score", "--runner=DirectRunner", "--model=" + model(), "--sensors=" + SENSORS, "--source=mqtt",
        "--mqttUri=" + MOSQUITTO.uri(), "--topic=" + topic, "--clientId=" + clientId, "--ticks=false", "--interval=0.5",
        "--origin=" + origin, "--maxRuntime=80", "--decisionsOutput=" + out.resolve("decisions")};
  }

  /**
   * A scorer (a child process on the DirectRunner) is frozen and killed with SIGKILL while messages are on their way
   * to it, more are published while it is down, and it is started again with the same {@code --clientId}: the
   * decisions of the two runs count every event published. What the first run had decided before it was frozen is
   * waited for: the DirectRunner keeps its windows in memory only, so events in windows still open at a kill are
   * lost with the process whatever the source does (docs/mqtt-delivery.md).
   */
  @Test
  @Timeout(400)
  void aScorerKilledAndRestartedWithTheSameClientIdLosesNoMessage() throws Exception {
    String topic = "session-score";
    String clientId = "it-scorer";
    String origin = Instant.ofEpochMilli(System.currentTimeMillis() / 1000 * 1000).toString();
    Path run1 = temp.resolve("run1");
    Path run2 = temp.resolve("run2");
    // The session exists before the scorer runs, as it does after the scorer's first run: nothing published is lost
    // to the race between the scorer's start and the first publish.
    MQTT session = new MQTT();
    session.setHost(new URI(MOSQUITTO.uri()));
    session.setClientId(clientId);
    session.setCleanSession(false);
    BlockingConnection subscribe = session.blockingConnection();
    subscribe.connect();
    subscribe.subscribe(new Topic[] {new Topic(topic, QoS.AT_LEAST_ONCE)});
    subscribe.disconnect();

    BlockingConnection pub = publisher();
    int published = 0;
    try (Iotbench.Running first = Iotbench.start(score(clientId, topic, run1, origin))) {
      List<String> before = events(2_000);
      publish(pub, topic, before);
      published += before.size();
      long deadline = System.nanoTime() + 150_000_000_000L;
      while (decidedEvents(run1) < before.size() && System.nanoTime() < deadline && first.process().isAlive()) {
        Thread.sleep(250);
      }
      assertEquals(before.size(), decidedEvents(run1), () -> "the first run's decisions; stderr " + stderr(first));
      signal(first.process(), "STOP");
      List<String> inFlight = events(3_000); // delivered to the frozen scorer, never processed
      publish(pub, topic, inFlight);
      published += inFlight.size();
      Thread.sleep(500);
      signal(first.process(), "KILL");
      assertTrue(first.process().waitFor(10, TimeUnit.SECONDS), "the first run did not die");
    }
    List<String> whileDown = events(3_000);
    publish(pub, topic, whileDown);
    published += whileDown.size();
    try (Iotbench.Running second = Iotbench.start(score(clientId, topic, run2, origin))) {
      Thread.sleep(2_000);
      List<String> after = events(2_000);
      publish(pub, topic, after);
      published += after.size();
      // Not to the sentinel: what a run's end writes is not what this test is about; the decisions are awaited.
      long deadline = System.nanoTime() + 150_000_000_000L;
      while (decidedEvents(run1) + decidedEvents(run2) < published && System.nanoTime() < deadline
          && second.process().isAlive()) {
        Thread.sleep(250);
      }
      assertTrue(second.process().isAlive(), () -> "the second run ended early; stderr " + stderr(second));
    }
    pub.disconnect();
    long counted = decidedEvents(run1) + decidedEvents(run2);
    assertTrue(counted >= published, counted + " events decided over both runs, " + published + " published");
  }

  private static String stderr(Iotbench.Running r) {
    try {
      List<String> lines = r.stderr();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (Exception e) {
      return e.toString();
    }
  }
}
