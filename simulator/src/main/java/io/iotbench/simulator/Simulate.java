package io.iotbench.simulator;

import io.iotbench.simulator.cli.OptionSet;
import io.iotbench.simulator.cli.ParsedOptions;
import io.iotbench.simulator.cli.UsageException;
import io.iotbench.simulator.sink.EventEncoder;
import io.iotbench.simulator.sink.EventSink;
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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
 * iotbench simulate --rate=100 --latePercent=10 --maxDelay=30s
 * }</pre>
 *
 * <p>Exit status: 0 when every event was delivered, 2 for a bad option (one line {@code iotbench
 * simulate: error: --rate=-1: must be >= 0}), 1 when the sink cannot be reached or fails (one line
 * naming the address).
 */
public final class Simulate {

  static final String COMMAND = "simulate";
  static final Set<String> SINKS = Set.of("stdout", "tcp", "kafka", "mqtt");
  static final Set<String> FORMATS = Set.of("csv", "json");
  static final Set<String> COMPRESSIONS = Set.of("none", "gzip", "snappy", "lz4", "zstd");
  static final Set<String> ACKS = Set.of("0", "1", "all", "-1");
  static final String PID_PLACEHOLDER = "<pid>";

  private Simulate() {}

  /** Every option of {@code iotbench simulate}, with its default. */
  public static OptionSet options() {
    return new OptionSet(COMMAND, "usage: iotbench simulate [--option=value ...]\n"
            + "Sends simulated sensor events to stdout, TCP clients, Kafka or MQTT; progress goes to stderr.")
        .value("sensors", "100", "sensors per device, numbered 1..N")
        .value("rate", "10", "average events per second over all devices (lognormal waits, sd = mean/2); 0 = as fast as possible")
        .value("total", "1000", "events to send, not counting sentinels")
        .value("devices", "1", "devices, ids 1..N; with more than one, CSV lines get the device id as a 5th field")
        .value("seed", "42", "seed of every random choice: the same seed sends the same events")
        .value("format", "csv", "csv (the original line) or json (one message per event)")
        .flag("sentinel", true, "end the stream with a sentinel event (sensor -1) per device")
        .value("latePercent", "0", "percentage of events held back and sent late, out of order, with their original timestamp")
        .value("maxDelay", "5s", "the longest an event is held back (uniform in (0, maxDelay]); ms, s, m or h")
        .value("sink", "stdout", "stdout, tcp, kafka or mqtt")
        .value("bindAddress", "127.0.0.1", "tcp: address to listen on (0.0.0.0 for every interface)")
        .value("port", "9999", "tcp: port to listen on (0 = any free port)")
        .value("waitForClients", "1", "tcp: clients to wait for before the first event (0 = start at once)")
        .value("clientWaitTimeout", "10m", "tcp: how long to wait for them (0 = no limit)")
        .value("keepOpen", "0s", "tcp: keep the connections open this long after the last event")
        .value("bootstrapServers", "127.0.0.1:9092", "kafka: bootstrap servers, host:port[,host:port...]")
        .value("topic", "sensor-events", "kafka, mqtt: the topic")
        .value("acks", "1", "kafka: producer acks, 0, 1 or all")
        .value("lingerMs", "5", "kafka: producer linger.ms")
        .value("batchSize", "1048576", "kafka: producer batch.size in bytes")
        .value("compression", "lz4", "kafka: none, gzip, snappy, lz4 or zstd")
        .repeatable("kafkaProperty", "kafka: any producer property as key=value, applied last; values are never printed")
        .value("mqttUri", "tcp://127.0.0.1:1883", "mqtt: broker URI, tcp://, ssl:// or tls:// (TLS takes -Djavax.net.ssl.* settings)")
        .value("qos", "1", "mqtt: quality of service, 0, 1 or 2")
        .value("clientId", "iotbench-simulator-" + PID_PLACEHOLDER, "mqtt: client id")
        .value("username", null, "mqtt: user name")
        .value("password", null, "mqtt: password (never printed)")
        .value("connectTimeout", "10s", "kafka, mqtt: how long to try to reach the broker before giving up");
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
      MqttSink.Settings mqtt) {}

