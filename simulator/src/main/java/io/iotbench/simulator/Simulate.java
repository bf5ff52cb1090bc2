package io.iotbench.simulator;

import static io.iotbench.simulator.cli.Commands.VALUE;

import io.iotbench.model.LabelingRule;
import io.iotbench.model.support.ErrorText;
import io.iotbench.simulator.cli.Commands;
import io.iotbench.simulator.sink.EventEncoder;
import io.iotbench.simulator.sink.EventSink;
import io.iotbench.simulator.sink.KafkaProducerOptions;
import io.iotbench.simulator.sink.KafkaSink;
import io.iotbench.simulator.sink.MqttSink;
import io.iotbench.simulator.sink.SinkUnavailableException;
import io.iotbench.simulator.sink.StreamSink;
import io.iotbench.simulator.sink.TcpSink;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code iotbench simulate}: sends simulated sensor events, the original benchmark's CSV lines
 * {@code 2018-01-13T21:37:30.830Z,77,Sensor 77,0.474536} or JSON messages, at an average rate with
 * lognormal waits, for a total count, then one sentinel event (sensor -1) per device, to standard
 * output, the clients of a TCP server, a Kafka topic or an MQTT topic. Optionally a share of the
 * events is held back and arrives out of order with its original timestamp. Progress goes to
 * standard error. Examples:
 *
 * <pre>{@code
 * iotbench simulate --sensors=100 --rate=1000 --total=100000
 * iotbench simulate --sink=tcp --port=9999 --keepOpen=1000s
 * iotbench simulate --sink=kafka --bootstrapServers=127.0.0.1:9092 --topic=sensor-events --rate=0 --total=5000000
 * iotbench simulate --sink=mqtt --mqttUri=tcp://127.0.0.1:1883 --format=json --devices=10
 * iotbench simulate --sink=mqtt --topic='iot/line<device>' --format=json --readingsPerMessage=all --sensors=11 --devices=2 --total=2200
 * iotbench simulate --rate=100 --latePercent=10 --maxDelay=30s
 * }</pre>
 *
 * <p>Exit status: 0 when every event was delivered, 2 for a bad option (one line {@code iotbench
 * simulate: error: --rate=-1: must be >= 0}), 1 when the sink cannot be reached or fails (one line
 * naming the address).
 */
@Command(
    name = "simulate",
    sortOptions = false,
    synopsisHeading = "",
    customSynopsis = "usage: iotbench simulate [--option=value ...]",
    description = "Sends simulated sensor events to stdout, TCP clients, Kafka or MQTT; progress goes to stderr.",
    optionListHeading = Commands.OPTION_LIST_HEADING)
public final class Simulate implements Callable<Integer> {

  static final String COMMAND = "simulate";
  static final Set<String> SINKS = Set.of("stdout", "tcp", "kafka", "mqtt");
  static final Set<String> FORMATS = Set.of("csv", "json");
  static final String PID_PLACEHOLDER = "<pid>";

  @Spec CommandSpec spec;

  @Mixin Commands.HelpOption help;

  @Option(names = "--sensors", paramLabel = VALUE, defaultValue = "100", description = "sensors per device, numbered 1..N [${DEFAULT-VALUE}]")
  int sensors;

  @Option(names = "--rate", paramLabel = VALUE, defaultValue = "10",
      description = "average events per second over all devices (lognormal waits, sd = mean/2); 0 = as fast as possible [${DEFAULT-VALUE}]")
  double rate;

  @Option(names = "--total", paramLabel = VALUE, defaultValue = "1000", description = "events to send, not counting sentinels [${DEFAULT-VALUE}]")
  long total;

  @Option(names = "--devices", paramLabel = VALUE, defaultValue = "1",
      description = "devices, ids 1..N; with more than one, CSV lines get the device id as a 5th field [${DEFAULT-VALUE}]")
  int devices;

  @Option(names = "--seed", paramLabel = VALUE, defaultValue = "42",
      description = "seed of every random choice: the same seed sends the same events [${DEFAULT-VALUE}]")
  long seed;

  @Option(names = "--format", paramLabel = VALUE, defaultValue = "csv",
      description = "csv (the original line, one reading) or json (one message per device and instant: sensor_id, sensor_ts in microseconds, sensor_0.. for sensors 1..) [${DEFAULT-VALUE}]")
  String format;

  @Option(names = "--readingsPerMessage", paramLabel = VALUE, defaultValue = "1",
      description = "json: readings per message, 1..sensors or all (every sensor of the device at one instant); events, --rate and --total count readings [${DEFAULT-VALUE}]")
  String readingsPerMessage;

  @Option(names = "--sentinel", paramLabel = "true|false", arity = "0..1", defaultValue = "true", fallbackValue = "true",
      description = "end the stream with a sentinel event (sensor -1) per device [${DEFAULT-VALUE}]")
  boolean sentinel;

