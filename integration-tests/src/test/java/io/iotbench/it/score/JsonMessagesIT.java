package io.iotbench.it.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.it.harness.KafkaServer;
import io.iotbench.it.harness.MosquittoServer;
import io.iotbench.model.JsonEventCodec;
import io.iotbench.model.SensorEvent;
import io.iotbench.model.scoring.PortableModel;
import io.iotbench.model.scoring.Scorer;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.score.Decision;
import io.iotbench.pipelines.score.DecisionsTopic;
import io.iotbench.pipelines.score.ScoreSensorStream;
import io.iotbench.pipelines.score.source.MqttLineSource;
import io.iotbench.pipelines.train.ModelFolder;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fusesource.mqtt.client.QoS;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workshop's message shape end to end: {@code simulate --format=json --readingsPerMessage=all} sends one JSON
 * message per device and instant with all 11 sensors ({@code sensor_0..sensor_10}) into a real Kafka topic, and into
 * a real mosquitto on one topic per device ({@code iot/line1}, {@code iot/line2}) that the scorer reads through the
 * wildcard subscription {@code iot/#}. The scorer ({@code --format=json}, DirectRunner) publishes its decisions to a
 * decisions topic; the newest decision per device and interval must equal an independent replay of the messages
 * the test received itself (same broker, same topic) through the model, and every reading must be counted once.
 */
class JsonMessagesIT {
  private static final Logger LOG = LoggerFactory.getLogger(JsonMessagesIT.class);
  private static final int SENSORS = 11;
  private static final int DEVICES = 2;
  private static final int MESSAGES = 200;
  private static final int READINGS = MESSAGES * SENSORS;
  private static final long INTERVAL_MILLIS = 200;
  private static final JsonEventCodec CODEC = new JsonEventCodec(JsonEventCodec.Fields.defaults());

  @RegisterExtension static final KafkaServer KAFKA = new KafkaServer();
  @RegisterExtension static final MosquittoServer MOSQUITTO = new MosquittoServer();

  @TempDir Path temp;

  /** Attention iff sum(i * v_i) > n(n+1)/4 over sensors i = 1..11, as a logistic regression. */
  private PortableModel model() {
    double[] w = new double[SENSORS];
    for (int i = 0; i < SENSORS; i++) {
      w[i] = (i + 1) / (double) SENSORS;
    }
    return PortableModel.logisticRegression(w, -0.25 * SENSORS * (SENSORS + 1) / SENSORS, 0.5, Map.of());
  }

  private static void simulate(String... sink) {
    List<String> args = new ArrayList<>(List.of("--format=json", "--readingsPerMessage=all", "--sensors=" + SENSORS,
        "--devices=" + DEVICES, "--total=" + READINGS, "--rate=2000", "--seed=7"));
    args.addAll(Arrays.asList(sink));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Simulate.run(args.toArray(new String[0]), OutputStream.nullOutputStream(),
        new PrintStream(OutputStream.nullOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8), Clock.SYSTEM);
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
  }

  /** Runs {@code score} in this JVM on the DirectRunner; returns the decisions it published. */
  private List<Decision> score(String decisionsTopic, Instant origin, String... source) throws Exception {
    KAFKA.createTopic(decisionsTopic, 1);
    Path modelDir = temp.resolve("model-" + decisionsTopic);
    ModelFolder.writePortable(modelDir.toString(), model());
    List<String> args = new ArrayList<>(List.of("--runner=DirectRunner", "--model=" + modelDir, "--format=json",
        "--sensors=" + SENSORS, "--devices=" + DEVICES, "--bootstrapServers=" + KAFKA.bootstrapServers(),
        "--decisionsTopic=" + decisionsTopic, "--ticks=false", "--interval=" + INTERVAL_MILLIS / 1000.0,
        "--origin=" + origin, "--maxRuntime=60"));
    args.addAll(Arrays.asList(source));
    long start = System.nanoTime();
    PrintStream oldOut = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Cli.execute("score", args.toArray(new String[0]), ScoreSensorStream.Options.class,
          o -> ScoreSensorStream.exitCode(ScoreSensorStream.run(o)));
    } finally {
      System.setOut(oldOut);
    }
    String console = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, console);
    List<String> lines = List.of(console.split("\n"));
    LOG.warn("score {} ran {} ms: {}", source[0], (System.nanoTime() - start) / 1_000_000,
        lines.subList(Math.max(0, lines.size() - 2), lines.size()));
    List<Decision> decisions = new ArrayList<>();
    DecisionsTopic.readAll(KAFKA.bootstrapServers(), decisionsTopic, Duration.ofSeconds(1), Duration.ofSeconds(30))
        .forEach(p -> decisions.add(p.decision()));
    return decisions;
  }

  /** The readings of the messages as sent: one event per sensor field, the sentinels apart. */
  private static List<SensorEvent> readings(List<String> messages) {
    List<SensorEvent> events = new ArrayList<>();
    int sentinels = 0;
    for (String m : messages) {
      assertTrue(m.matches("\\{\"sensor_id\":[12],\"sensor_ts\":\\d{16}(,\"sensor_\\d+\":[0-9.E-]+){11}}|.*\"sentinel\":true}"), m);
      List<SensorEvent> parsed = CODEC.parse(m);
      if (parsed.get(0).isSentinel()) {
        sentinels++;
      } else {
        assertEquals(SENSORS, parsed.size(), m);
        events.addAll(parsed);
      }
    }
    assertEquals(DEVICES, sentinels);
    assertEquals(READINGS, events.size());
    return events;
  }

  /** Newest published decision per device and interval, as "label events". */
  private static Map<String, String> decided(List<Decision> decisions) {
    Map<String, String> m = new TreeMap<>();
    for (Decision d : decisions) {
      if (d.events() > 0) {
        m.put(d.device() + "#" + d.interval(), d.label() + " " + d.events());
      } else {
        assertTrue(d.sentinel(), "only a sentinel's interval may have no sensor event: " + d);
      }
    }
    return m;
  }

  /**
   * The independent computation: per device, the events in event-time order, interval by interval, each sensor's
   * newest reading (equal times broken by the larger value, as the scorer does), 0.5 before any.
   */
  private Map<String, String> replay(List<SensorEvent> events, long origin) {
    Scorer scorer = model().scorer();
    List<SensorEvent> sorted = new ArrayList<>(events);
    sorted.sort((a, b) -> a.eventTime().compareTo(b.eventTime()));
    Map<String, double[]> values = new HashMap<>();
    Map<String, long[]> times = new HashMap<>();
    Map<String, Integer> counts = new TreeMap<>();
    Map<String, String> out = new TreeMap<>();
    for (SensorEvent e : sorted) {
      double[] v = values.computeIfAbsent(e.deviceId(), d -> {
        double[] a = new double[SENSORS];
        Arrays.fill(a, 0.5);
        return a;
      });
      long[] t = times.computeIfAbsent(e.deviceId(), d -> {
        long[] a = new long[SENSORS];
        Arrays.fill(a, Long.MIN_VALUE);
        return a;
      });
      long et = e.eventTime().toEpochMilli();
      int s = e.sensor() - 1;
      if (et > t[s] || (et == t[s] && e.value() > v[s])) {
        t[s] = et;
        v[s] = e.value();
      }
      String key = e.deviceId() + "#" + (Math.floorDiv(et - origin, INTERVAL_MILLIS) + 1);
      int n = counts.merge(key, 1, Integer::sum);
      // The newest state of the interval wins: later events of the same interval overwrite.
      out.put(key, scorer.score(v.clone()).label() + " " + n);
    }
    return out;
  }

  private void check(List<Decision> decisions, List<SensorEvent> events, long origin) {
    Map<String, String> decided = decided(decisions);
    assertEquals(replay(events, origin), decided);
    assertEquals(READINGS, decided.values().stream().mapToInt(s -> Integer.parseInt(s.split(" ")[1])).sum(),
        "every reading counted once as a sensor event");
    assertTrue(decided.values().stream().anyMatch(s -> s.startsWith("1 ")) && decided.values().stream().anyMatch(s -> s.startsWith("0 ")),
        "both decisions occur: " + decided);
  }

  @Test
  void kafkaMessagesOfAllSensorsAreScoredAsTheirReadings() throws Exception {
    String topic = "workshop-json";
    KAFKA.createTopic(topic, 2);
    long start = System.nanoTime();
    simulate("--sink=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topic=" + topic);
    List<String> sent = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : KAFKA.readAll(topic, MESSAGES + DEVICES, Duration.ofSeconds(30))) {
      sent.add(new String(r.value(), StandardCharsets.UTF_8));
    }
    assertEquals(MESSAGES + DEVICES, sent.size(), "one Kafka record per message");
    LOG.warn("simulated and read back in {} ms", (System.nanoTime() - start) / 1_000_000);
    List<SensorEvent> events = readings(sent);
    long origin = events.stream().mapToLong(e -> e.eventTime().toEpochMilli()).min().orElseThrow() / 1000 * 1000;
    List<Decision> decisions = score(topic + "-decisions", Instant.ofEpochMilli(origin),
        "--source=kafka", "--topic=" + topic, "--groupId=" + topic);
    check(decisions, events, origin);
  }

  @Test
  void mqttMessagesOnATopicPerDeviceAreReadThroughAWildcard() throws Exception {
    long origin = System.currentTimeMillis() / 1000 * 1000;
    try (MosquittoServer.Subscriber recorder = MOSQUITTO.subscribe("iot/#", QoS.AT_LEAST_ONCE);
        MosquittoServer.Subscriber line1 = MOSQUITTO.subscribe("iot/line1", QoS.AT_LEAST_ONCE)) {
      CompletableFuture<List<Decision>> scored = CompletableFuture.supplyAsync(() -> {
        try {
          return score("workshop-mqtt-decisions", Instant.ofEpochMilli(origin),
              "--source=mqtt", "--mqttUri=" + MOSQUITTO.uri(), "--topic=iot/#");
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      // MQTT keeps no messages for a subscriber that has not subscribed yet.
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!MqttLineSource.anySubscribed() && System.nanoTime() < deadline && !scored.isDone()) {
        Thread.sleep(50);
      }
      assertTrue(MqttLineSource.anySubscribed(), "the scorer subscribed");
      simulate("--sink=mqtt", "--mqttUri=" + MOSQUITTO.uri(), "--topic=iot/line<device>");
      List<String> sent = recorder.receive(MESSAGES + DEVICES, Duration.ofSeconds(10));
      assertEquals(MESSAGES + DEVICES, sent.size(), "one MQTT message per message");
      List<SensorEvent> events = readings(sent);
      // iot/line1 carries device 1's messages only, all of them.
      long ofDevice1 = sent.stream().filter(m -> m.startsWith("{\"sensor_id\":1,")).count();
      List<String> onLine1 = line1.receive((int) ofDevice1 + 1, Duration.ofSeconds(2));
      assertEquals(ofDevice1, onLine1.size());
      assertTrue(onLine1.stream().allMatch(m -> m.startsWith("{\"sensor_id\":1,")), onLine1.toString());
      check(scored.get(), events, origin);
    }
  }
}
