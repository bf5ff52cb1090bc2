package io.iotbench.runners.bench;

import io.iotbench.model.support.Folders;
import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.pipelines.score.DecisionsTopic;
import io.iotbench.pipelines.score.ReportIntervals;
import io.iotbench.runners.ProjectLayout;
import io.iotbench.simulator.cli.Commands;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotbench bench-score}: the scorer benchmark, in two modes.
 *
 * <p>{@code --mode=capacity} (the default) measures the scorer's capacity at a latency SLO, as stream benchmarks
 * do (Theodolite, ShuffleBench): the simulator sends at a fixed rate into a Kafka broker (child JVMs on 127.0.0.1),
 * each scorer (the runners of {@code --runners}, and a plain single-threaded {@link BaselineScorer}) scores it in a
 * child JVM, and after a warm-up the measured span yields the decision latency (the broker's append time of each
 * decision &minus; its window's end) and the lag trend. A rate is sustained when p99 &le; the scorer's default
 * {@code --maxOutOfOrderness} + 1 s and the lag slope &le; 1% of the rate; the capacity is the highest sustained
 * rate, searched by ramping and bisecting ({@link RateSearch}) or taken over {@code --rates}. Writes a table, a
 * CSV and PNG charts, and ends with {@code RESULT spark_d1_capacity_events_per_s=... spark_d1_p50_latency_s=...
 * spark_d1_p99_latency_s=... ... baseline_d1_capacity_events_per_s=...} (docs/bench-score.md).
 *
 * <p>{@code --mode=backlog} pre-loads one topic per device count with {@code --events} simulated events (100
 * sensors), times a plain KafkaConsumer loop over the topic, then scores it with {@code score} on the SparkRunner
 * {@code local[2]} ({@code --streaming=true}, 1 s interval) in this JVM, which publishes its decisions to a Kafka
 * topic. Reports, per device count: sustained events/s (events &divide; time between the first and the last
 * decision), the decision latency p50/p99 (mostly the age of the backlog), and the plain consumer's records/s;
 * ends with {@code RESULT devices_1_events_per_s=... devices_1_p50_latency_s=... ...}.
 *
 * <pre>{@code
 * iotbench bench-score --runners=spark,flink,direct --deviceCounts=1,1000,10000
 * iotbench bench-score --runners=spark --deviceCounts=1 --rates=20000,50000 --warmupSeconds=15 --measureSeconds=30
 * iotbench bench-score --mode=backlog --events=2000000 --deviceCounts=1 --scoreArgs="--maxRecordsPerBatch=400"
 * }</pre>
 */
@Command(
    name = "bench-score",
    synopsisHeading = "",
    customSynopsis = "usage: iotbench bench-score [--option=value ...]",
    description = "Measures the scorer's capacity at a latency SLO on each runner and a plain baseline (fixed-rate "
        + "live load into Kafka), or its catch-up rate over a pre-loaded topic (--mode=backlog).",
    optionListHeading = Commands.OPTION_LIST_HEADING,
    sortOptions = false)
public final class ScoreBenchmark implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Commands.HelpOption help;

  @Option(names = "--mode", paramLabel = "MODE", defaultValue = "capacity",
      description = "capacity (fixed-rate live load, capacity at the latency SLO) or backlog (drain a pre-loaded "
          + "topic on the SparkRunner) [${DEFAULT-VALUE}]")
  String mode;

  @Option(names = "--deviceCounts", split = ",", paramLabel = "N",
      description = "Device counts to run, comma-separated [capacity: 1,1000,10000; backlog: 1,1000]")
  List<Integer> deviceCounts;

  @Option(names = "--runners", split = ",", paramLabel = "RUNNER", defaultValue = "spark,flink",
      description = "capacity: runners to measure, comma-separated: spark (local[2]), flink (embedded, parallelism 2), "
          + "direct [${DEFAULT-VALUE}]")
  List<String> runners;

  @Option(names = "--baseline", paramLabel = "true|false", arity = "0..1", defaultValue = "true", fallbackValue = "true",
      description = "capacity: also measure the plain single-threaded baseline scorer [${DEFAULT-VALUE}]")
  boolean baseline;

  @Option(names = "--rates", split = ",", paramLabel = "EVENTS_PER_S",
      description = "capacity: measure these offered rates (events/s, comma-separated) instead of searching [none]")
  List<Double> rates;

  @Option(names = "--startRate", paramLabel = "EVENTS_PER_S", defaultValue = "10000",
      description = "capacity: the search's first rate; doubled while the SLO is met, halved while it is missed, "
          + "then bisected to within 5%% [${DEFAULT-VALUE}]")
  double startRate;

  @Option(names = "--maxSearchSteps", paramLabel = "N", defaultValue = "10",
      description = "capacity: the most rates one search measures (bounds its time: each takes warm-up + measured "
          + "span + start and drain) [${DEFAULT-VALUE}]")
  int maxSearchSteps;

  @Option(names = "--warmupSeconds", paramLabel = "SECONDS", defaultValue = "30",
      description = "capacity: seconds of load before the measured span [${DEFAULT-VALUE}]")
  int warmupSeconds;

  @Option(names = "--measureSeconds", paramLabel = "SECONDS", defaultValue = "60",
      description = "capacity: seconds of the measured span per rate [${DEFAULT-VALUE}]")
  int measureSeconds;

  @Option(names = "--startTimeoutSeconds", paramLabel = "SECONDS", defaultValue = "180",
      description = "capacity: how long a scorer may take to join its consumer group before the rate counts as "
          + "missed [${DEFAULT-VALUE}]")
  int startTimeoutSeconds;

  @Option(names = "--output", paramLabel = "DIR",
      description = "capacity: folder for capacity.csv and the PNG charts [a new temporary folder, printed]")
  Path output;

  @Option(names = "--events", paramLabel = "N", defaultValue = "10000000",
      description = "backlog: events to pre-load per device count [${DEFAULT-VALUE}]")
  long events;

  @Option(names = "--topicPartitions", paramLabel = "N", defaultValue = "2",
      description = "Partitions of each events topic [${DEFAULT-VALUE}]")
  int topicPartitions;

  @Option(names = "--kafkaSource", paramLabel = "SOURCE", defaultValue = "chunked",
      description = "score's Kafka source: chunked or kafkaio (see score --help) [${DEFAULT-VALUE}]")
  String kafkaSource;

  // The scorer's --batchIntervalMillis.
  @Option(names = "--microBatchMillis", paramLabel = "MILLIS", defaultValue = "1000",
      description = "Spark micro-batch interval of the scorer, in milliseconds [${DEFAULT-VALUE}]")
  long microBatchMillis;

  // The scorer's --readTimePercentage.
  @Option(names = "--sourceReadShare", paramLabel = "SHARE", defaultValue = "0.5",
      description = "Share of each Spark micro-batch the scorer spends reading Kafka (SparkRunner's "
          + "readTimePercentage; Beam's default 0.1, with a 200 ms floor, caps what one batch can take in) [${DEFAULT-VALUE}]")
  double sourceReadShare;

  @Option(names = "--decisionLog", paramLabel = "PATH",
      description = "backlog: if set, a file per device count (PATH-DEVICES.txt) with the report line of every decision the "
          + "scorer published, each prefixed with the time it was published in milliseconds after the start of "
          + "interval 1: the timeline behind the figures [none]")
  String decisionLog;

  @Option(names = "--scoreArgs", paramLabel = "ARGS", defaultValue = "",
      description = "More options for the scorer, space-separated, after the benchmark's own (a later one wins), "
          + "e.g. \"--maxRecordsPerBatch=400\": the SparkRunner's cap on the source's elements per micro-batch; each "
          + "element of our Kafka source is a chunk of up to 1,000 lines [none]")
  String scoreArgs;

  @Option(names = "--runTimeoutSeconds", paramLabel = "SECONDS", defaultValue = "1800",
      description = "backlog: seconds a scoring run may take at most [${DEFAULT-VALUE}]")
  int runTimeoutSeconds;

  public static void main(String[] args) {
    System.exit(command().execute(args));
  }

  /** The command, with the error handling of every {@code iotbench} command ({@link Commands}). */
  public static CommandLine command() {
    return Commands.commandLine(new ScoreBenchmark(), System.out, System.err);
  }

  @Override
  public Integer call() throws Exception {
    validate();
    if (mode.equals("capacity")) {
      return capacity();
    }
    Path work = Files.createTempDirectory("iotbench-bench-score");
    List<ScoreFigures> all = new ArrayList<>();
    try (KafkaFixture kafka = KafkaFixture.start()) {
      ScorerRun.Settings settings = new ScorerRun.Settings(ScorerRun.writeModel(work.resolve("model")), work,
          kafkaSource, microBatchMillis, sourceReadShare, runTimeoutSeconds,
          extraScoreArgs());
      for (int devices : devices(List.of(1, 1000))) {
        ScoreFigures f = benchmark(kafka, settings, devices);
        all.add(f);
        ConsoleReport.line(f.line());
      }
    } finally {
      Folders.deleteQuietly(work);
    }
    ConsoleReport.line(ScoreFigures.resultLine(all));
    return 0;
  }

  private Integer capacity() throws Exception {
    List<String> scorers = new ArrayList<>(new java.util.LinkedHashSet<>(runners));
    Path launcher = ProjectLayout.current().launcher();
    if (!scorers.isEmpty() && !Files.isExecutable(launcher)) {
      throw new IllegalStateException("the runners' scorers start through the launcher, and there is none at " + launcher
          + ": run bench-score with runners/bin/iotbench (it sets -Diotbench.root)");
    }
    if (baseline) {
      scorers.add(CapacityRun.BASELINE);
    }
    Path out = output != null ? output : Files.createTempDirectory("iotbench-bench-score-capacity");
    CapacityBenchmark.Plan plan = new CapacityBenchmark.Plan(devices(List.of(1, 1000, 10000)), scorers,
        rates == null ? List.of() : rates, startRate, maxSearchSteps, out);
    Path work = Files.createTempDirectory("iotbench-bench-score");
    try (KafkaFixture kafka = KafkaFixture.start()) {
      CapacityRun.Settings settings = new CapacityRun.Settings(kafka, work, ScorerRun.writeModel(work.resolve("model")),
          Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(measureSeconds), Duration.ofSeconds(startTimeoutSeconds),
          Slo.scorerDefault(), topicPartitions, kafkaSource, microBatchMillis, sourceReadShare, extraScoreArgs());
      CapacityBenchmark.run(plan, settings);
    } finally {
      Folders.deleteQuietly(work);
    }
    return 0;
  }

  private List<Integer> devices(List<Integer> defaults) {
    return deviceCounts == null ? defaults : deviceCounts;
  }

  private List<String> extraScoreArgs() {
    return Arrays.stream(scoreArgs.strip().split("\\s+")).filter(a -> !a.isEmpty()).toList();
  }

  private void validate() {
    if (!mode.equals("capacity") && !mode.equals("backlog")) {
      throw Commands.usage(spec, "--mode=" + mode + ": expected capacity or backlog");
    }
    runners = runners.stream().map(String::strip).filter(r -> !r.isEmpty()).toList(); // --runners= : the baseline only
    for (String r : runners) {
      if (!List.of("spark", "flink", "direct").contains(r)) {
        throw Commands.usage(spec, "--runners=" + r + ": expected spark, flink or direct");
      }
    }
    if (mode.equals("capacity") && !kafkaSource.equals("chunked")) {
      // KafkaIO assigns partitions and never joins the group, so the load could not wait for the scorer to read.
      throw Commands.usage(spec, "--kafkaSource=" + kafkaSource + ": the capacity mode needs the chunked source (the "
          + "load starts once the scorer's consumer has joined its group)");
    }
    if (runners.isEmpty() && !baseline) {
      throw Commands.usage(spec, "--runners: nothing to measure (no runner and --baseline=false)");
    }
    if (deviceCounts != null) {
      deviceCounts.forEach(d -> Commands.check(spec, d > 0, "deviceCounts", "must be positive"));
    }
    if (rates != null) {
      rates.forEach(r -> Commands.check(spec, r > 0, "rates", "must be positive"));
    }
    Commands.check(spec, startRate > 0, "startRate", "must be positive");
    Commands.check(spec, maxSearchSteps > 0, "maxSearchSteps", "must be positive");
    Commands.check(spec, warmupSeconds >= 0, "warmupSeconds", "must be >= 0");
    Commands.check(spec, measureSeconds >= 2, "measureSeconds", "must be at least 2");
    Commands.check(spec, startTimeoutSeconds > 0, "startTimeoutSeconds", "must be positive");
    Commands.check(spec, events > 0, "events", "must be positive");
    if (!(sourceReadShare > 0 && sourceReadShare < 1)) {
      throw Commands.usage(spec, "--sourceReadShare=" + sourceReadShare + ": must be between 0 and 1");
    }
    Commands.check(spec, topicPartitions > 0, "topicPartitions", "must be positive");
  }

  /** One device count: pre-load, the plain consumer, the scorer, its decisions read back from their topic. */
  private ScoreFigures benchmark(KafkaFixture kafka, ScorerRun.Settings settings, int devices) throws Exception {
    String topic = "bench-score-" + devices;
    ConsoleReport.progress(String.format(Locale.ROOT, "Pre-loading %,d events of %d device(s) into %s ...",
        events, devices, topic));
    kafka.preload(topic, topicPartitions, events, devices);
    double consumer = PlainConsumerRate.measure(kafka.bootstrapServers(), topic, events + devices);
    ConsoleReport.progress(String.format(Locale.ROOT, "Plain KafkaConsumer: %,.0f records/s; scoring ...", consumer));
    String decisionsTopic = topic + "-decisions";
    kafka.createDecisionsTopic(decisionsTopic);
    ScorerRun.Result run = ScorerRun.run(settings, kafka.bootstrapServers(), topic, decisionsTopic, devices);
    List<DecisionsTopic.Published> decisions =
        DecisionsTopic.readAll(kafka.bootstrapServers(), decisionsTopic, Duration.ofSeconds(2), Duration.ofMinutes(5));
    if (decisions.isEmpty()) {
      throw run.noDecisions();
    }
    if (decisionLog != null) {
      List<String> timeline = new ArrayList<>();
      decisions.forEach(p -> timeline.add(
          (p.timestampMillis() - run.originMillis()) + " " + ReportIntervals.line(p.decision(), devices > 1)));
      Files.write(Path.of(decisionLog + "-" + devices + ".txt"), timeline, StandardCharsets.UTF_8);
    }
    return ScoreFigures.of(devices, events, Latencies.of(decisions), consumer);
  }
}