  @Option(names = "--latePercent", paramLabel = VALUE, defaultValue = "0",
      description = "percentage of events held back and sent late, out of order, with their original timestamp [${DEFAULT-VALUE}]")
  double latePercent;

  @Option(names = "--maxDelay", paramLabel = VALUE, defaultValue = "5s",
      description = "the longest an event is held back (uniform in (0, maxDelay]); ms, s, m or h [${DEFAULT-VALUE}]")
  Duration maxDelay;

  @Option(names = "--truthOutput", paramLabel = VALUE,
      description = "CSV file of the true label per device and interval (device,window_start,window_end,events,label), "
          + "written when the run ends [none]")
  Path truthOutput;

  @Option(names = "--interval", paramLabel = VALUE, defaultValue = "1",
      description = "with --truthOutput: interval length in seconds, as the scorer's --interval [${DEFAULT-VALUE}]")
  double interval;

  @Option(names = "--cutoff", paramLabel = VALUE,
      description = "with --truthOutput: label 1 when sum(i * v_i) > cutoff [0.25*n*(n+1)]")
  Double cutoff;

  @Option(names = "--sink", paramLabel = VALUE, defaultValue = "stdout", description = "stdout, tcp, kafka or mqtt [${DEFAULT-VALUE}]")
  String sink;

  @Option(names = "--bindAddress", paramLabel = VALUE, defaultValue = "127.0.0.1",
      description = "tcp: address to listen on (0.0.0.0 for every interface) [${DEFAULT-VALUE}]")
  String bindAddress;

  @Option(names = "--port", paramLabel = VALUE, defaultValue = "9999", description = "tcp: port to listen on (0 = any free port) [${DEFAULT-VALUE}]")
  int port;

  @Option(names = "--waitForClients", paramLabel = VALUE, defaultValue = "1",
      description = "tcp: clients to wait for before the first event (0 = start at once) [${DEFAULT-VALUE}]")
  int waitForClients;

  @Option(names = "--clientWaitTimeout", paramLabel = VALUE, defaultValue = "10m",
      description = "tcp: how long to wait for them (0 = no limit) [${DEFAULT-VALUE}]")
  Duration clientWaitTimeout;

  @Option(names = "--keepOpen", paramLabel = VALUE, defaultValue = "0s",
      description = "tcp: keep the connections open this long after the last event [${DEFAULT-VALUE}]")
  Duration keepOpen;

  @Option(names = "--bootstrapServers", paramLabel = VALUE, defaultValue = "127.0.0.1:9092",
      description = "kafka: bootstrap servers, host:port[,host:port...] [${DEFAULT-VALUE}]")
  String bootstrapServers;

  @Option(names = "--topic", paramLabel = VALUE, defaultValue = "sensor-events", description = "kafka, mqtt: the topic [${DEFAULT-VALUE}]")
  String topic;

  @Mixin KafkaProducerOptions producer;

  @Option(names = "--kafkaProperty", paramLabel = VALUE,
      description = "kafka: any producer property as key=value, applied last; values are never printed [repeatable; none]")
  List<String> kafkaProperty = new ArrayList<>();

  @Option(names = "--mqttUri", paramLabel = VALUE, defaultValue = "tcp://127.0.0.1:1883",
      description = "mqtt: broker URI, tcp://, ssl:// or tls:// (TLS takes -Djavax.net.ssl.* settings) [${DEFAULT-VALUE}]")
  String mqttUri;

  @Option(names = "--qos", paramLabel = VALUE, defaultValue = "1", description = "mqtt: quality of service, 0, 1 or 2 [${DEFAULT-VALUE}]")
  int qos;

  @Option(names = "--clientId", paramLabel = VALUE, defaultValue = "iotbench-simulator-" + PID_PLACEHOLDER,
      description = "mqtt: client id [${DEFAULT-VALUE}]")
  String clientId;

  @Option(names = "--username", paramLabel = VALUE, description = "mqtt: user name [none]")
  String username;

  @Option(names = "--password", paramLabel = VALUE, description = "mqtt: password (never printed) [none]")
  String password;

  @Option(names = "--connectTimeout", paramLabel = VALUE, defaultValue = "10s",
      description = "kafka, mqtt: how long to try to reach the broker before giving up [${DEFAULT-VALUE}]")
  Duration connectTimeout;

  private final OutputStream events;
  private final PrintStream err;
  private final Clock clock;

  Simulate(OutputStream events, PrintStream err, Clock clock) {
    this.events = events;
    this.err = err;
    this.clock = clock;
  }

  /** Everything {@code simulate} needs, read and checked from the options. */
  record Config(
      SimulationSpec spec,
      String sink,
      EventEncoder.Format format,
      String bindAddress,
      int port,
      int waitForClients,
      Duration clientWaitTimeout,
      Duration keepOpen,
      KafkaSink.Settings kafka,
      MqttSink.Settings mqtt,
      Path truthOutput,
      long intervalMillis,
      double cutoff) {}

