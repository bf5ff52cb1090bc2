package io.iotbench.runners.bench;

import io.iotbench.model.support.ChildProcess;
import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.pipelines.score.DecisionsTopic;
import io.iotbench.runners.ProjectLayout;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One capacity measurement: one scorer (a runner's {@code score}, or the {@link BaselineScorer}) at one device count
 * and one offered rate, on fresh topics of the benchmark's broker. The scorer starts first, in a child JVM; once its
 * consumer has joined its group, the simulator ({@link FixedRateLoad}) starts and sends at the fixed rate (open world:
 * it never waits for the scorer; event time = its wall clock at send). From the first event on, every second the
 * events topic's end offsets and the group's committed offsets are sampled. After the warm-up and the measured
 * span, and a drain of the SLO's latency bound plus 1 s (so that the span's last windows can still be decided in
 * time), the scorer and the load are stopped and the decisions are read back from their topic, whose records carry the
 * broker's append time.
 *
 * <p>The verdict's lag is produced &minus; decided ({@link SpanLatencies#withScored}), not produced &minus; committed:
 * the scorer's Kafka source commits offsets only when the runner finalizes a checkpoint, which the FlinkRunner does
 * only with checkpointing on, so committed offsets do not measure consumption on every runner. They are sampled and
 * reported beside it.
 *
 * <p>Scorers are child processes, not threads of this JVM: each gets the classpath its runner needs (Spark and Flink
 * cannot share one; the launcher picks it), a stalled or runaway scorer is simply stopped with its whole process
 * tree, and none shares a heap or a garbage collector with the generator (a thread here) or with another run.
 */
final class CapacityRun {
  /** The benchmark-wide settings of every measurement. */
  record Settings(KafkaFixture kafka, Path work, Path model, Duration warmup, Duration measure, Duration startTimeout,
      Slo slo, int partitions, String kafkaSource, long microBatchMillis, double sourceReadShare, List<String> scoreArgs) {}

  static final String BASELINE = "baseline";
  static final long INTERVAL_MILLIS = 1000;
  private static final Pattern JAVA17_FLAGS = Pattern.compile(
      "--add-opens.*|--add-exports.*|-XX:\\+IgnoreUnrecognizedVMOptions|-Djdk\\.reflect\\..*|-Dlog4j2\\.configurationFile=.*");

  private final Settings s;
  private final String runner;
  private final int devices;
  private final double rate;
  private final String topic;
  private final String decisionsTopic;
  private final Path dir;

  private CapacityRun(Settings s, String runner, int devices, double rate, int index) {
    this.s = s;
    this.runner = runner;
    this.devices = devices;
    this.rate = rate;
    this.topic = "capacity-" + index + "-" + runner + "-d" + devices;
    this.decisionsTopic = topic + "-decisions";
    this.dir = s.work().resolve(topic);
  }

  /** Measures {@code runner} at {@code devices} devices and {@code rate} events/s; {@code index} names its topics. */
  static RateFigures measure(Settings s, String runner, int devices, double rate, int index) throws Exception {
    return new CapacityRun(s, runner, devices, rate, index).run();
  }

