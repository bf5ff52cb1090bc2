package io.iotbench.pipelines.score;

import io.iotbench.model.SensorEvent;
import io.iotbench.model.scoring.Algorithm;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.DeadLetter;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.common.SensorOptions;
import io.iotbench.pipelines.common.WriteDeadLetters;
import java.io.IOException;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.options.Validation;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Scores a stream of sensor events with a trained portable model, interval by interval and device by device
 * (the original benchmark's {@code iotstream}): reads CSV or JSON events from Kafka, MQTT, a TCP socket or a
 * recorded file; keeps the latest value of every sensor per device (all start at 0.5; a silent sensor keeps
 * its value); scores the vector every {@code --interval} seconds; prints the original's report ({@link ScoreReport};
 * on a cluster the launching JVM prints it from the decision files, {@link FollowDecisionFiles}) and writes
 * the decisions to Kafka and/or files. Malformed events go to dead-letter files. Runs on the DirectRunner,
 * and on the SparkRunner and the FlinkRunner in streaming mode; ends on the sentinel, {@code --maxEvents} or
 * {@code --maxRuntime}.
 *
 * <pre>{@code
 * --source=kafka --bootstrapServers=127.0.0.1:9092 --topic=sensor-events --sensors=100 --interval=1
 * --model=/data/models/lr --runner=SparkRunner --sparkMaster=local[2] --streaming=true
 * --source=socket --host=127.0.0.1 --port=9999 --model=/data/models/lr --runner=DirectRunner
 * }</pre>
 */
public final class ScoreSensorStream {
  static final Set<String> SOURCES = Set.of("kafka", "mqtt", "socket", "file");

  /** Options of {@code iotbench score}. */
  public interface Options extends SensorOptions, StreamingOptions {
    @Description("The trained model: a model folder holding model.json, or the JSON file, at any FileSystems location.")
    @Validation.Required
    String getModel();

    void setModel(String model);

    @Description("Where events come from: kafka, mqtt, socket (lines from --host:--port) or file (--inputFile).")
    @Default.String("socket")
    String getSource();

    void setSource(String source);

    @Description("Event format: csv (the original's line, optional 5th field = device) or json (one message per device and instant).")
    @Default.String("csv")
    String getFormat();

    void setFormat(String format);

    @Description("Number of devices in the stream; the report shows device ids when above 1, and the run ends after this many sentinels.")
    @Default.Integer(1)
    int getDevices();

    void setDevices(int devices);

    @Description("Interval (window) length in seconds; fractions allowed, e.g. 0.5.")
    @Default.Double(1.0)
    double getInterval();

    void setInterval(double seconds);

    @Description("How long after an interval's end its late events are still merged (seconds); later ones are dropped and counted.")
    @Default.Double(5.0)
    double getAllowedLateness();

    void setAllowedLateness(double seconds);

    @Description("Event time: how far behind the newest event time the watermark stays (seconds), i.e. the out-of-orderness tolerated without lateness.")
    @Default.Double(1.0)
    double getMaxOutOfOrderness();

    void setMaxOutOfOrderness(double seconds);

    @Description("event (timestamps from the events) or processing (arrival time, for sources without trustworthy clocks).")
    @Default.String("event")
    String getTimeDomain();

    void setTimeDomain(String timeDomain);

    @Description("socket: host to connect to.")
    @Default.String("127.0.0.1")
    String getHost();

    void setHost(String host);

    @Description("socket: port to connect to.")
    @Default.Integer(9999)
    int getPort();

    void setPort(int port);

    @Description("kafka: bootstrap servers, host:port[,host:port...]; also used by --decisionsTopic.")
    @Default.String("127.0.0.1:9092")
    String getBootstrapServers();

    void setBootstrapServers(String servers);

    @Description("kafka, mqtt: the topic to read events from.")
    @Default.String("sensor-events")
    String getTopic();

    void setTopic(String topic);

    @Description("kafka: consumer group; offsets are committed when Beam finalizes a checkpoint. Default: iotbench-score.")
    String getGroupId();

    void setGroupId(String groupId);

    @Description("kafka: a consumer property as key=value (repeatable), e.g. --kafkaProperty=auto.offset.reset=latest; "
        + "its security entries (security.protocol, sasl.*, ssl.*) also go to the decisions producer.")
    List<String> getKafkaProperty();

