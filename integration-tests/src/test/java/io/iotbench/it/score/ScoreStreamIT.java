package io.iotbench.it.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.it.harness.KafkaServer;
import io.iotbench.it.harness.MosquittoServer;
import io.iotbench.model.EventCsvCodec;
import io.iotbench.model.SensorEvent;
import io.iotbench.model.scoring.PortableModel;
import io.iotbench.model.scoring.Scorer;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.score.Decision;
import io.iotbench.pipelines.score.DecisionsTopic;
import io.iotbench.pipelines.score.MeasureSourceRate;
import io.iotbench.pipelines.score.ScoreSensorStream;
import io.iotbench.pipelines.train.ModelFolder;
import io.iotbench.simulator.Clock;
import io.iotbench.simulator.Simulate;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.fusesource.mqtt.client.QoS;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * simulator → Kafka / MQTT / TCP socket → {@code score}, on the DirectRunner and the SparkRunner: the
 * decisions the scorer publishes to its decisions topic (the newest per interval) must equal an independent
 * plain-Java replay of the recorded events through the model, and its console report must show the same. Also
 * logs each source's rate (events/s from the scorer's summary line); the rate is reported, not asserted (no timed
 * tests).
 */
class ScoreStreamIT {
  private static final Logger LOG = LoggerFactory.getLogger(ScoreStreamIT.class);
  private static final int SENSORS = 100;
  private static final int EVENTS = Integer.getInteger("score.it.events", 20_000);
  private static final String[] DIRECT = {"--runner=DirectRunner"};

  @RegisterExtension static final KafkaServer KAFKA = new KafkaServer();
  @RegisterExtension static final MosquittoServer MOSQUITTO = new MosquittoServer();

  @TempDir Path temp;

  private static String[] spark(Path temp) {
    return new String[] {"--runner=SparkRunner", "--sparkMaster=local[2]", "--streaming=true", "--batchIntervalMillis=500",
        // A file:// URI: an earlier test in this JVM may have left HDFS as fs.defaultFS in the reused Spark
        // context's Hadoop configuration (a stopped MiniDFSCluster: "Connection refused").
        "--checkpointDir=" + temp.resolve("checkpoint").toUri()};
  }

  /** Model: attention iff sum(i * v_i) > n(n+1)/4 (the generator's labeling rule as a logistic regression). */
  private Path model() throws Exception {
    return writeModel(temp.resolve("model"));
  }

  /** Writes the model above into the model folder {@code dir}; returns {@code dir}. */
  static Path writeModel(Path dir) throws Exception {
    double[] w = new double[SENSORS];
    for (int i = 0; i < SENSORS; i++) {
      w[i] = (i + 1) / 100.0;
    }
    ModelFolder.writePortable(dir.toString(), PortableModel.logisticRegression(w, -0.25 * SENSORS * (SENSORS + 1) / 100.0, 0.5, Map.of()));
    return dir;
  }

  private static int simulate(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Simulate.run(args, OutputStream.nullOutputStream(), new PrintStream(OutputStream.nullOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8), Clock.SYSTEM);
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    return status;
  }

  private static List<String> simulateToLines(String... args) {
    ByteArrayOutputStream events = new ByteArrayOutputStream();
    int status = Simulate.run(Stream.concat(Arrays.stream(args), Stream.of("--sink=stdout")).toArray(String[]::new), events,
        new PrintStream(OutputStream.nullOutputStream()), new PrintStream(OutputStream.nullOutputStream()), Clock.SYSTEM);
    assertEquals(0, status);
    return List.of(events.toString(StandardCharsets.UTF_8).split("\n"));
  }

  /** What a {@code score} run printed and the decisions it published. */
  private record Run(List<String> lines, List<Decision> decisions) {}

