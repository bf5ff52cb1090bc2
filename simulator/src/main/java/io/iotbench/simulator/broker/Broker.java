package io.iotbench.simulator.broker;

import static io.iotbench.simulator.cli.Commands.VALUE;

import io.iotbench.simulator.cli.Commands;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code iotbench broker kafka|mqtt}: starts a real local broker on 127.0.0.1, prints its address on
 * standard output and runs until stopped (Ctrl-C or SIGTERM), for users without infrastructure, the
 * README demo and the simulator. Kafka runs in this JVM in KRaft mode ({@link KafkaBroker}); MQTT is
 * Debian's mosquitto as a child process ({@link MosquittoBroker}). Examples:
 *
 * <pre>{@code
 * iotbench broker kafka --port=9092 --partitions=4
 * iotbench broker kafka --dataDir=/var/tmp/kafka     # kept, and reused on the next start
 * iotbench broker mqtt --port=1883
 * }</pre>
 */
@Command(
    name = "broker",
    subcommands = {Broker.Kafka.class, Broker.Mqtt.class},
    synopsisHeading = "",
    customSynopsis = Broker.USAGE)
public final class Broker implements Callable<Integer> {
  static final String USAGE = "usage: iotbench broker kafka|mqtt [--option=value ...]";

  @Spec CommandSpec spec;

  // Not picocli's usage help: the help of 'broker' shows both brokers' options.
  @Option(names = {"-h", "--help"}, description = "print this help and exit")
  boolean help;

  @Parameters(arity = "0..1", paramLabel = "kafka|mqtt", description = "the broker to run")
  String kind;

  private final PrintStream out;

  Broker(PrintStream out) {
    this.out = out;
  }

  /** {@code broker kafka}. */
  @Command(
      name = "kafka",
      synopsisHeading = "",
      customSynopsis = "usage: iotbench broker kafka [--option=value ...]",
      description = "Runs a single-node Kafka broker (KRaft mode) on 127.0.0.1 until stopped.",
      optionListHeading = Commands.OPTION_LIST_HEADING,
      sortOptions = false)
  static final class Kafka implements Callable<Integer> {
    @ParentCommand Broker parent;
    @Spec CommandSpec spec;
    @Mixin Commands.HelpOption help;

    @Option(names = "--port", paramLabel = VALUE, defaultValue = "9092", description = "client port (0 = any free port) [${DEFAULT-VALUE}]")
    int port;

    @Option(names = "--dataDir", paramLabel = VALUE,
        description = "folder for the logs, kept and reused; by default a temporary folder deleted at exit [none]")
    String dataDir;

    @Option(names = "--partitions", paramLabel = VALUE, defaultValue = "1",
        description = "partitions of topics created automatically (num.partitions) [${DEFAULT-VALUE}]")
    int partitions;

    @Override
    public Integer call() {
      Commands.range(spec, "port", port, 0, 65535);
      Commands.range(spec, "partitions", partitions, 1, 10_000);
      return serve(spec, () -> runKafka(port, dataDir, partitions, parent.out));
    }
  }

  /** {@code broker mqtt}. */
  @Command(
      name = "mqtt",
      synopsisHeading = "",
      customSynopsis = "usage: iotbench broker mqtt [--option=value ...]",
      description = "Runs mosquitto on 127.0.0.1 until stopped (install it with 'apt-get install -y mosquitto').",
      optionListHeading = Commands.OPTION_LIST_HEADING,
      sortOptions = false)
  static final class Mqtt implements Callable<Integer> {
    @ParentCommand Broker parent;
    @Spec CommandSpec spec;
    @Mixin Commands.HelpOption help;

    @Option(names = "--port", paramLabel = VALUE, defaultValue = "1883", description = "port (0 = any free port) [${DEFAULT-VALUE}]")
    int port;

    @Override
    public Integer call() {
      Commands.range(spec, "port", port, 0, 65535);
      return serve(spec, () -> runMqtt(port, parent.out));
    }
  }

  public static void main(String[] args) {
    // The broker is stopped by our shutdown hook, and Kafka logs while it stops: log4j must not shut
    // itself down first in its own hook.
    System.setProperty("log4j2.shutdownHookEnabled", "false");
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns only on errors or after the broker stopped by itself. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    return Commands.execute(new Broker(out), args, out, err);
  }

  /** Without a broker's name: the help of both brokers, or an error. */
  @Override
  public Integer call() {
    if (help) {
      out.println(USAGE);
      for (CommandLine broker : spec.subcommands().values()) {
        out.println();
        broker.usage(out);
      }
      return 0;
    }
    throw Commands.usage(spec, (kind == null ? "which broker?" : "unknown broker '" + kind + "'")
        + " (iotbench broker kafka|mqtt [--port=...])");
  }

  /** A broker that runs until stopped. */
  private interface Server {
    int run() throws IOException, InterruptedException;
  }

  private static int serve(CommandSpec spec, Server server) {
    try {
      return server.run();
    } catch (IOException e) {
      spec.commandLine().getErr().println(Commands.errorPrefix(spec.commandLine()) + "error: " + e.getMessage());
      return Commands.EXIT_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Commands.EXIT_FAILED;
    }
  }

  private static int runKafka(int port, String dataDir, int partitions, PrintStream out)
      throws IOException, InterruptedException {
    KafkaBroker broker =
        KafkaBroker.start(port, dataDir == null ? null : Path.of(dataDir), Map.of("num.partitions", String.valueOf(partitions)));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      broker.close();
      stopped.countDown();
    }, "iotbench-kafka-stop"));
    out.println("Kafka broker listening on " + broker.bootstrapServers() + " (--bootstrapServers="
        + broker.bootstrapServers() + "), data in " + broker.dataDir()
        + (dataDir == null ? " (deleted at exit)" : "") + "; stop with Ctrl-C");
    out.flush();
    // Runs until the JVM is asked to exit; the hook stops the broker.
    stopped.await();
    return 0;
  }

  private static int runMqtt(int port, PrintStream out) throws IOException, InterruptedException {
    MosquittoBroker broker = MosquittoBroker.start(port, true);
    out.println("MQTT broker (mosquitto) listening on " + broker.uri() + " (--mqttUri=" + broker.uri() + "); stop with Ctrl-C");
    out.flush();
    int status = broker.process().waitFor();
    if (broker.isStopping()) {
      return 0; // stopped by Ctrl-C or SIGTERM through the shutdown hook
    }
    broker.close();
    throw new IOException("mosquitto on " + broker.uri() + " exited by itself with status " + status);
  }
}