    void setKafkaProperty(List<String> properties);

    @Description("mqtt: broker URI.")
    @Default.String("tcp://127.0.0.1:1883")
    String getMqttUri();

    void setMqttUri(String uri);

    @Description("file: the recorded stream, one event record per line, any FileSystems location.")
    String getInputFile();

    void setInputFile(String file);

    @Description("file: batch (a bounded read) or unbounded (a replay with event times and a watermark).")
    @Default.String("batch")
    String getReplay();

    void setReplay(String replay);

    @Description("Stop after this many sensor events (and the intervals they fall in). Default: no limit.")
    Long getMaxEvents();

    void setMaxEvents(Long maxEvents);

    @Description("Stop after this many seconds of running. Default: no limit.")
    Double getMaxRuntime();

    void setMaxRuntime(Double seconds);

    @Description("Stop once every device's sentinel (sensor -1) has been scored, as the original does.")
    @Default.Boolean(true)
    boolean getStopOnSentinel();

    void setStopOnSentinel(boolean stop);

    @Description("Print 'No input' for empty intervals, from a tick per interval. Default: on for kafka, mqtt and socket, off for file (recorded times are not now).")
    Boolean getTicks();

    void setTicks(Boolean ticks);

    @Description("Instant of interval 1's start (ISO-8601). Default: the first event's time for a file, else the start time, floored to the interval.")
    String getOrigin();

    void setOrigin(String origin);

    @Description("Kafka topic to publish the decisions to as JSON. Default: none.")
    String getDecisionsTopic();

    void setDecisionsTopic(String topic);

    @Description("kafka: chunked (our source: records handed to Beam in chunks of lines, offsets committed on "
        + "checkpoint finalization) or kafkaio (Beam's KafkaIO.read, one element per record, a split per partition).")
    @Default.String("chunked")
    String getKafkaSource();

    void setKafkaSource(String kafkaSource);

    @Description("File prefix to write the decisions to as JSON lines (any FileSystems location). Default: none.")
    String getDecisionsOutput();

    void setDecisionsOutput(String prefix);

    @Description("File prefix to write dead letters (payload, stage, error) to as JSON lines. Default: none (counted only).")
    String getDeadLetterOutput();

    void setDeadLetterOutput(String prefix);

    @Description("The longest record (a line or a Kafka/MQTT message) in UTF-8 bytes; a longer one becomes one dead letter (tooLong), never buffered whole.")
    @Default.Integer(65536)
    int getMaxRecordBytes();

    void setMaxRecordBytes(int bytes);

    @Description("Event times more than this many seconds ahead of the wall clock are dead letters (futureTimestamp) and never move the watermark.")
    @Default.Double(60.0)
    double getMaxFutureSkew();

    void setMaxFutureSkew(double seconds);

    @Description("The state of a device silent for this many seconds of event time is released (counted as devicesExpired); a device that comes back starts again from 0.5.")
    @Default.Double(3600.0)
    double getDeviceIdleTimeout();

    void setDeviceIdleTimeout(double seconds);

    @Description("kafka, mqtt, socket: how many seconds the source's connection may be down during a run (broker or "
        + "server unreachable, not answering) before the run fails with exit code 1; the client reconnects meanwhile.")
    @Default.Double(20.0)
    double getSourceOutageLimit();

    void setSourceOutageLimit(double seconds);

    @Description("mqtt: user name for the broker. Default: none.")
    String getUsername();

    void setUsername(String username);

    @Description("mqtt: password for the broker; prefer --passwordFile. Default: none.")
    String getPassword();

    void setPassword(String password);

    @Description("mqtt: a file holding the broker's password (first line). Default: none.")
    String getPasswordFile();

    void setPasswordFile(String file);

    @Description("A Kafka producer property of the decisions producer (--decisionsTopic) as key=value (repeatable), "
        + "e.g. --decisionsKafkaProperty=compression.type=zstd. The producer also gets the security entries of "
        + "--kafkaProperty (security.protocol, sasl.*, ssl.*); an entry here wins on the same key. Default: none.")
    List<String> getDecisionsKafkaProperty();

