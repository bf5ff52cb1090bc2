package io.iotbench.simulator.broker;

import io.iotbench.model.support.ChildProcess;
import io.iotbench.model.support.Folders;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real MQTT broker: Debian's {@code mosquitto} run as a child process with a generated
 * configuration (listener on 127.0.0.1 only, anonymous access, no persistence, no cap on unacknowledged
 * messages in flight, a deep queue per subscriber), for
 * {@code iotbench broker mqtt} and the integration tests. Debian installs it in {@code /usr/sbin},
 * which is not on every user's PATH, so that folder is searched too. The process is stopped by
 * {@link #close()} and, should the JVM exit first, by a shutdown hook.
 */
public final class MosquittoBroker implements AutoCloseable {

  /** What to tell the user when there is no mosquitto to run. */
  public static final String NOT_FOUND =
      "mosquitto not found: install it with 'apt-get install -y mosquitto'";

  private static final List<String> SYSTEM_DIRS = List.of("/usr/sbin", "/usr/local/sbin", "/sbin");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final ChildProcess child;
  private final int port;

  private MosquittoBroker(ChildProcess child, int port) {
    this.child = child;
    this.port = port;
  }

  /** The mosquitto executable on {@code pathVariable} (a PATH value) or in the sbin folders. */
  public static Optional<Path> findExecutable(String pathVariable, List<String> extraDirs) {
    List<String> dirs = new ArrayList<>();
    if (pathVariable != null) {
      for (String d : pathVariable.split(File.pathSeparator)) {
        if (!d.isEmpty()) {
          dirs.add(d);
        }
      }
    }
    dirs.addAll(extraDirs);
    for (String d : dirs) {
      Path candidate = Path.of(d, "mosquitto");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** {@link #findExecutable(String, List)} on this process's PATH and the system folders. */
  public static Optional<Path> findExecutable() {
    return findExecutable(System.getenv("PATH"), SYSTEM_DIRS);
  }

  /**
   * Starts mosquitto on {@code 127.0.0.1:port} and returns once it accepts connections.
   *
   * @param port the port; 0 picks a free one
   * @param inheritOutput true to show mosquitto's own log on this process's stderr (the command),
   *     false to keep it in a file in the broker's temporary folder (tests)
   * @throws IOException with {@link #NOT_FOUND} if mosquitto is missing, or if it does not start
   */
  public static MosquittoBroker start(int port, boolean inheritOutput) throws IOException {
    Path executable = findExecutable().orElseThrow(() -> new IOException(NOT_FOUND));
    return start(executable, port, inheritOutput);
  }

  static MosquittoBroker start(Path executable, int port, boolean inheritOutput) throws IOException {
    int p = port == 0 ? FreePorts.find() : port;
    if (!FreePorts.isFree(p)) {
      throw new IOException("cannot start mosquitto: 127.0.0.1:" + p + " is already in use");
    }
    Path dir = Files.createTempDirectory("iotbench-mosquitto-");
    Path conf = dir.resolve("mosquitto.conf");
    Path log = dir.resolve("mosquitto.log");
    Files.writeString(conf, config(p), StandardCharsets.UTF_8);
    ProcessBuilder builder = new ProcessBuilder(executable.toString(), "-c", conf.toString());
    builder.redirectErrorStream(true);
    if (inheritOutput) {
      builder.redirectOutput(ProcessBuilder.Redirect.INHERIT);
    } else {
      builder.redirectOutput(log.toFile());
    }
    ChildProcess child =
        ChildProcess.start("mosquitto on 127.0.0.1:" + p, builder, inheritOutput ? null : log, Duration.ofSeconds(5),
            () -> Folders.deleteQuietly(dir));
    child.awaitReady(() -> FreePorts.accepts("127.0.0.1", p, 200), START_TIMEOUT, Duration.ofMillis(20));
    return new MosquittoBroker(child, p);
  }

  static String config(int port) {
    return String.join(
        "\n",
        "# written by iotbench broker mqtt",
        "listener " + port + " 127.0.0.1",
        "allow_anonymous true",
        "persistence false",
        // QoS 1/2 messages queued for a slow subscriber: mosquitto's default of 1000 drops a max-rate
        // burst, which would look like a simulator bug.
        "max_queued_messages 1000000",
        // No cap on QoS 1/2 messages sent and not yet acknowledged (default 20 per client): the scorer
        // acknowledges a message only once a checkpoint covering it is finalized, so with 20 in flight it
        // would receive 20 messages per checkpoint (docs/mqtt-delivery.md).
        "max_inflight_messages 0",
        "log_dest stdout",
        "log_type error",
        "log_type warning",
        "");
  }

  /** {@code tcp://127.0.0.1:<port>}, the simulator's {@code --mqttUri}. */
  public String uri() {
    return "tcp://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The mosquitto process, e.g. to wait for it. */
  public Process process() {
    return child.process();
  }

  /** Stops mosquitto and removes its folder. Safe to call twice. */
  @Override
  public void close() {
    child.close();
  }

  /** True once {@link #close()} or the shutdown hook began stopping mosquitto. */
  public boolean isStopping() {
    return child.isStopping();
  }
}