  private RateFigures run() throws Exception {
    Files.createDirectories(dir);
    s.kafka().createTopic(topic, s.partitions());
    s.kafka().createDecisionsTopic(decisionsTopic);
    long runSeconds = s.warmup().toSeconds() + s.measure().toSeconds() + drainMillis() / 1000 + 5;
    List<LagSample> samples = new ArrayList<>();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, s.kafka().bootstrapServers()));
        ChildProcess scorer = startScorer(runSeconds + s.startTimeout().toSeconds())) {
      if (!awaitJoined(admin, scorer)) {
        return RateFigures.failed(runner, devices, rate, Double.NaN,
            scorer.process().isAlive() ? "did not join its consumer group within " + s.startTimeout().toSeconds() + " s"
                : "exited " + scorer.process().exitValue() + " before reading: " + scorer.tail(3), samples);
      }
      long loadStart;
      long stop;
      try (FixedRateLoad load = FixedRateLoad.start(s.kafka().bootstrapServers(), topic, rate,
          (long) Math.ceil(rate * runSeconds), devices)) {
        loadStart = awaitFirstEvent(admin, load);
        stop = loadStart + s.warmup().toMillis() + s.measure().toMillis() + drainMillis();
        for (long next = loadStart; next <= stop; next += 1000) {
          Thread.sleep(Math.max(0, next - System.currentTimeMillis()));
          samples.add(sample(admin));
        }
      }
      boolean scorerAlive = scorer.process().isAlive();
      String tail = scorer.tail(3);
      scorer.close();
      return figures(samples, loadStart, stop, scorerAlive ? null : "scorer exited early: " + tail);
    }
  }

  /**
   * How long after the measured span the scorer still runs: the SLO's latency bound + 1 s, so that the span's last
   * windows can be decided in time (one decided later would miss the SLO anyway, and counts as missing).
   */
  private long drainMillis() {
    return Math.round(s.slo().maxLatencySeconds() * 1000) + 1000;
  }

  private RateFigures figures(List<LagSample> raw, long loadStart, long stop, String scorerFailure) {
    List<DecisionsTopic.Published> decisions =
        DecisionsTopic.readAll(s.kafka().bootstrapServers(), decisionsTopic, Duration.ofSeconds(1), Duration.ofMinutes(3));
    long from = loadStart + s.warmup().toMillis();
    long to = from + s.measure().toMillis();
    List<LagSample> samples = SpanLatencies.withScored(raw, decisions);
    double achieved = LagTrend.producedRate(samples, from, to);
    SpanLatencies latencies = SpanLatencies.of(decisions, from, to, stop, INTERVAL_MILLIS);
    RateFigures f = RateFigures.judged(runner, devices, rate, achieved, latencies.p50(), latencies.p99(), latencies.max(),
        LagTrend.slope(samples, from, to), LagTrend.slope(samples, from, to, LagSample::committedLag),
        latencies.decisions(), firstDecisionSeconds(decisions, loadStart), s.slo(), samples);
    if (scorerFailure != null && f.sloMet()) {
      return RateFigures.failed(runner, devices, rate, achieved, scorerFailure, samples);
    }
    return runner.equals("spark") ? f.withSparkBatches(sparkBatches(from, to)) : f;
  }

  /** The scorer's micro-batches of the span, from its Spark event log; null when it cannot be read. */
  private SparkBatchProfile sparkBatches(long fromMillis, long toMillis) {
    try {
      return SparkBatchProfile.read(sparkEvents(), fromMillis, toMillis);
    } catch (IOException | RuntimeException e) {
      ConsoleReport.line("  (no Spark batch profile: " + e + ")");
      return null;
    }
  }

  /** Where a SparkRunner scorer writes Spark's event log. */
  private Path sparkEvents() {
    return dir.resolve("spark-events");
  }

  /** Seconds from the load's first event to the first decision the broker appended; NaN when none came. */
  static double firstDecisionSeconds(List<DecisionsTopic.Published> decisions, long loadStartMillis) {
    OptionalLong first = decisions.stream().mapToLong(DecisionsTopic.Published::timestampMillis).min();
    return first.isPresent() ? (first.getAsLong() - loadStartMillis) / 1000.0 : Double.NaN;
  }

  /** The events produced (end offsets) and the offsets the scorer's group committed, now. */
  private LagSample sample(Admin admin) throws Exception {
    long now = System.currentTimeMillis();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < s.partitions(); p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    long produced = 0;
    for (var info : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values()) {
      produced += info.offset();
    }
    long committed = 0;
    for (OffsetAndMetadata o : admin.listConsumerGroupOffsets(topic).partitionsToOffsetAndMetadata()
        .get(10, TimeUnit.SECONDS).values()) {
      committed += o == null ? 0 : o.offset();
    }
    return new LagSample(now, produced, committed, 0);
  }

  /** Waits until the scorer's consumer is a member of its group (the group is named after the topic). */
  private boolean awaitJoined(Admin admin, ChildProcess scorer) throws Exception {
    long deadline = System.nanoTime() + s.startTimeout().toNanos();
    while (System.nanoTime() < deadline && scorer.process().isAlive()) {
      try {
        if (!admin.describeConsumerGroups(List.of(topic)).all().get(10, TimeUnit.SECONDS).get(topic).members().isEmpty()) {
          return true;
        }
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // Not there yet: ask again.
      }
      Thread.sleep(250);
    }
    return false;
  }

  /** Waits for the simulator's first event on the topic; its time starts the warm-up. */
  private long awaitFirstEvent(Admin admin, FixedRateLoad load) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      LagSample sample = sample(admin);
      if (sample.produced() > 0) {
        return sample.millis();
      }
      if (load.failure() != null) {
        throw new IOException(load.failure());
      }
      Thread.sleep(50);
    }
    throw new IOException("the simulator sent nothing within 60 s");
  }

  private ChildProcess startScorer(long maxRuntimeSeconds) throws IOException {
    Path log = dir.resolve("score.log");
    ProcessBuilder builder = new ProcessBuilder(scorerCommand(maxRuntimeSeconds)).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("IOTBENCH_SKIP_BUILD", "true");
    // The launcher's JVM flags; no Spark web UI (a port, and work) in a benchmark.
    // Spark's event log (the listener events, a few MB per minute) gives each micro-batch's jobs and stages.
    String eventLog = "";
    if (runner.equals("spark")) {
      Files.createDirectories(sparkEvents());
      eventLog = " -Dspark.eventLog.enabled=true -Dspark.eventLog.dir=" + sparkEvents().toUri();
    }
    builder.environment().put("JAVA_OPTS", "-Xmx2g -Dspark.ui.enabled=false" + eventLog);
    builder.environment().putIfAbsent("SPARK_LOCAL_IP", "127.0.0.1");
    // Its decisions are already on the broker: no graceful drain is needed, only the whole process tree gone.
    return ChildProcess.start(runner + " scorer", builder, log, Duration.ofSeconds(2), null);
  }

  /** The scorer's command line: the baseline from this JVM's classpath, a runner's {@code score} from the launcher. */
  List<String> scorerCommand(long maxRuntimeSeconds) {
    if (runner.equals(BASELINE)) {
      List<String> command = java("-Xmx1g");
      command.add(BaselineScorer.class.getName());
      command.addAll(List.of("--bootstrapServers=" + s.kafka().bootstrapServers(), "--topic=" + topic,
          "--groupId=" + topic, "--decisionsTopic=" + decisionsTopic, "--model=" + s.model(), "--sensors=100",
          "--interval=" + INTERVAL_MILLIS / 1000.0, "--maxOutOfOrderness=" + Slo.defaultMaxOutOfOrderness(),
          "--maxRuntime=" + maxRuntimeSeconds));
      return command;
    }
    List<String> command = new ArrayList<>(List.of(ProjectLayout.current().launcher().toString(), "score"));
    command.addAll(runnerArgs(runner, s.microBatchMillis(), s.sourceReadShare(), dir));
    command.addAll(List.of("--streaming=true", "--source=kafka", "--kafkaSource=" + s.kafkaSource(),
        "--bootstrapServers=" + s.kafka().bootstrapServers(), "--topic=" + topic, "--groupId=" + topic,
        "--model=" + s.model(), "--sensors=100", "--devices=" + devices, "--interval=" + INTERVAL_MILLIS / 1000.0,
        "--ticks=false", "--maxRuntime=" + maxRuntimeSeconds, "--decisionsTopic=" + decisionsTopic));
    command.addAll(s.scoreArgs());
    return command;
  }

  /** The runner's own options: its preset, and for Spark the micro-batch settings and a fresh checkpoint folder. */
  static List<String> runnerArgs(String runner, long microBatchMillis, double sourceReadShare, Path dir) {
    return switch (runner) {
      case "spark" -> List.of("--preset=spark-local", "--batchIntervalMillis=" + microBatchMillis, "--readTimePercentage=" + sourceReadShare,
          "--checkpointDir=" + dir.resolve("checkpoint").toUri());
      case "flink" -> List.of("--preset=flink");
      case "direct" -> List.of("--preset=direct");
      default -> throw new IllegalArgumentException("unknown runner " + runner);
    };
  }

  /** {@code java} with this JVM's classpath and Java 17 flags, and {@code heap}. */
  private static List<String> java(String heap) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> JAVA17_FLAGS.matcher(a).matches()).forEach(command::add);
    command.add(heap);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    return command;
  }
}
