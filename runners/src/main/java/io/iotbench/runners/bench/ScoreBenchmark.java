package io.iotbench.runners.bench;

import io.iotbench.model.support.Folders;
import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.pipelines.score.DecisionsTopic;
import io.iotbench.pipelines.score.ReportIntervals;
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
 * {@code iotbench bench-score}: the scorer benchmark. Starts a Kafka broker (a child JVM on 127.0.0.1), pre-loads
 * one topic per device count with {@code --events} simulated events (100 sensors), times a plain KafkaConsumer loop
 * over the topic, then scores it with {@code score} on the SparkRunner {@code local[2]} ({@code --streaming=true},
 * 1 s interval) in this JVM, which publishes its decisions to a Kafka topic. Reports, per device count: sustained
 * events/s (events &divide; time between the first and the last decision), the decision latency p50/p99 (the time
 * the broker appended the decision to the decisions topic &minus; its window's end; over the whole run and over the
 * second half of the scoring span, once the start-up lag of the first micro-batches could drain), and the plain
 * consumer's records/s. Ends with one line {@code RESULT devices_1_events_per_s=... devices_1_p50_latency_s=...
 * ... devices_1000_consumer_events_per_s=...}.
 *
 * <pre>{@code
 * iotbench bench-score --events=2000000 --deviceCounts=1 --scoreArgs="--maxRecordsPerBatch=400"
 * }</pre>
 */
@Command(
    name = "bench-score",
    synopsisHeading = "",
    customSynopsis = "usage: iotbench bench-score [--option=value ...]",
    description = "Benchmarks the scorer on the SparkRunner local[2] over a pre-loaded Kafka topic.",
    optionListHeading = Commands.OPTION_LIST_HEADING,
    sortOptions = false)
public final class ScoreBenchmark implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Commands.HelpOption help;

  @Option(names = "--events", paramLabel = "N", defaultValue = "10000000",
      description = "Events to pre-load per device count [${DEFAULT-VALUE}]")
  long events;

  @Option(names = "--deviceCounts", defaultValue = "1,1000", split = ",", paramLabel = "N",
      description = "Device counts to run, comma-separated [${DEFAULT-VALUE}]")
  List<Integer> deviceCounts;

  @Option(names = "--topicPartitions", paramLabel = "N", defaultValue = "2",
      description = "Partitions of each pre-loaded topic [${DEFAULT-VALUE}]")
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
      description = "If set, a file per device count (PATH-DEVICES.txt) with the report line of every decision the "
          + "scorer published, each prefixed with the time it was published in milliseconds after the start of "
          + "interval 1: the timeline behind the figures [none]")
  String decisionLog;

  @Option(names = "--scoreArgs", paramLabel = "ARGS", defaultValue = "",
      description = "More options for the scorer, space-separated, after the benchmark's own (a later one wins), "
          + "e.g. \"--maxRecordsPerBatch=400\": the SparkRunner's cap on the source's elements per micro-batch; each "
          + "element of our Kafka source is a chunk of up to 1,000 lines [none]")
  String scoreArgs;

  @Option(names = "--runTimeoutSeconds", paramLabel = "SECONDS", defaultValue = "1800",
      description = "Seconds a scoring run may take at most [${DEFAULT-VALUE}]")
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
    Path work = Files.createTempDirectory("iotbench-bench-score");
    List<ScoreFigures> all = new ArrayList<>();
    try (KafkaFixture kafka = KafkaFixture.start()) {
      ScorerRun.Settings settings = new ScorerRun.Settings(ScorerRun.writeModel(work.resolve("model")), work,
          kafkaSource, microBatchMillis, sourceReadShare, runTimeoutSeconds,
          Arrays.stream(scoreArgs.strip().split("\\s+")).filter(a -> !a.isEmpty()).toList());
      for (int devices : deviceCounts) {
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

  private void validate() {
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