    void setDecisionsKafkaProperty(List<String> properties);

    @Description("mqtt: the client id of the scorer's subscription, kept across restarts: with it the broker keeps a "
        + "persistent session (clean session off) and redelivers what was not acknowledged. Default: iotbench-score-<topic>.")
    String getClientId();

    void setClientId(String clientId);

    @Description("kafka, mqtt, socket: at the end of a run (sentinels, --maxEvents, --maxRuntime, Ctrl-C) how many "
        + "seconds the scorer waits at most for its last decisions and dead letters to be written before it stops.")
    @Default.Double(30.0)
    double getDrainTimeout();

    void setDrainTimeout(double seconds);

    @Description("Print only the decisions: no start line, no summary, no counters (errors still go to standard error).")
    @Default.Boolean(false)
    boolean getQuiet();

    void setQuiet(boolean quiet);

    @Description("text (the original's lines, each after its time) or json (one JSON object per decision and line on "
        + "standard output: time, device, interval, windowStart, windowEnd, decision, probability, events, flags; the "
        + "other lines go to standard error).")
    @Default.String("text")
    String getReportFormat();

    void setReportFormat(String format);
  }

  /**
   * The scorer's outputs: the parsed events, the per-bundle interval updates (what the empty-interval report
   * counts), the decisions and the dead letters.
   */
  public record Outputs(PCollection<SensorEvent> events, PCollection<KV<String, IntervalUpdate>> bundleUpdates,
      PCollection<Decision> decisions, PCollection<DeadLetter> deadLetters) {}

  private ScoreSensorStream() {}

  public static void main(String[] args) {
    Cli.main("score", args, Options.class, options -> exitCode(run(options)));
  }