  /** Runs {@code score} in this JVM, publishing its decisions to {@code decisionsTopic} (created here). */
  private Run score(String[] runner, String decisionsTopic, String... args) throws Exception {
    KAFKA.createTopic(decisionsTopic, 1);
    List<String> all = new ArrayList<>(Arrays.asList(runner));
    all.add("--model=" + model());
    all.add("--bootstrapServers=" + KAFKA.bootstrapServers());
    all.add("--decisionsTopic=" + decisionsTopic);
    all.add("--sensors=" + SENSORS);
    all.add("--ticks=false");
    all.add("--interval=0.2");
    all.add("--maxRuntime=120");
    all.addAll(Arrays.asList(args));
    PrintStream oldOut = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Cli.execute("score", all.toArray(new String[0]), ScoreSensorStream.Options.class,
          o -> ScoreSensorStream.exitCode(ScoreSensorStream.run(o)));
    } finally {
      System.setOut(oldOut);
    }
    List<String> lines = List.of(out.toString(StandardCharsets.UTF_8).split("\n"));
    assertEquals(0, code, String.join("\n", lines));
    LOG.warn("RATE score {} {}: {}", runner[0], args[0], lines.get(lines.size() - 2));
    List<Decision> decisions = new ArrayList<>();
    DecisionsTopic.readAll(KAFKA.bootstrapServers(), decisionsTopic, Duration.ofSeconds(1), Duration.ofSeconds(30))
        .forEach(p -> decisions.add(p.decision()));
    return new Run(lines, decisions);
  }

  /** Newest published decision per interval as "label events". */
  private static Map<Long, String> decided(List<Decision> decisions) {
    Map<Long, String> m = new TreeMap<>();
    for (Decision d : decisions) {
      m.put(d.interval(), d.label() + " " + d.events());
    }
    return m;
  }

  /** A decision's report line: the time to the millisecond, then the original's words. */
  private static final Pattern LINE = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z: "
      + "Interval (-?\\d+): (Everything is OK|Attention needed) \\((\\d+) sensor events in interval\\).*");

  /** Newest report line per interval as "label events". */
  private static Map<Long, String> reported(List<String> lines) {
    Map<Long, String> m = new TreeMap<>();
    for (String line : lines) {
      Matcher x = LINE.matcher(line);
      if (x.matches()) {
        m.put(Long.parseLong(x.group(1)), (x.group(2).startsWith("Attention") ? 1 : 0) + " " + x.group(3));
      }
    }
    return m;
  }

  /** The independent computation: replay the events in event-time order through the model, interval by interval. */
  private static Map<Long, String> replay(List<SensorEvent> events, long origin, long intervalMillis) throws Exception {
    Scorer scorer = PortableModel.read(Files.newInputStream(Path.of(System.getProperty("score.it.model"))), "model").scorer();
    List<SensorEvent> sorted = new ArrayList<>(events);
    sorted.removeIf(SensorEvent::isSentinel);
    sorted.sort((a, b) -> a.eventTime().compareTo(b.eventTime()));
    double[] v = new double[SENSORS];
    Arrays.fill(v, 0.5);
    long[] t = new long[SENSORS];
    Arrays.fill(t, Long.MIN_VALUE);
    Map<Long, String> out = new TreeMap<>();
    int i = 0;
    while (i < sorted.size()) {
      long n = Math.floorDiv(sorted.get(i).eventTime().toEpochMilli() - origin, intervalMillis) + 1;
      int count = 0;
      while (i < sorted.size() && Math.floorDiv(sorted.get(i).eventTime().toEpochMilli() - origin, intervalMillis) + 1 == n) {
        // The scorer's rule for "latest": the newest event time; equal times (the simulator sends many events
        // per millisecond) are broken by the larger value, since a window has no arrival order.
        SensorEvent e = sorted.get(i);
        long et = e.eventTime().toEpochMilli();
        int s = e.sensor() - 1;
        if (et > t[s] || (et == t[s] && e.value() > v[s])) {
          t[s] = et;
          v[s] = e.value();
        }
        count++;
        i++;
      }
      out.put(n, scorer.score(v).label() + " " + count);
    }
    return out;
  }

  private static long origin(List<SensorEvent> events) {
    return events.stream().mapToLong(e -> e.eventTime().toEpochMilli()).min().orElseThrow() / 1000 * 1000;
  }

  /**
   * The published decisions are the replay's; the console report shows the same decisions, and its summary line
   * counts every event but the sentinel.
   */
  private void check(Run run, List<SensorEvent> events, long origin) throws Exception {
    System.setProperty("score.it.model", model().resolve(PortableModel.FILE_NAME).toString());
    assertEquals(replay(events, origin, 200), decided(run.decisions()));
    assertEquals(reported(run.lines()), decided(run.decisions()));
    List<String> lines = run.lines();
    assertTrue(lines.get(lines.size() - 2).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z: " + (events.size() - 1)
        + " events received in \\d+\\.\\d seconds \\(\\d+ intervals\\), or \\d+ sensor events/second"), lines.get(lines.size() - 2));
  }

  private List<SensorEvent> kafkaRun(String[] runner, String topic) throws Exception {
    KAFKA.createTopic(topic, 1);
    simulate("--sink=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topic=" + topic, "--rate=20000",
        "--total=" + EVENTS, "--sensors=" + SENSORS);
    List<SensorEvent> events = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : KAFKA.readAll(topic, EVENTS + 1, Duration.ofSeconds(30))) {
      events.add(EventCsvCodec.parse(new String(r.value(), StandardCharsets.UTF_8)));
    }
    assertEquals(EVENTS + 1, events.size());
    long origin = origin(events);
    Run run = score(runner, topic + "-decisions", "--source=kafka", "--topic=" + topic, "--groupId=" + topic,
        "--origin=" + java.time.Instant.ofEpochMilli(origin));
    check(run, events, origin);
    // Offsets follow processing: nothing was read twice, and the group never committed past what was read.
    List<String> lines = run.lines();
    assertTrue(lines.get(lines.size() - 1).endsWith(" duplicatesSkipped=0 duplicatesSuspected=0"), lines.get(lines.size() - 1));
    try (Admin admin = KAFKA.admin()) {
      OffsetAndMetadata committed =
          admin.listConsumerGroupOffsets(topic).partitionsToOffsetAndMetadata().get().get(new TopicPartition(topic, 0));
      LOG.warn("OFFSETS score {}: committed {} of {} records", runner[0], committed, EVENTS + 1);
      assertTrue(committed == null || committed.offset() <= EVENTS + 1, String.valueOf(committed));
    }
    return events;
  }

  @Test
  @Order(1)
  void kafkaOnTheDirectRunnerEqualsThePlainReplay() throws Exception {
    kafkaRun(DIRECT, "direct-events");
  }

  @Test
  @Order(2)
  void kafkaOnTheSparkRunnerEqualsThePlainReplay() throws Exception {
    kafkaRun(spark(temp), "spark-events");
  }

  /** {@code bench-score-source} on each Kafka reader (chunked, KafkaIO, KafkaIO by the deprecated Read): each record once. */
  @Test
  void everyKafkaReaderOfTheSourceBenchmarkReadsEachRecordOnce() throws Exception {
    String topic = "rate-events";
    KAFKA.createTopic(topic, 1);
    int n = 5_000; // KafkaIO on the DirectRunner reads one record per element: 1,734 records/s measured, 123 on a busy machine
    simulate("--sink=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topic=" + topic, "--rate=0",
        "--total=" + n, "--sensors=" + SENSORS);
    for (String[] extra : List.of(new String[] {"--kafkaSource=chunked"}, new String[] {"--kafkaSource=kafkaio"},
        new String[] {"--kafkaSource=kafkaio", "--experiments=use_deprecated_read"})) {
      List<String> args = new ArrayList<>(List.of("--runner=DirectRunner", "--model=" + model(), "--source=kafka",
          "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topic=" + topic, "--groupId=rate-" + extra.length + extra.hashCode(),
          "--maxEvents=" + (n + 1), "--maxRuntime=90"));
      args.addAll(Arrays.asList(extra));
      ScoreSensorStream.Options o = Cli.parse(args.toArray(new String[0]), ScoreSensorStream.Options.class);
      MeasureSourceRate.SourceRate rate = MeasureSourceRate.measure(o);
      assertEquals(n + 1, rate.records(), "records (the events and the simulator's end sentinel) read by " + Arrays.toString(extra));
      assertTrue(rate.seconds() > 0 && rate.seconds() < 90, "seconds of " + Arrays.toString(extra) + ": " + rate.seconds());
    }
  }

  /** Serves the lines over TCP, dropping the connection halfway: the source must reconnect and lose nothing. */
  private static CompletableFuture<Void> serve(ServerSocket server, List<String> lines) {
    return CompletableFuture.runAsync(() -> {
      int half = lines.size() / 2;
      for (List<String> part : List.of(lines.subList(0, half), lines.subList(half, lines.size()))) {
        try (Socket s = server.accept(); Writer w = new java.io.OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8)) {
          for (String line : part) {
            w.write(line);
            w.write('\n');
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    });
  }

  private void socketRun(String[] runner) throws Exception {
    List<String> lines = simulateToLines("--rate=20000", "--total=" + EVENTS, "--sensors=" + SENSORS);
    List<SensorEvent> events = lines.stream().map(EventCsvCodec::parse).toList();
    long origin = origin(events);
    try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> served = serve(server, lines);
      Run run = score(runner, "socket-decisions-" + runner[0].replace("--runner=", ""), "--source=socket",
          "--port=" + server.getLocalPort(), "--origin=" + java.time.Instant.ofEpochMilli(origin));
      served.get();
      check(run, events, origin);
    }
  }

  @Test
  void socketWithAReconnectOnTheDirectRunnerEqualsThePlainReplay() throws Exception {
    socketRun(DIRECT);
  }

  @Test
  void socketWithAReconnectOnTheSparkRunnerEqualsThePlainReplay() throws Exception {
    socketRun(spark(temp));
  }

  private void mqttRun(String[] runner, String topic) throws Exception {
    try (MosquittoServer.Subscriber recorder = MOSQUITTO.subscribe(topic, QoS.AT_LEAST_ONCE)) {
      CompletableFuture<Run> scored = CompletableFuture.supplyAsync(() -> {
        try {
          return score(runner, topic + "-decisions", "--source=mqtt", "--mqttUri=" + MOSQUITTO.uri(), "--topic=" + topic,
              "--origin=" + originHolder.get());
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      // The scorer subscribes when its pipeline starts; MQTT does not keep messages for unknown subscribers.
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (!io.iotbench.pipelines.score.source.MqttLineSource.anySubscribed() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      simulate("--sink=mqtt", "--mqttUri=" + MOSQUITTO.uri(), "--topic=" + topic, "--rate=10000", "--total=" + EVENTS,
          "--sensors=" + SENSORS);
      List<SensorEvent> events = recorder.receive(EVENTS + 1, Duration.ofSeconds(10)).stream().map(EventCsvCodec::parse).toList();
      assertEquals(EVENTS + 1, events.size());
      check(scored.get(), events, originHolder.get().toEpochMilli());
    }
  }

  /** MQTT events are stamped when sent, after the scorer started: interval 1 starts at the start of the test. */
  private final java.util.concurrent.atomic.AtomicReference<java.time.Instant> originHolder = new java.util.concurrent.atomic.AtomicReference<>();

  @Test
  void mqttOnTheDirectRunnerEqualsThePlainReplay() throws Exception {
    originHolder.set(java.time.Instant.ofEpochMilli(System.currentTimeMillis() / 1000 * 1000));
    mqttRun(DIRECT, "direct-mqtt");
  }

  @Test
  void mqttOnTheSparkRunnerEqualsThePlainReplay() throws Exception {
    originHolder.set(java.time.Instant.ofEpochMilli(System.currentTimeMillis() / 1000 * 1000));
    mqttRun(spark(temp), "spark-mqtt");
  }
}
