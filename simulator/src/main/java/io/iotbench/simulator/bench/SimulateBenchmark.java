package io.iotbench.simulator.bench;

import static io.iotbench.simulator.cli.Commands.VALUE;

import io.iotbench.model.support.Stats;
import io.iotbench.model.support.CpuTime;
import io.iotbench.simulator.Clock;
import io.iotbench.simulator.Progress;
import io.iotbench.simulator.SimulationSpec;
import io.iotbench.simulator.Simulator;
import io.iotbench.simulator.broker.FreePorts;
import io.iotbench.simulator.broker.KafkaBroker;
import io.iotbench.simulator.broker.KafkaBrokerProcess;
import io.iotbench.simulator.cli.Commands;
import io.iotbench.simulator.sink.EventEncoder;
import io.iotbench.simulator.sink.EventSink;
import io.iotbench.simulator.sink.KafkaProducerOptions;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
@Command(
    name = "bench-simulate",
    synopsisHeading = "",
    customSynopsis = "usage: iotbench bench-simulate [--option=value ...]",
    description = "Measures the simulator at max rate into Kafka, stdout (/dev/null) and a TCP client.",
    optionListHeading = Commands.OPTION_LIST_HEADING,
    sortOptions = false)
public final class SimulateBenchmark implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin Commands.HelpOption help;

  @Option(names = "--events", paramLabel = VALUE, defaultValue = "5000000", description = "events per timed run (sentinel not counted) [${DEFAULT-VALUE}]")
  long events;

  @Option(names = "--sensors", paramLabel = VALUE, defaultValue = "100", description = "sensors [${DEFAULT-VALUE}]")
  int sensors;

  @Option(names = "--runs", paramLabel = VALUE, defaultValue = "3", description = "timed runs per sink; the median is reported [${DEFAULT-VALUE}]")
  int runs;

  @Option(names = "--warmup", paramLabel = VALUE, defaultValue = "1000000",
      description = "events of the untimed warm-up run per sink (0 = none) [${DEFAULT-VALUE}]")
  long warmupEvents;

  @Option(names = "--sinks", paramLabel = VALUE, defaultValue = "kafka,stdout,tcp", description = "which sinks to measure, comma-separated [${DEFAULT-VALUE}]")
  String sinks;

  @Option(names = "--bootstrapServers", paramLabel = VALUE,
      description = "an existing Kafka cluster; by default a local broker is started [none]")
  String bootstrapServers;

  @Option(names = "--broker", paramLabel = VALUE, defaultValue = "process",
      description = "where the local broker runs: process (a child JVM) or inline (this JVM) [${DEFAULT-VALUE}]")
  String brokerMode;

  @Mixin KafkaProducerOptions producer;

  private final PrintStream out;
  /** The local broker's process when it runs in a child JVM, for its CPU time. */
  private ProcessHandle broker;

  private SimulateBenchmark(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    return Commands.commandLine(new SimulateBenchmark(out), out, err)
        .setExecutionExceptionHandler(
            (e, failed, parsed) -> {
              // As before: the exception itself, so that its type shows.
              err.println("iotbench bench-simulate: error: " + e);
              return Commands.EXIT_FAILED;
            })
        .execute(args);
  }

  @Override
  public Integer call() throws IOException {
    Commands.range(spec, "sensors", sensors, 1, 1_000_000);
    Commands.range(spec, "events", events, 1, Long.MAX_VALUE / 2);
    Commands.range(spec, "runs", runs, 1, 100);
    Commands.range(spec, "warmup", warmupEvents, 0, Long.MAX_VALUE / 2);
    Set<String> measured = Set.copyOf(Arrays.asList(sinks.toLowerCase(Locale.ROOT).split(",")));
    for (String s : measured) {
      Commands.check(spec, Set.of("kafka", "stdout", "tcp").contains(s), "sinks", "'" + s + "' is not kafka, stdout or tcp");
    }
    String mode = Commands.choice(spec, "broker", brokerMode, Set.of("process", "inline"));
    KafkaSink.Settings kafka = producer.settings(spec, "127.0.0.1:1", "unused", Duration.ofSeconds(30), Map.of());
    double kafkaRate = measured.contains("kafka") ? kafka(bootstrapServers, mode, kafka) : Double.NaN;
    double stdoutRate = measured.contains("stdout") ? stdout() : Double.NaN;
    double tcpRate = measured.contains("tcp") ? tcp() : Double.NaN;
    out.printf(Locale.ROOT, "RESULT kafka_events_per_s=%s stdout_events_per_s=%s tcp_events_per_s=%s%n",
        rate(kafkaRate), rate(stdoutRate), rate(tcpRate));
    return 0;
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
