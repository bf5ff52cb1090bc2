package io.iotbench.simulator.broker;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real MQTT broker: Debian's {@code mosquitto} run as a child process with a generated
 * configuration (listener on 127.0.0.1 only, anonymous access, no persistence), for
 * {@code iotbench broker mqtt} and the integration tests. Debian installs it in {@code /usr/sbin},
 * which is not on every user's PATH, so that folder is searched too. The process is stopped by
 * {@link #close()} and, should the JVM exit first, by a shutdown hook.
 */
public final class MosquittoBroker implements AutoCloseable {

  /** What to tell the user when there is no mosquitto to run. */
  public static final String NOT_FOUND =
      "mosquitto not found: install it with 'apt-get install -y mosquitto'";

  private static final List<String> SYSTEM_DIRS = List.of("/usr/sbin", "/usr/local/sbin", "/sbin");
  private static final long START_TIMEOUT_MILLIS = 10_000;

  private final Process process;
  private final int port;
  private final Path dir;
  private final Thread shutdownHook;
  private volatile boolean stopping;

  private MosquittoBroker(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
    this.shutdownHook = new Thread(this::stop, "iotbench-mosquitto-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
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
    Process process = builder.start();
    MosquittoBroker broker = new MosquittoBroker(process, p, dir);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
    while (!FreePorts.accepts("127.0.0.1", p, 200)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        String why = process.isAlive() ? "did not open the port within 10 s" : "exited with status " + process.exitValue();
        String output = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8).trim() : "";
        broker.close();
        throw new IOException("mosquitto on 127.0.0.1:" + p + " " + why + (output.isEmpty() ? "" : ": " + output.replace('\n', ' ')));
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        broker.close();
        throw new IOException("interrupted while starting mosquitto", e);
      }
    }
    return broker;
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
    return process;
  }

  /** Stops mosquitto and removes its folder. Safe to call twice. */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook does the same.
    }
  }

  /** True once {@link #close()} or the shutdown hook began stopping mosquitto. */
  public boolean isStopping() {
    return stopping;
  }

  private void stop() {
    stopping = true;
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    Folders.deleteRecursively(dir);
  }
}