  static Config configure(ParsedOptions o) throws UsageException {
    if (!o.positional().isEmpty()) {
      throw new UsageException("unexpected argument '" + o.positional().get(0) + "' (options are --name=value)");
    }
    int sensors = o.intValue("sensors", 1, 1_000_000);
    double rate = o.doubleValue("rate", 0, 1e9);
    long total = o.longValue("total", 0, Long.MAX_VALUE / 2);
    int devices = o.intValue("devices", 1, 1_000_000);
    long seed = o.longValue("seed", Long.MIN_VALUE, Long.MAX_VALUE);
    EventEncoder.Format format = EventEncoder.Format.valueOf(o.choice("format", FORMATS).toUpperCase(Locale.ROOT));
    boolean sentinel = o.bool("sentinel");
    double latePercent = o.doubleValue("latePercent", 0, 100);
    Duration maxDelay = o.duration("maxDelay", Duration.ZERO);
    if (latePercent > 0 && maxDelay.isZero()) {
      throw ParsedOptions.bad("maxDelay", o.string("maxDelay"), "must be > 0 when --latePercent is above 0");
    }
    SimulationSpec spec = new SimulationSpec(sensors, rate, total, devices, seed, latePercent, maxDelay, sentinel);

    String sink = o.choice("sink", SINKS);
    String bindAddress = o.required("bindAddress");
    int port = o.intValue("port", 0, 65535);
    int waitForClients = o.intValue("waitForClients", 0, 10_000);
    Duration clientWaitTimeout = o.duration("clientWaitTimeout", Duration.ZERO);
    Duration keepOpen = o.duration("keepOpen", Duration.ZERO);
    Duration connectTimeout = o.duration("connectTimeout", Duration.ofMillis(1));

    String servers = o.required("bootstrapServers");
    try {
      KafkaSink.parseServers(servers);
    } catch (IllegalArgumentException e) {
      throw ParsedOptions.bad("bootstrapServers", servers, e.getMessage());
    }
    String topic = o.required("topic");
    String acks = o.choice("acks", ACKS);
    int lingerMs = o.intValue("lingerMs", 0, 60_000);
    int batchSize = o.intValue("batchSize", 1, 64 << 20);
    String compression = o.choice("compression", COMPRESSIONS);
    Map<String, String> kafkaProperties = new LinkedHashMap<>();
    for (String kv : o.all("kafkaProperty")) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        // Not echoed: the text may be a credential typed in the wrong place.
        throw new UsageException("--kafkaProperty: expected key=value (the value given is not shown)");
      }
      kafkaProperties.put(kv.substring(0, eq).trim(), kv.substring(eq + 1));
    }
    KafkaSink.Settings kafka =
        new KafkaSink.Settings(servers, topic, acks, lingerMs, batchSize, compression, connectTimeout, kafkaProperties);

    String uri = o.required("mqttUri");
    try {
      MqttSink.checkUri(uri);
    } catch (IllegalArgumentException e) {
      throw ParsedOptions.bad("mqttUri", uri, e.getMessage());
    }
    int qos = o.intValue("qos", 0, 2);
    String clientId = o.required("clientId").replace(PID_PLACEHOLDER, Long.toString(ProcessHandle.current().pid()));
    MqttSink.Settings mqtt =
        new MqttSink.Settings(uri, topic, qos, clientId, o.string("username"), o.string("password"), connectTimeout);

    return new Config(spec, sink, format, bindAddress, port, waitForClients, clientWaitTimeout, keepOpen, kafka, mqtt);
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
    OptionSet options = options();
    if (OptionSet.wantsHelp(args)) {
      options.printHelp(out);
      return 0;
    }
    Config config;
    try {
      config = configure(options.parse(args));
    } catch (UsageException e) {
      err.println("iotbench " + COMMAND + ": error: " + e.getMessage());
      return 2;
    }
    Progress progress = new ConsoleProgress(err);
    EventSink sink = createSink(config, events, progress);
    try {
      try {
        sink.open();
        SimulationSpec s = config.spec();
        progress.notice(String.format(Locale.ROOT,
            "Sending %d events (%s) from %d sensors of %d device(s)%s to %s",
            s.total(), s.rate() > 0 ? number(s.rate()) + " per second" : "as fast as possible", s.sensors(),
            s.devices(),
            s.latePercent() > 0 ? ", " + number(s.latePercent()) + "% held back up to " + ParsedOptions.format(s.maxDelay()) : "",
            sink.describe()));
        new Simulator(s, sink, clock, progress).run();
      } finally {
        sink.close();
      }
      return 0;
    } catch (SinkUnavailableException e) {
      err.println("iotbench " + COMMAND + ": error: " + e.getMessage());
      return 1;
    } catch (IOException | RuntimeException e) {
      err.println("iotbench " + COMMAND + ": error: " + oneLine(e));
      return 1;
    }
  }

  private static String number(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.replace('\n', ' ').replace('\r', ' ');
  }
}
