package io.iotbench.simulator.bench;

import io.iotbench.model.support.CpuTime;
import io.iotbench.model.support.Stats;
import io.iotbench.simulator.Clock;
import io.iotbench.simulator.Progress;
import io.iotbench.simulator.SimulationSpec;
import io.iotbench.simulator.Simulator;
import io.iotbench.simulator.broker.FreePorts;
import io.iotbench.simulator.broker.KafkaBroker;
import io.iotbench.simulator.broker.KafkaBrokerProcess;
import io.iotbench.simulator.cli.OptionSet;
import io.iotbench.simulator.cli.ParsedOptions;
import io.iotbench.simulator.cli.UsageException;
import io.iotbench.simulator.sink.EventEncoder;
import io.iotbench.simulator.sink.EventSink;
import io.iotbench.simulator.sink.KafkaSink;
import io.iotbench.simulator.sink.StreamSink;
import io.iotbench.simulator.sink.TcpSink;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code iotbench bench-simulate}: the simulator at maximum rate ({@code --rate=0}) into three sinks:
 * a Kafka topic on a local broker (the target: 1,000,000 events/s on two cores; the original Scala
 * simulator reaches ~45-50k), standard output into /dev/null through the stdout sink's own buffer,
 * and a TCP client on this machine that drains and counts the lines. Each sink gets one untimed
 * warm-up run, then {@code --runs} timed runs; every run is checked (Kafka end offsets, lines counted
 * by the TCP client) and the median is reported. Times include the final flush, i.e. all events
 * acknowledged by Kafka or read by the client. The last line is
 * {@code RESULT kafka_events_per_s=... stdout_events_per_s=... tcp_events_per_s=...}.
 *
 * <pre>{@code
 * iotbench bench-simulate --events=5000000 --sensors=100 --runs=3
 * iotbench bench-simulate --bootstrapServers=10.0.0.5:9092      # an existing cluster
 * }</pre>
 */
public final class SimulateBenchmark {

  private final PrintStream out;
  private final int sensors;
  private final long events;
  private final int runs;
  private final long warmupEvents;
  /** The local broker's process when it runs in a child JVM, for its CPU time. */
  private ProcessHandle broker;

  private SimulateBenchmark(PrintStream out, int sensors, long events, int runs, long warmupEvents) {
    this.out = out;
    this.sensors = sensors;
    this.events = events;
    this.runs = runs;
    this.warmupEvents = warmupEvents;
  }