  /** The options checked against each other and their ranges; a {@link ParameterException} if they cannot run. */
  Config configure() {
    Commands.range(spec, "sensors", sensors, 1, 1_000_000);
    Commands.range(spec, "rate", rate, 0, 1e9);
    Commands.range(spec, "total", total, 0, Long.MAX_VALUE / 2);
    Commands.range(spec, "devices", devices, 1, 1_000_000);
    EventEncoder.Format eventFormat = EventEncoder.Format.valueOf(Commands.choice(spec, "format", format, FORMATS).toUpperCase(Locale.ROOT));
    Commands.range(spec, "latePercent", latePercent, 0, 100);
    Commands.atLeast(spec, "maxDelay", maxDelay, Duration.ZERO);
    Commands.check(spec, !(latePercent > 0 && maxDelay.isZero()), "maxDelay", "must be > 0 when --latePercent is above 0");
    int perMessage = readingsPerMessage(eventFormat);
    SimulationSpec simulation = new SimulationSpec(sensors, rate, total, devices, seed, latePercent, maxDelay, sentinel, perMessage);

    String sinkName = Commands.choice(spec, "sink", sink, SINKS);
    Commands.required(spec, "bindAddress", bindAddress);
    Commands.range(spec, "port", port, 0, 65535);
    Commands.range(spec, "waitForClients", waitForClients, 0, 10_000);
    Commands.atLeast(spec, "clientWaitTimeout", clientWaitTimeout, Duration.ZERO);
    Commands.atLeast(spec, "keepOpen", keepOpen, Duration.ZERO);
    Commands.atLeast(spec, "connectTimeout", connectTimeout, Duration.ofMillis(1));

    Commands.required(spec, "bootstrapServers", bootstrapServers);
    try {
      KafkaSink.parseServers(bootstrapServers);
    } catch (IllegalArgumentException e) {
      throw Commands.bad(spec, "bootstrapServers", e.getMessage());
    }
    Commands.required(spec, "topic", topic);
    if (sinkName.equals("mqtt")) {
      try {
        MqttSink.checkTopic(topic);
      } catch (IllegalArgumentException e) {
        throw Commands.bad(spec, "topic", e.getMessage());
      }
    } else if (topic.contains(MqttSink.DEVICE_PLACEHOLDER)) {
      throw Commands.bad(spec, "topic", MqttSink.DEVICE_PLACEHOLDER + " (a topic per device) is for --sink=mqtt only");
    }
    Map<String, String> kafkaProperties = new LinkedHashMap<>();
    for (String kv : kafkaProperty) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        // Not echoed: the text may be a credential typed in the wrong place.
        throw Commands.usage(spec, "--kafkaProperty: expected key=value (the value given is not shown)");
      }
      kafkaProperties.put(kv.substring(0, eq).trim(), kv.substring(eq + 1));
    }
    KafkaSink.Settings kafka = producer.settings(spec, bootstrapServers, topic, connectTimeout, kafkaProperties);

    Commands.required(spec, "mqttUri", mqttUri);
    try {
      MqttSink.checkUri(mqttUri);
    } catch (IllegalArgumentException e) {
      throw Commands.bad(spec, "mqttUri", e.getMessage());
    }
    Commands.range(spec, "qos", qos, 0, 2);
    String client = Commands.required(spec, "clientId", clientId).replace(PID_PLACEHOLDER, Long.toString(ProcessHandle.current().pid()));
    MqttSink.Settings mqtt = new MqttSink.Settings(mqttUri, topic, qos, client, username, password, connectTimeout);

    Commands.range(spec, "interval", interval, 0.001, 86_400);
    double labelCutoff = cutoff != null ? cutoff : LabelingRule.defaultCutoff(sensors);
    Commands.check(spec, Double.isFinite(labelCutoff), "cutoff", "must be a finite number");
    if (truthOutput != null) {
      Path parent = truthOutput.toAbsolutePath().getParent();
      Commands.check(spec, parent != null && Files.isDirectory(parent), "truthOutput", "its folder does not exist");
    }
    return new Config(simulation, sinkName, eventFormat, bindAddress, port, waitForClients, clientWaitTimeout, keepOpen, kafka, mqtt,
        truthOutput, Math.round(interval * 1000), labelCutoff);
  }

  /**
   * {@code --readingsPerMessage}: {@code all} (every sensor) or a number within 1..sensors that divides
   * {@code --total}; more than one needs JSON.
   */
  private int readingsPerMessage(EventEncoder.Format eventFormat) {
    String text = readingsPerMessage == null ? "" : readingsPerMessage.trim();
    int k;
    if (text.equalsIgnoreCase("all")) {
      k = sensors;
    } else {
      try {
        k = Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw Commands.bad(spec, "readingsPerMessage", "must be a number or all");
      }
      Commands.range(spec, "readingsPerMessage", k, 1, sensors);
    }
    Commands.check(spec, k == 1 || eventFormat == EventEncoder.Format.JSON, "readingsPerMessage",
        "needs --format=json (a CSV line carries one reading)");
    Commands.check(spec, total % k == 0, "readingsPerMessage",
        "--total=" + total + " must be a multiple of the " + k + " readings per message (events count readings)");
    return k;
  }

  /** The sink that {@code config} asks for; {@code stdout} is where the stdout sink writes. */
  static EventSink createSink(Config config, OutputStream stdout, Progress progress) {
    EventEncoder encoder = new EventEncoder(config.format(), config.spec().devices() > 1);
    return switch (config.sink()) {
      case "stdout" -> new StreamSink(stdout, encoder, "stdout");
      case "tcp" -> new TcpSink(
          config.bindAddress(), config.port(), config.waitForClients(), config.clientWaitTimeout(),
          config.keepOpen(), encoder, progress::notice);
      case "kafka" -> new KafkaSink(config.kafka(), encoder);
      case "mqtt" -> new MqttSink(config.mqtt(), encoder);
      default -> throw new IllegalArgumentException("unknown sink " + config.sink());
    };
  }

  /**
   * Runs the simulation with its ground truth written to a hidden sibling of {@code --truthOutput}, moved into place
   * when the run ends: a failed run leaves no partial truth file.
   */
  private void runRecordingTruth(Config config, EventSink eventSink, Progress progress) throws IOException {
    SimulationSpec s = config.spec();
    Path target = config.truthOutput().toAbsolutePath();
    Path temp = target.resolveSibling("." + target.getFileName() + ".in-progress");
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= s.devices(); i++) {
      ids.add(Integer.toString(i));
    }
    // A held message leaves at most --maxDelay after its time; a second more covers a slow sink or a late wake-up.
    long hold = s.latePercent() > 0 ? s.maxDelay().toMillis() + 1000 : 0;
    boolean done = false;
    try {
      GroundTruth truth = new GroundTruth(s.sensors(), ids, config.intervalMillis(), config.cutoff(), hold,
          Files.newBufferedWriter(temp, StandardCharsets.UTF_8));
      try (truth) {
        new Simulator(s, eventSink, clock, progress).recordingTruth(truth).run();
      }
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      done = true;
      progress.notice("Wrote the ground truth of " + truth.rows() + " device intervals to " + target);
    } finally {
      if (!done) {
        Files.deleteIfExists(temp);
      }
    }
  }

  public static void main(String[] args) {
    int status = run(args, new FileOutputStream(FileDescriptor.out), System.out, System.err, Clock.SYSTEM);
    System.exit(status);
  }

  /**
   * Runs the command.
   *
   * @param events where {@code --sink=stdout} writes (standard output in {@link #main})
   * @param out where {@code --help} goes
   * @param err where progress and errors go
   * @return the exit status: 0, 1 (sink unreachable or failed) or 2 (bad option)
   */
  public static int run(String[] args, OutputStream events, PrintStream out, PrintStream err, Clock clock) {
    return Commands.execute(new Simulate(events, err, clock), args, out, err);
  }

  @Override
  public Integer call() {
    Config config = configure();
    Progress progress = new ConsoleProgress(err);
    EventSink eventSink = createSink(config, events, progress);
    try {
      try {
        eventSink.open();
        SimulationSpec s = config.spec();
        progress.notice(String.format(Locale.ROOT,
            "Sending %d events (%s)%s from %d sensors of %d device(s)%s to %s",
            s.total(), s.rate() > 0 ? Commands.plain(s.rate()) + " per second" : "as fast as possible",
            s.readingsPerMessage() > 1 ? " in " + s.messages() + " messages of " + s.readingsPerMessage() + " readings" : "",
            s.sensors(), s.devices(),
            s.latePercent() > 0 ? ", " + Commands.plain(s.latePercent()) + "% held back up to " + Commands.format(s.maxDelay()) : "",
            eventSink.describe()));
        if (config.truthOutput() == null) {
          new Simulator(s, eventSink, clock, progress).run();
        } else {
          runRecordingTruth(config, eventSink, progress);
        }
      } finally {
        eventSink.close();
      }
      return 0;
    } catch (SinkUnavailableException e) {
      err.println("iotbench " + COMMAND + ": error: " + e.getMessage());
      return Commands.EXIT_FAILED;
    } catch (IOException | RuntimeException e) {
      err.println("iotbench " + COMMAND + ": error: " + ErrorText.oneLine(e));
      return Commands.EXIT_FAILED;
    }
  }
}
