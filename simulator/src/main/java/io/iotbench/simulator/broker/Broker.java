package io.iotbench.simulator.broker;

import io.iotbench.simulator.cli.OptionSet;
import io.iotbench.simulator.cli.ParsedOptions;
import io.iotbench.simulator.cli.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

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
public final class Broker {

  private Broker() {}

  static OptionSet kafkaOptions() {
    return new OptionSet("broker kafka", "usage: iotbench broker kafka [--option=value ...]\n"
            + "Runs a single-node Kafka broker (KRaft mode) on 127.0.0.1 until stopped.")
        .value("port", "9092", "client port (0 = any free port)")
        .value("dataDir", null, "folder for the logs, kept and reused; by default a temporary folder deleted at exit")
        .value("partitions", "1", "partitions of topics created automatically (num.partitions)");
  }

  static OptionSet mqttOptions() {
    return new OptionSet("broker mqtt", "usage: iotbench broker mqtt [--option=value ...]\n"
            + "Runs mosquitto on 127.0.0.1 until stopped (install it with 'apt-get install -y mosquitto').")
        .value("port", "1883", "port (0 = any free port)");
  }

  public static void main(String[] args) {
    // The broker is stopped by our shutdown hook, and Kafka logs while it stops: log4j must not shut
    // itself down first in its own hook.
    System.setProperty("log4j2.shutdownHookEnabled", "false");
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns only on errors or after the broker stopped by itself. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    String kind = args.length > 0 && !args[0].startsWith("-") ? args[0] : "";
    String[] rest = kind.isEmpty() ? args : java.util.Arrays.copyOfRange(args, 1, args.length);
    OptionSet options =
        switch (kind) {
          case "kafka" -> kafkaOptions();
          case "mqtt" -> mqttOptions();
          default -> null;
        };
    if (options == null) {
      if (OptionSet.wantsHelp(args)) {
        out.println("usage: iotbench broker kafka|mqtt [--option=value ...]");
        out.println();
        kafkaOptions().printHelp(out);
        out.println();
        mqttOptions().printHelp(out);
        return 0;
      }
      err.println("iotbench broker: error: " + (kind.isEmpty() ? "which broker?" : "unknown broker '" + kind + "'")
          + " (iotbench broker kafka|mqtt [--port=...])");
      return 2;
    }
    if (OptionSet.wantsHelp(rest)) {
      options.printHelp(out);
      return 0;
    }
    try {
      ParsedOptions o = options.parse(rest);
      if (!o.positional().isEmpty()) {
        throw new UsageException("unexpected argument '" + o.positional().get(0) + "'");
      }
      int port = o.intValue("port", 0, 65535);
      return kind.equals("kafka")
          ? runKafka(port, o.string("dataDir"), o.intValue("partitions", 1, 10_000), out)
          : runMqtt(port, out);
    } catch (UsageException e) {
      err.println("iotbench " + options.command() + ": error: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("iotbench " + options.command() + ": error: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
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