  static OptionSet options() {
    return new OptionSet("bench-simulate", "usage: iotbench bench-simulate [--option=value ...]\n"
            + "Measures the simulator at max rate into Kafka, stdout (/dev/null) and a TCP client.")
        .value("events", "5000000", "events per timed run (sentinel not counted)")
        .value("sensors", "100", "sensors")
        .value("runs", "3", "timed runs per sink; the median is reported")
        .value("warmup", "1000000", "events of the untimed warm-up run per sink (0 = none)")
        .value("sinks", "kafka,stdout,tcp", "which sinks to measure, comma-separated")
        .value("bootstrapServers", null, "an existing Kafka cluster; by default a local broker is started")
        .value("broker", "process", "where the local broker runs: process (a child JVM) or inline (this JVM)")
        .value("acks", "1", "Kafka producer acks")
        .value("lingerMs", "5", "Kafka producer linger.ms")
        .value("batchSize", "1048576", "Kafka producer batch.size")
        .value("compression", "lz4", "Kafka producer compression");
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    OptionSet options = options();
    if (OptionSet.wantsHelp(args)) {
      options.printHelp(out);
      return 0;
    }
    try {
      ParsedOptions o = options.parse(args);
      SimulateBenchmark bench =
          new SimulateBenchmark(
              out,
              o.intValue("sensors", 1, 1_000_000),
              o.longValue("events", 1, Long.MAX_VALUE / 2),
              o.intValue("runs", 1, 100),
              o.longValue("warmup", 0, Long.MAX_VALUE / 2));
      Set<String> sinks = Set.copyOf(Arrays.asList(o.string("sinks").toLowerCase(Locale.ROOT).split(",")));
      for (String s : sinks) {
        if (!Set.of("kafka", "stdout", "tcp").contains(s)) {
          throw ParsedOptions.bad("sinks", o.string("sinks"), "'" + s + "' is not kafka, stdout or tcp");
        }
      }
      String broker = o.choice("broker", Set.of("process", "inline"));
      KafkaSink.Settings kafka =
          new KafkaSink.Settings(
              "127.0.0.1:1", "unused", o.choice("acks", Set.of("0", "1", "all")), o.intValue("lingerMs", 0, 60_000),
              o.intValue("batchSize", 1, 64 << 20), o.string("compression"), Duration.ofSeconds(30), Map.of());
      double kafkaRate = sinks.contains("kafka") ? bench.kafka(o.string("bootstrapServers"), broker, kafka) : Double.NaN;
      double stdoutRate = sinks.contains("stdout") ? bench.stdout() : Double.NaN;
      double tcpRate = sinks.contains("tcp") ? bench.tcp() : Double.NaN;
      out.printf(Locale.ROOT, "RESULT kafka_events_per_s=%s stdout_events_per_s=%s tcp_events_per_s=%s%n",
          rate(kafkaRate), rate(stdoutRate), rate(tcpRate));
      return 0;
    } catch (UsageException e) {
      err.println("iotbench bench-simulate: error: " + e.getMessage());
      return 2;
    } catch (IOException | RuntimeException e) {
      err.println("iotbench bench-simulate: error: " + e);
      return 1;
    }
  }

  private static String rate(double r) {
    return Double.isNaN(r) ? "NA" : String.valueOf(Math.round(r));
  }

  private SimulationSpec spec(long n) {
    return SimulationSpec.of(sensors, 0, n);
  }

  private EventEncoder csv() {
    return new EventEncoder(EventEncoder.Format.CSV, false);
  }

  /** One run of {@code n} events. */
  private interface Run {
    Simulator.Result run(long n) throws IOException;
  }

  private double measure(String sink, Run run) throws IOException {
    if (warmupEvents > 0) {
      timed(sink + " warm-up", warmupEvents, run);
    }
    List<Double> rates = new ArrayList<>();
    for (int i = 1; i <= runs; i++) {
      rates.add(timed(sink + " run " + i, events, run));
    }
    double median = Stats.median(rates);
    out.printf(Locale.ROOT, "%s: median %,.0f events/s of %s%n", sink, median, rates.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList());
    return median;
  }

  /**
   * Runs once and prints the rate and the CPU time per event of this JVM plus the local broker's,
   * which, unlike the rate, hardly depends on what else the machine is doing.
   */
  private double timed(String label, long n, Run run) throws IOException {
    long ownBefore = ownCpuNanos();
    long brokerBefore = brokerCpuNanos();
    Simulator.Result r = run.run(n);
    double total = r.sent() + r.sentinels();
    double own = (ownCpuNanos() - ownBefore) / total;
    double brokerCpu = (brokerCpuNanos() - brokerBefore) / total;
    out.printf(Locale.ROOT, "%s: %,d events in %.2f s = %,.0f events/s; CPU %.0f ns/event%s%n",
        label, (long) total, r.seconds(), r.eventsPerSecond(), own + brokerCpu,
        broker == null ? "" : String.format(Locale.ROOT, " (simulator %.0f + broker %.0f)", own, brokerCpu));
    return r.eventsPerSecond();
  }

  private static long ownCpuNanos() {
    return CpuTime.processNanos();
  }

  private long brokerCpuNanos() {
    return broker == null ? 0 : CpuTime.processNanos(broker);
  }

