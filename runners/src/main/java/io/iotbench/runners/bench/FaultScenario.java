package io.iotbench.runners.bench;

import io.iotbench.model.scoring.PortableModel;
import io.iotbench.model.support.ChildProcess;
import io.iotbench.pipelines.score.ScoreSensorStream;
import io.iotbench.simulator.Clock;
import io.iotbench.simulator.Simulate;
import io.iotbench.simulator.broker.FreePorts;
import io.iotbench.simulator.broker.KafkaBrokerProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * One fault scenario against real processes: a Kafka broker in a child JVM with a data folder on a fixed port, the
 * simulator (in this JVM) sending {@code events} events of several devices at a steady rate to a two-partition
 * topic, ending with a sentinel per device, and {@code score} on the SparkRunner {@code local[2]} in a child JVM
 * writing its decisions to files. The stream starts once the scorer's consumer has joined its group; when it has run
 * for a third of its length, the fault strikes: the broker's JVM is stopped with SIGTERM or killed with SIGKILL and started again
 * on the same port and folder after the outage, or the scorer's JVM is killed with SIGKILL and started again at once
 * with the same options ({@code --checkpointDir} included). Then the stream runs to its end; the outcome holds the
 * exit codes, every decision written (with its file's write time), the scorer's counters and when the restart came.
 *
 * <p>A restarted scorer gets the very same options: on the SparkRunner it resumes from its checkpoint folder, whose
 * pipeline (the decisions prefix included) is the first run's. The scorer is killed only once it has written
 * decisions and checkpointed its state (a {@code spark-checkpoint/<uuid>/rdd-<id>} folder), so the kill tests a
 * resume, not a run that had nothing to resume from.
 */
public final class FaultScenario {
  /** The fault a scenario injects. */
  public enum Fault {
    BROKER_SIGTERM("broker-sigterm"),
    BROKER_SIGKILL("broker-sigkill"),
    SCORER_SIGKILL("scorer-sigkill");

    private final String label;

    Fault(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    boolean hitsBroker() {
      return this != SCORER_SIGKILL;
    }
  }

  /**
   * A scenario's settings.
   *
   * @param events events to send, sentinels not included
   * @param rate events per second over all devices
   * @param devices devices of the stream
   * @param outage how long the broker stays down (the scorer is restarted at once)
   * @param work a folder for the broker's data, the model, the checkpoint and the decisions
   * @param timeout the most the whole scenario may take
   */
  public record Settings(long events, double rate, int devices, Duration outage, Path work, Duration timeout) {}

  /**
   * How a scenario went.
   *
   * @param simulatorExit the simulator's exit code
   * @param scorerExits every scorer process's exit code, in order (137 for the one killed)
   * @param decisions every decision written by every scorer process
   * @param faultMillis when the fault struck (epoch milliseconds)
   * @param restartMillis when the restarted process was up: the broker answering again, the scorer started
   * @param counters the last scorer's counters line ({@code Counters: records=...}), or empty
   * @param scorerTail the last lines of the last scorer's output, to explain a failure
   */
  public record Outcome(int simulatorExit, List<Integer> scorerExits, List<WrittenDecision> decisions, long faultMillis,
      long restartMillis, String counters, String scorerTail) {

    /** A counter of the scorer's counters line, e.g. {@code droppedDueToLateness}; 0 when it is not there. */
    public long counter(String name) {
      Matcher m = Pattern.compile("\\b" + Pattern.quote(name) + "=(\\d+)").matcher(counters);
      return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** The duplicates the scorer reported: the sum of its counters whose name starts with {@code duplicate}. */
    public long reportedDuplicates() {
      Matcher m = Pattern.compile("\\bduplicate\\w*=(\\d+)").matcher(counters);
      long n = 0;
      while (m.find()) {
        n += Long.parseLong(m.group(1));
      }
      return n;
    }

    /** The figures of this outcome. */
    public FaultFigures figures(long produced) {
      return FaultFigures.of(produced, decisions, reportedDuplicates(), List.of(restartMillis));
    }
  }

  static final String TOPIC = "events";
  static final String GROUP = "iotbench-faults";
  static final int SENSORS = 100;
  private static final Pattern SCORER_FLAGS = Pattern.compile(
      "--add-opens.*|--add-exports.*|-XX:\\+IgnoreUnrecognizedVMOptions|-Djdk\\.reflect\\..*|-Dlog4j2\\.configurationFile=.*");

  private final Fault fault;
  private final Settings s;
  private final Path dataDir;
  private final Path decisions;
  private final int port;
  private final long originMillis;
  private final List<Integer> scorerExits = new ArrayList<>();
  private Process scorer;
  private Path scorerOut;
  private int scorerRuns;

  private FaultScenario(Fault fault, Settings s) {
    this.fault = fault;
    this.s = s;
    this.dataDir = s.work().resolve("kafka");
    this.decisions = s.work().resolve("decisions");
    this.port = FreePorts.find();
    this.originMillis = System.currentTimeMillis() / 1000 * 1000;
  }

  /** Runs {@code fault} with settings {@code s}. */
  public static Outcome run(Fault fault, Settings s) throws Exception {
    return new FaultScenario(fault, s).run();
  }

  private Outcome run() throws Exception {
    long deadline = System.nanoTime() + s.timeout().toNanos();
    Files.createDirectories(s.work());
    Path model = writeModel(s.work().resolve("model"));
    KafkaBrokerProcess broker = startBroker();
    CompletableFuture<Integer> simulator = null;
    long faultAt;
    long restartAt;
    try {
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get(60, TimeUnit.SECONDS);
      }
      startScorer(model);
      awaitScorerReading(broker.bootstrapServers(), deadline);
      simulator = simulate(broker.bootstrapServers());
      long simulatorStart = System.nanoTime();
      long faultAfter = (long) (s.events() / s.rate() / 3 * 1e9);
      while (System.nanoTime() - simulatorStart < faultAfter
          || (!fault.hitsBroker() && !(DecisionFiles.any(decisionsPrefix()) && hasStateCheckpoint()))) {
        if (!scorer.isAlive()) {
          throw new IllegalStateException("score exited " + scorer.exitValue() + " before the fault: " + tail());
        }
        checkDeadline(deadline, "before the fault");
        Thread.sleep(200);
      }
      faultAt = System.currentTimeMillis();
      if (fault.hitsBroker()) {
        if (fault == Fault.BROKER_SIGKILL) {
          broker.kill();
        } else {
          broker.close();
        }
        Thread.sleep(Math.max(0, s.outage().toMillis() - (System.currentTimeMillis() - faultAt)));
        broker = startBroker();
      } else {
        scorer.descendants().forEach(ProcessHandle::destroyForcibly);
        scorer.destroyForcibly();
        scorerExits.add(scorer.waitFor());
        startScorer(model);
      }
      restartAt = System.currentTimeMillis();
      int simulatorExit = simulator.get(left(deadline), TimeUnit.NANOSECONDS);
      if (!scorer.waitFor(left(deadline), TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException("score did not end within " + s.timeout().toSeconds() + " s: " + tail());
      }
      scorerExits.add(scorer.exitValue());
      List<WrittenDecision> written = DecisionFiles.read(decisionsPrefix());
      List<String> out = Files.readAllLines(scorerOut, StandardCharsets.UTF_8);
      String counters = out.stream().filter(l -> l.startsWith("Counters: ")).reduce((a, b) -> b).orElse("");
      return new Outcome(simulatorExit, List.copyOf(scorerExits), written, faultAt, restartAt, counters, tail());
    } finally {
      if (scorer != null && scorer.isAlive()) {
        ChildProcess.terminate(scorer.toHandle(), Duration.ofSeconds(10));
      }
      if (simulator != null) {
        simulator.cancel(true);
      }
      broker.close();
    }
  }

  /**
   * Waits until the scorer's consumer has joined its group on the broker: it reads from then on, so the stream
   * starts no earlier and the fault strikes while the scorer is reading (a Spark start on a loaded machine can take
   * longer than the whole stream).
   */
  private void awaitScorerReading(String bootstrapServers, long deadline) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      while (true) {
        if (!scorer.isAlive()) {
          throw new IllegalStateException("score exited " + scorer.exitValue() + " before it read: " + tail());
        }
        try {
          if (!admin.describeConsumerGroups(List.of(GROUP)).all().get(30, TimeUnit.SECONDS).get(GROUP).members().isEmpty()) {
            return;
          }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          // The group is not there yet, or the broker is slow to answer: ask again.
        }
        checkDeadline(deadline, "waiting for the scorer to join its consumer group");
        Thread.sleep(500);
      }
    }
  }

  private static long left(long deadline) {
    return Math.max(1, deadline - System.nanoTime());
  }

  private void checkDeadline(long deadline, String what) {
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException("scenario " + fault.label() + " ran out of time " + what + ": " + tail());
    }
  }

  private KafkaBrokerProcess startBroker() throws IOException {
    // A loaded machine can take minutes to start Kafka; the scenario's own deadline bounds the whole run.
    return KafkaBrokerProcess.start(port, dataDir, 2, List.of("-Xmx512m"), Duration.ofSeconds(240));
  }

  private Path decisionsPrefix() {
    return decisions.resolve("decisions");
  }

  /** Whether Spark has checkpointed state RDDs ({@code spark-checkpoint/<uuid>/rdd-<id>}). */
  private boolean hasStateCheckpoint() throws IOException {
    Path spark = s.work().resolve("checkpoint").resolve("spark-checkpoint");
    if (!Files.isDirectory(spark)) {
      return false;
    }
    try (java.util.stream.Stream<Path> files = Files.walk(spark, 2)) {
      return files.anyMatch(p -> p.getFileName().toString().startsWith("rdd-"));
    }
  }

  /** Sends the stream from this JVM; the future completes with the simulator's exit code. */
  private CompletableFuture<Integer> simulate(String bootstrapServers) {
    String[] args = {"--sink=kafka", "--bootstrapServers=" + bootstrapServers, "--topic=" + TOPIC, "--rate=" + s.rate(),
        "--total=" + s.events(), "--sensors=" + SENSORS, "--devices=" + s.devices()};
    return CompletableFuture.supplyAsync(() -> {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status = Simulate.run(args, OutputStream.nullOutputStream(), new PrintStream(OutputStream.nullOutputStream()),
          new PrintStream(err, true, StandardCharsets.UTF_8), Clock.SYSTEM);
      if (status != 0) {
        System.err.println("simulate exited " + status + ": " + err.toString(StandardCharsets.UTF_8).strip());
      }
      return status;
    });
  }

  /** The scorer's options, the same for a restarted process. */
  List<String> scoreArgs(Path model) {
    return List.of("--runner=SparkRunner", "--sparkMaster=local[2]", "--streaming=true", "--batchIntervalMillis=1000",
        "--checkpointDir=" + s.work().resolve("checkpoint").toUri(), "--source=kafka",
        "--bootstrapServers=127.0.0.1:" + port, "--topic=" + TOPIC, "--groupId=" + GROUP, "--model=" + model,
        "--sensors=" + SENSORS, "--devices=" + s.devices(), "--interval=1", "--ticks=false",
        "--origin=" + Instant.ofEpochMilli(originMillis),
        // The broker's backlog after an outage arrives partition by partition: events up to 30 s behind the
        // newest one are merged, not dropped as late.
        "--allowedLateness=30",
        // Longer than the outage and the broker's restart, which on a loaded machine can take minutes.
        "--sourceOutageLimit=" + Math.max(300, 6 * s.outage().toSeconds()),
        "--maxRuntime=" + s.timeout().toSeconds(),
        "--decisionsOutput=" + decisionsPrefix());
  }

  /** Starts {@code score} in a child JVM with this JVM's classpath and the flags Spark needs on Java 17. */
  private void startScorer(Path model) throws IOException {
    scorerRuns++;
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> SCORER_FLAGS.matcher(a).matches()).forEach(command::add);
    command.add("-Xmx1g");
    command.add("-Dspark.ui.enabled=false");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ScoreSensorStream.class.getName());
    command.addAll(scoreArgs(model));
    scorerOut = s.work().resolve("score-" + scorerRuns + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(scorerOut.toFile());
    builder.environment().putIfAbsent("SPARK_LOCAL_IP", "127.0.0.1");
    scorer = builder.start();
  }

  private String tail() {
    if (scorerOut == null) {
      return "";
    }
    try {
      List<String> lines = Files.readAllLines(scorerOut, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  /** The generator's labeling rule as a model of 100 sensors. */
  static Path writeModel(Path dir) throws IOException {
    return ScorerRun.writeModel(dir);
  }
}
