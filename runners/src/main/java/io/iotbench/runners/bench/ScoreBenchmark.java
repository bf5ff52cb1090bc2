package io.iotbench.runners.bench;

import io.iotbench.model.scoring.PortableModel;
import io.iotbench.model.support.Folders;
import io.iotbench.model.support.Stats;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.score.ScoreSensorStream;
import io.iotbench.pipelines.score.source.KafkaLineSource;
import io.iotbench.simulator.Clock;
import io.iotbench.simulator.Simulate;
import io.iotbench.simulator.broker.KafkaBrokerProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code iotbench bench-score}: issue 5's scorer benchmark. Starts a Kafka broker (a child JVM on 127.0.0.1),
 * pre-loads one topic per device count with {@code --events} simulated events (100 sensors), times a plain
 * KafkaConsumer loop over the topic, then scores it with {@code score} on the SparkRunner {@code local[2]}
 * ({@code --streaming=true}, 1 s interval) in this JVM. Reports, per device count: sustained events/s (events
 * &divide; time between the first and the last decision), the decision latency p50/p99 (wall time the decision's
 * report line was printed &minus; its window's end; over the whole run and over the second half of the scoring span,
 * once the start-up lag of the first micro-batches could drain), and the plain consumer's records/s.
 *
 * <p>Pre-loaded events carry the time they were loaded, so with event time every window would end long before it
 * is scored and the "latency" would measure the age of the data. The benchmark therefore scores in the processing
 * time domain ({@code --timeDomain=processing}, windows of the wall clock while the topic is drained) and fixes
 * interval 1 with {@code --origin}, so that each decision's window end is known. Ends with one line
 * {@code RESULT devices_1_events_per_s=... devices_1_p50_latency_s=... ... devices_1000_consumer_events_per_s=...}.
 */
public final class ScoreBenchmark {
  private static final Pattern REPORT =
      Pattern.compile("Interval (-?\\d+)(, device [^:]+)?: (Everything is OK|Attention needed|No input).*");

  /** Options of the benchmark. */
  public interface Options extends PipelineOptions {
    @Description("Events to pre-load per device count.")
    @Default.Long(10_000_000L)
    long getEvents();

    void setEvents(long events);

    @Description("Device counts to run, comma-separated.")
    @Default.String("1,1000")
    String getDeviceCounts();

    void setDeviceCounts(String deviceCounts);

    @Description("Partitions of each pre-loaded topic.")
    @Default.Integer(2)
    int getTopicPartitions();

    void setTopicPartitions(int topicPartitions);

    @Description("score's Kafka source: chunked or kafkaio (see score --help).")
    @Default.String("chunked")
    String getKafkaSource();

    void setKafkaSource(String kafkaSource);

    // Not --batchIntervalMillis: SparkPipelineOptions declares it with another default (Cli's option naming rule).
    @Description("Spark micro-batch interval of the scorer, in milliseconds.")
    @Default.Long(1000L)
    long getMicroBatchMillis();

    void setMicroBatchMillis(long microBatchMillis);

    // Not --readTimePercentage: SparkPipelineOptions declares it (default 0.1) and the scorer takes it from there.
    @Description("Share of each Spark micro-batch the scorer spends reading Kafka (SparkRunner's "
        + "readTimePercentage; Beam's default 0.1, with a 200 ms floor, caps what one batch can take in: "
        + "296,296 events/s at 0.1 against 560,067 at 0.5 over 2,000,000 events of 1 device).")
    @Default.Double(0.5)
    double getSourceReadShare();

    void setSourceReadShare(double sourceReadShare);

    @Description("If set, a file per device count (PATH-DEVICES.txt) with every report line of the scorer, each "
        + "prefixed with its wall time in milliseconds after the start of interval 1: the timeline behind the figures.")
    String getDecisionLog();

    void setDecisionLog(String decisionLog);

    @Description("More options for the scorer, space-separated, after the benchmark's own (a later one wins), e.g. "
        + "\"--maxRecordsPerBatch=400\": the SparkRunner's cap on the source's elements per micro-batch; each element "
        + "of our Kafka source is a chunk of up to 1,000 lines.")
    @Default.String("")
    String getScoreArgs();

    void setScoreArgs(String scoreArgs);

    @Description("Seconds a scoring run may take at most.")
    @Default.Integer(1800)
    int getRunTimeoutSeconds();

    void setRunTimeoutSeconds(int runTimeoutSeconds);
  }

  private ScoreBenchmark() {}

  public static void main(String[] args) {
    Cli.main("bench-score", args, Options.class, ScoreBenchmark::run);
  }

  /** One device count's figures. */
  record Figures(int devices, double eventsPerSecond, double p50, double p99, double lateP50, double lateP99,
      double consumerPerSecond, long decisions) {}