  double stdout() throws IOException {
    return measure("stdout", n -> {
      try (EventSink sink = new StreamSink(new FileOutputStream("/dev/null"), csv(), "/dev/null")) {
        sink.open();
        return new Simulator(spec(n), sink, Clock.SYSTEM, Progress.NONE).run();
      }
    });
  }

  double tcp() throws IOException {
    return measure("tcp", n -> {
      int port = FreePorts.find();
      CompletableFuture<Long> lines = CompletableFuture.supplyAsync(() -> drainLines(port));
      Simulator.Result result;
      try (TcpSink sink = new TcpSink("127.0.0.1", port, 1, Duration.ofSeconds(30), Duration.ZERO, csv(), m -> {})) {
        sink.open();
        result = new Simulator(spec(n), sink, Clock.SYSTEM, Progress.NONE).run();
      }
      long received = await(lines, "the TCP client");
      if (received != n + 1) {
        throw new IOException("the TCP client read " + received + " lines, expected " + (n + 1));
      }
      return result;
    });
  }

  /** Connects (retrying until the server listens, at most 30 s) and counts lines until EOF. */
  private static long drainLines(int port) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[256 * 1024];
        long count = 0;
        for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
          for (int i = 0; i < r; i++) {
            if (buf[i] == '\n') {
              count++;
            }
          }
        }
        return count;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("cannot connect to 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(ie);
        }
      }
    }
  }

  private static <T> T await(CompletableFuture<T> future, String what) throws IOException {
    try {
      return future.get(5, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for " + what, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException(what + " failed: " + e.getMessage(), e);
    }
  }

  double kafka(String bootstrapServers, String brokerMode, KafkaSink.Settings base) throws IOException {
    AutoCloseable localBroker = null;
    String servers = bootstrapServers;
    try {
      if (servers == null) {
        long start = System.nanoTime();
        if (brokerMode.equals("inline")) {
          KafkaBroker b = KafkaBroker.start(0, null, Map.of());
          localBroker = b;
          servers = b.bootstrapServers();
        } else {
          KafkaBrokerProcess b = KafkaBrokerProcess.start(0, List.of("-Xmx1g"));
          localBroker = b;
          broker = b.handle();
          servers = b.bootstrapServers();
        }
        out.printf(Locale.ROOT, "kafka: local broker (%s) on %s started in %.1f s%n",
            brokerMode.equals("inline") ? "in this JVM" : "child JVM", servers, (System.nanoTime() - start) / 1e9);
      }
      String finalServers = servers;
      int[] topicNumber = {0};
      return measure("kafka", n -> {
        String topic = "bench-simulate-" + System.currentTimeMillis() + "-" + topicNumber[0]++;
        try (Admin admin = admin(finalServers)) {
          admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
          KafkaSink.Settings s = new KafkaSink.Settings(finalServers, topic, base.acks(), base.lingerMs(),
              base.batchSize(), base.compression(), base.connectTimeout(), base.extraProperties());
          Simulator.Result result;
          try (KafkaSink sink = new KafkaSink(s, csv())) {
            sink.open();
            result = new Simulator(spec(n), sink, Clock.SYSTEM, Progress.NONE).run();
          }
          TopicPartition tp = new TopicPartition(topic, 0);
          long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get(60, TimeUnit.SECONDS).get(tp).offset();
          if (end != n + 1) {
            throw new IOException("topic " + topic + " holds " + end + " records, expected " + (n + 1));
          }
          // Free the disk: 5M events are ~250 MB per run.
          admin.deleteTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
          return result;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
          throw new IOException("Kafka admin request to " + finalServers + " failed: " + e.getMessage(), e);
        }
      });
    } finally {
      broker = null;
      if (localBroker != null) {
        try {
          localBroker.close();
        } catch (Exception e) {
          out.println("kafka: stopping the local broker failed: " + e);
        }
      }
    }
  }

  private static Admin admin(String servers) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers, AdminClientConfig.CLIENT_ID_CONFIG, "iotbench-bench"));
  }
}