  /** The run's source failed: the command fails with its cause as the one error line (exit code 1). */
  public static final class SourceFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    SourceFailedException(String cause) {
      super(cause);
    }
  }

  /** The command's exit code for an ended run: 1 if the pipeline failed, else 0. */
  public static int exitCode(RunOutcome outcome) {
    return outcome.failed() ? Cli.EXIT_FAILED : 0;
  }

  /** Checks option values before anything starts; throws {@link InvalidOptionException} naming the option. */
  public static void validate(Options o) {
    InvalidOptionException.check(SOURCES.contains(o.getSource()), "source", o.getSource(), "expected kafka, mqtt, socket or file");
    EventFormat.named(o.getFormat());
    InvalidOptionException.check(o.getSensors() > 0, "sensors", o.getSensors(), "must be a positive number of sensors");
    InvalidOptionException.check(o.getDevices() > 0, "devices", o.getDevices(), "must be a positive number of devices");
    InvalidOptionException.check(millis(o.getInterval()) >= 1 && Double.isFinite(o.getInterval()), "interval", o.getInterval(),
        "must be a positive number of seconds (at least 0.001)");
    InvalidOptionException.check(o.getAllowedLateness() >= 0 && Double.isFinite(o.getAllowedLateness()), "allowedLateness",
        o.getAllowedLateness(), "must be >= 0 seconds");
    InvalidOptionException.check(o.getMaxOutOfOrderness() >= 0 && Double.isFinite(o.getMaxOutOfOrderness()), "maxOutOfOrderness",
        o.getMaxOutOfOrderness(), "must be >= 0 seconds");
    InvalidOptionException.check(Set.of("event", "processing").contains(o.getTimeDomain()), "timeDomain", o.getTimeDomain(),
        "expected event or processing");
    InvalidOptionException.check(o.getPort() > 0 && o.getPort() < 65536, "port", o.getPort(), "must be a TCP port (1..65535)");
    InvalidOptionException.check(Set.of("batch", "unbounded").contains(o.getReplay()), "replay", o.getReplay(), "expected batch or unbounded");
    InvalidOptionException.check(Set.of("chunked", "kafkaio").contains(o.getKafkaSource()), "kafkaSource", o.getKafkaSource(),
        "expected chunked or kafkaio");
    if ("file".equals(o.getSource())) {
      InvalidOptionException.check(o.getInputFile() != null && !o.getInputFile().isBlank(), "inputFile", o.getInputFile(),
          "--source=file needs the recorded stream");
    }
    InvalidOptionException.check(o.getMaxFutureSkew() >= 0 && Double.isFinite(o.getMaxFutureSkew()), "maxFutureSkew",
        o.getMaxFutureSkew(), "must be >= 0 seconds");
    InvalidOptionException.check(o.getMaxRecordBytes() > 0, "maxRecordBytes", o.getMaxRecordBytes(), "must be a positive number of bytes");
    InvalidOptionException.check(o.getMaxEvents() == null || o.getMaxEvents() > 0, "maxEvents", o.getMaxEvents(), "must be positive");
    InvalidOptionException.check(o.getMaxRuntime() == null || o.getMaxRuntime() > 0, "maxRuntime", o.getMaxRuntime(), "must be positive");
    InvalidOptionException.check(o.getSourceOutageLimit() >= 0 && Double.isFinite(o.getSourceOutageLimit()), "sourceOutageLimit",
        o.getSourceOutageLimit(), "must be >= 0 seconds");
    InvalidOptionException.check(ScoreReport.FORMATS.contains(o.getReportFormat()), "reportFormat", o.getReportFormat(),
        "expected text or json");
    // On a cluster the DoFns print into the executors' logs: this console follows the decision files or topic instead.
    InvalidOptionException.check(o.getDecisionsOutput() != null || o.getDecisionsTopic() != null || ReportPlacement.inThisJvm(o),
        "runner", o.getRunner().getSimpleName(), "its DoFns run on a cluster, where their report lines would not reach this console;"
            + " add --decisionsOutput=PREFIX or --decisionsTopic=TOPIC and the report follows the decisions there");
    InvalidOptionException.check(o.getDrainTimeout() >= 0 && Double.isFinite(o.getDrainTimeout()), "drainTimeout",
        o.getDrainTimeout(), "must be >= 0 seconds");
    if (o.getOrigin() != null) {
      try {
        java.time.Instant.parse(o.getOrigin());
      } catch (DateTimeParseException e) {
        throw new InvalidOptionException("--origin=" + o.getOrigin() + ": expected an ISO-8601 instant, e.g. 2018-01-13T21:37:30Z");
      }
    }
    // Longer than the lateness: no late interval from before a device's expiry can reach its fresh state.
    InvalidOptionException.check(Double.isFinite(o.getDeviceIdleTimeout()) && o.getDeviceIdleTimeout() > o.getAllowedLateness(),
        "deviceIdleTimeout", o.getDeviceIdleTimeout(), "must be a number of seconds larger than --allowedLateness");
    ReadEventRecords.clientProperties(o.getKafkaProperty());
    WriteDecisions.producerProperties(o);
    if ("mqtt".equals(o.getSource())) {
      ReadEventRecords.mqttClientId(o);
    }
  }

  static boolean processingTime(Options o) {
    return "processing".equals(o.getTimeDomain());
  }

  static long millis(double seconds) {
    return Math.round(seconds * 1000);
  }

  /** Whether empty intervals are reported from ticks. */
  static boolean ticks(Options o) {
    return o.getTicks() != null ? o.getTicks() : !"file".equals(o.getSource());
  }

  /** Adds the whole scorer to {@code pipeline}: read, parse, score, report, write. */
  public static Outputs buildPipeline(Pipeline pipeline, Options o, IntervalNumbering numbering) {
    PCollection<String> records = pipeline.apply("ReadEventRecords", new ReadEventRecords(o));
    Outputs outputs = scoreRecords(records, o, numbering, true);
    ScoreReport report = ScoreReport.of(o);
    boolean print = ReportPlacement.inThisJvm(o);
    outputs.decisions().apply("ReportDecisions", new ReportIntervals.PrintDecisions(report, print));
    if (ticks(o)) {
      outputs.bundleUpdates().apply("ReportEmptyIntervals",
          new ReportIntervals.PrintEmptyIntervals(
              new Ticks(Duration.millis(millis(o.getInterval()))),
              Duration.millis(millis(o.getInterval())), Duration.millis(millis(o.getAllowedLateness())), numbering,
              report, print));
    }
    if (o.getDecisionsTopic() != null) {
      outputs.decisions().apply("WriteDecisionsToKafka", new WriteDecisions.ToKafka(o.getBootstrapServers(), o.getDecisionsTopic(),
          WriteDecisions.producerProperties(o)));
    }
    if (o.getDecisionsOutput() != null) {
      outputs.decisions()
          .apply("DecisionsAsJson", MapElements.into(TypeDescriptors.strings()).via(Decision::toJson))
          .apply("WriteDecisionFiles", new WriteDecisions.ToFiles(o.getDecisionsOutput(), WriteDecisions.DECISIONS));
    }
    if (o.getDeadLetterOutput() != null) {
      outputs.deadLetters().apply("WriteDeadLetterFiles", new WriteDeadLetters(new WriteDecisions.ToFiles(o.getDeadLetterOutput(), WriteDecisions.DEAD_LETTERS)));
    }
    return outputs;
  }

  /** Parse → score: the part of the graph that tests drive with TestStream or CreateStream. */
  public static Outputs scoreRecords(
      PCollection<String> records, Options o, IntervalNumbering numbering, boolean stampEventTimes) {
    PCollectionTuple parsed = records.apply("ParseEvents",
        new ParseEvents(RecordRules.of(ReadEventRecords.recordSettings(o), o.getSensors()),
            stampEventTimes && !processingTime(o)));
    PCollection<SensorEvent> events = parsed.get(ParseEvents.EVENTS);
    ScoreIntervals score = new ScoreIntervals(Duration.millis(millis(o.getInterval())),
        Duration.millis(millis(o.getAllowedLateness())), o.getSensors(), o.getModel(), numbering,
        Duration.millis(millis(o.getDeviceIdleTimeout())), RunnerSettings.timersInStreaming(o));
    PCollection<KV<String, IntervalUpdate>> bundleUpdates = events.apply("IntervalUpdates", score.bundleUpdates());
    PCollection<Decision> decisions = bundleUpdates.apply("ScoreIntervals", score.scoreUpdates());
    return new Outputs(events, bundleUpdates, decisions, parsed.get(ParseEvents.DEAD_LETTERS));
  }

  /**
   * Validates, checks the storage locations and the model, runs the scorer until the input ends (file), every
   * device's sentinel was scored, {@code --maxEvents} events were read or {@code --maxRuntime} passed, then
   * prints the original's summary line and the counters. Returns how the run ended.
   */
  public static RunOutcome run(Options o) throws IOException {
    validate(o);
    StartChecks.checkLocations(o);
    Algorithm algorithm = StartChecks.checkModel(o);
    // Last: a wrong model or location is reported at once, not after waiting for a socket server.
    StartChecks.checkSource(o);
    ScoreReport report = ScoreReport.of(o);
    report.printStart(ScoreReport.startLine(o, algorithm));
    boolean bounded = ReadEventRecords.isBounded(o);
    if (!bounded) {
      RunnerSettings.forUnboundedRun(o);
    }
    IntervalNumbering numbering = IntervalNumbering.of(o);
    Pipeline pipeline = Pipeline.create(o);
    buildPipeline(pipeline, o, numbering);
    RunOutcome outcome;
    if (ReportPlacement.inThisJvm(o)) {
      outcome = RunMonitor.runToEnd(pipeline, o, bounded);
    } else {
      try (FollowDecisions follow = followDecisions(o, report::print)) {
        outcome = RunMonitor.runToEnd(pipeline, o, bounded);
      }
    }
    report.lines(RunSummary.of(outcome).lines());
    if (outcome.sourceFailure() != null) {
      throw new SourceFailedException(outcome.sourceFailure());
    }
    return outcome;
  }

  /** The decision files when the run writes them, else its decisions topic. */
  private static FollowDecisions followDecisions(Options o, java.util.function.Consumer<Decision> print) {
    if (o.getDecisionsOutput() != null) {
      return FollowDecisionFiles.start(o.getDecisionsOutput(), print);
    }
    java.util.Map<String, String> security = new java.util.TreeMap<>();
    WriteDecisions.producerProperties(o).forEach((k, v) -> {
      if (WriteDecisions.isSecuritySetting(k)) {
        security.put(k, v);
      }
    });
    return FollowDecisionsTopic.start(o.getBootstrapServers(), o.getDecisionsTopic(), security, print);
  }
}