  public static int run(Options o) throws Exception {
    InvalidOptionException.check(o.getEvents() > 0, "events", o.getEvents(), "must be positive");
    InvalidOptionException.check(o.getSourceReadShare() > 0 && o.getSourceReadShare() < 1, "sourceReadShare",
        o.getSourceReadShare(), "must be between 0 and 1");
    InvalidOptionException.check(o.getTopicPartitions() > 0, "topicPartitions", o.getTopicPartitions(), "must be positive");
    List<Integer> deviceCounts = new ArrayList<>();
    for (String d : o.getDeviceCounts().split(",")) {
      try {
        deviceCounts.add(Integer.parseInt(d.strip()));
      } catch (NumberFormatException e) {
        throw new InvalidOptionException("--deviceCounts=" + o.getDeviceCounts() + ": '" + d + "' is not a number");
      }
    }
    Path work = Files.createTempDirectory("iotbench-bench-score");
    Path model = writeModel(work.resolve("model"));
    List<Figures> all = new ArrayList<>();
    try (KafkaBrokerProcess kafka = KafkaBrokerProcess.start(0, List.of("-Xmx1g"))) {
      for (int devices : deviceCounts) {
        String topic = "bench-score-" + devices;
        createTopic(kafka.bootstrapServers(), topic, o.getTopicPartitions());
        ConsoleReport.progress(String.format(Locale.ROOT, "Pre-loading %,d events of %d device(s) into %s ...",
            o.getEvents(), devices, topic));
        preload(kafka.bootstrapServers(), topic, o.getEvents(), devices);
        double consumer = plainConsumerRate(kafka.bootstrapServers(), topic, o.getEvents() + devices);
        ConsoleReport.progress(String.format(Locale.ROOT, "Plain KafkaConsumer: %,.0f records/s; scoring ...", consumer));
        Figures f = score(o, kafka.bootstrapServers(), topic, devices, model, work, consumer);
        all.add(f);
        ConsoleReport.line(String.format(Locale.ROOT,
            "%d device(s): %,.0f events/s sustained, decision latency p50 %.2f s, p99 %.2f s (%d decisions; in the "
                + "second half of the run p50 %.2f s, p99 %.2f s); plain consumer %,.0f records/s (scorer at %.0f%% of it)",
            devices, f.eventsPerSecond(), f.p50(), f.p99(), f.decisions(), f.lateP50(), f.lateP99(), consumer,
            100 * f.eventsPerSecond() / consumer));
      }
    } finally {
      Folders.deleteQuietly(work);
    }
    StringBuilder result = new StringBuilder("RESULT");
    for (Figures f : all) {
      String p = " devices_" + f.devices() + "_";
      result.append(String.format(Locale.ROOT, "%sevents_per_s=%.0f%sp50_latency_s=%.3f%sp99_latency_s=%.3f"
          + "%ssecond_half_p50_latency_s=%.3f%ssecond_half_p99_latency_s=%.3f%sconsumer_events_per_s=%.0f",
          p, f.eventsPerSecond(), p, f.p50(), p, f.p99(), p, f.lateP50(), p, f.lateP99(), p, f.consumerPerSecond()));
    }
    ConsoleReport.line(result.toString());
    return 0;
  }

  private static Figures score(Options o, String bootstrap, String topic, int devices, Path model, Path work,
      double consumer) throws Exception {
    long origin = (System.currentTimeMillis() / 1000 + 1) * 1000;
    List<String> args = new ArrayList<>(List.of("--runner=SparkRunner", "--sparkMaster=local[2]", "--streaming=true",
        "--batchIntervalMillis=" + o.getMicroBatchMillis(), "--checkpointDir=" + work.resolve("cp-" + devices).toUri(),
        "--source=kafka", "--kafkaSource=" + o.getKafkaSource(), "--bootstrapServers=" + bootstrap, "--topic=" + topic,
        "--groupId=" + topic, "--model=" + model, "--sensors=100", "--devices=" + devices, "--interval=1",
        "--timeDomain=processing", "--origin=" + Instant.ofEpochMilli(origin), "--ticks=false",
        "--readTimePercentage=" + o.getSourceReadShare(), "--maxRuntime=" + o.getRunTimeoutSeconds()));
    for (String extra : o.getScoreArgs().strip().split("\\s+")) {
      if (!extra.isEmpty()) {
        args.add(extra);
      }
    }
    TimedLines lines = new TimedLines();
    PrintStream oldOut = System.out;
    System.setOut(new PrintStream(lines, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Cli.execute("score", args.toArray(String[]::new), ScoreSensorStream.Options.class,
          opts -> ScoreSensorStream.exitCode(ScoreSensorStream.run(opts)));
    } finally {
      System.setOut(oldOut);
    }
    if (code != 0) {
      throw new IllegalStateException("score exited " + code + ": " + String.join(" | ", lines.last(3)));
    }
    if (o.getDecisionLog() != null) {
      List<String> timeline = new ArrayList<>();
      lines.lines.forEach(l -> timeline.add((l.wallMillis() - origin) + " " + l.text()));
      Files.write(Path.of(o.getDecisionLog() + "-" + devices + ".txt"), timeline, StandardCharsets.UTF_8);
    }
    Latencies l = Latencies.of(lines, origin);
    return new Figures(devices, o.getEvents() / l.seconds(), Stats.percentile(l.all(), 50), Stats.percentile(l.all(), 99),
        Stats.percentile(l.secondHalf(), 50), Stats.percentile(l.secondHalf(), 99), consumer, l.all().size());
  }

  /**
   * The decisions' latencies (wall time of the report line &minus; its window's end, in seconds), all and those of
   * the second half of the scoring span, and the span itself in seconds.
   */
  record Latencies(List<Double> all, List<Double> secondHalf, double seconds) {
    static Latencies of(TimedLines lines, long origin) {
      List<TimedLines.Line> decided = new ArrayList<>();
      List<Double> all = new ArrayList<>();
      for (TimedLines.Line line : lines.lines) {
        Matcher m = REPORT.matcher(line.text());
        if (m.matches() && !"No input".equals(m.group(3))) {
          decided.add(line);
          all.add((line.wallMillis() - (origin + Long.parseLong(m.group(1)) * 1000)) / 1000.0);
        }
      }
      if (decided.isEmpty()) {
        throw new IllegalStateException("score made no decisions: " + String.join(" | ", lines.last(3)));
      }
      long first = decided.stream().mapToLong(TimedLines.Line::wallMillis).min().getAsLong();
      long last = decided.stream().mapToLong(TimedLines.Line::wallMillis).max().getAsLong();
      // The second half of the scoring span, once the start-up lag of the first micro-batches has had time to drain.
      long half = first + (last - first) / 2;
      List<Double> secondHalf = new ArrayList<>();
      for (int i = 0; i < decided.size(); i++) {
        if (decided.get(i).wallMillis() >= half) {
          secondHalf.add(all.get(i));
        }
      }
      // At least one interval: a small run scored within one interval (one decision, or all in one burst) is timed
      // as that interval.
      return new Latencies(all, secondHalf, Math.max(1.0, (last - first) / 1000.0));
    }
  }

  /** Standard output, split into lines, each with the wall time it was completed. */
  static final class TimedLines extends OutputStream {
    record Line(String text, long wallMillis) {}

    final List<Line> lines = new ArrayList<>();
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        lines.add(new Line(current.toString(StandardCharsets.UTF_8).replaceAll("\u001B\\[[0-9;]*m", ""),
            System.currentTimeMillis()));
        current.reset();
      } else {
        current.write(b);
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      for (int i = off; i < off + len; i++) {
        write(b[i]);
      }
    }

    synchronized List<String> last(int n) {
      return lines.subList(Math.max(0, lines.size() - n), lines.size()).stream().map(Line::text).toList();
    }
  }

  private static Path writeModel(Path dir) throws IOException {
    // The generator's labeling rule as a model: weight i for sensor i, cutoff at the default 0.25*n*(n+1).
    double[] w = new double[100];
    for (int i = 0; i < 100; i++) {
      w[i] = (i + 1) / 100.0;
    }
    Files.createDirectories(dir);
    try (OutputStream out = Files.newOutputStream(dir.resolve(PortableModel.FILE_NAME))) {
      PortableModel.logisticRegression(w, -25.25, 0.5, Map.of()).write(out);
    }
    return dir;
  }

  private static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
    Properties p = new Properties();
    p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(p)) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }
  }

  private static void preload(String bootstrap, String topic, long events, int devices) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Simulate.run(new String[] {"--sink=kafka", "--bootstrapServers=" + bootstrap, "--topic=" + topic,
        "--rate=0", "--total=" + events, "--sensors=100", "--devices=" + devices},
        OutputStream.nullOutputStream(), new PrintStream(OutputStream.nullOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8), Clock.SYSTEM);
    if (status != 0) {
      throw new IllegalStateException("pre-loading " + topic + " failed: " + err.toString(StandardCharsets.UTF_8).strip());
    }
  }

  private static double plainConsumerRate(String bootstrap, String topic, long expected) {
    Properties p = new Properties();
    p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
    KafkaLineSource.FETCH_DEFAULTS.forEach(p::setProperty); // the scorer's own fetch settings
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(topic).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
      c.assign(parts);
      c.seekToBeginning(parts);
      long n = 0;
      long start = System.nanoTime();
      long deadline = start + Duration.ofMinutes(5).toNanos();
      while (n < expected && System.nanoTime() < deadline) {
        for (var r : c.poll(Duration.ofMillis(200))) {
          n += r.value().length > 0 ? 1 : 0;
        }
      }
      return n / ((System.nanoTime() - start) / 1e9);
    }
  }
}
