package io.iotbench.runners.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotbench.model.support.ChildProcess;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.simulator.broker.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Spark Standalone cluster on 127.0.0.1: a Master and one Worker, each in its own JVM started from a
 * SPARK_HOME whose {@code jars/} is Spark's runtime (made by the build's spark-dist module); the Worker starts
 * executors as further JVMs. The state between commands lives in {@link ClusterState} inside the cluster folder, next to the
 * daemons' logs ({@code master.log}, {@code worker.log}) and the Worker's work folder.
 */
public final class StandaloneCluster {
  private static final Logger LOG = LoggerFactory.getLogger(StandaloneCluster.class);
  static final String MASTER_CLASS = "org.apache.spark.deploy.master.Master";
  static final String WORKER_CLASS = "org.apache.spark.deploy.worker.Worker";
  private static final int START_TIMEOUT_SECONDS = 90;
  private static final int STOP_GRACE_SECONDS = 15;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How to start the cluster; a port of 0 means "any free port".
   *
   * @param sparkHome the SPARK_HOME with {@code jars/}
   * @param dir the cluster folder (state, logs, work)
   * @param masterPort the Master's RPC port
   * @param webUiPort the Master's web UI port
   * @param workerCores cores the Worker offers
   * @param workerMemory memory the Worker offers ({@code 2g})
   * @param daemonHeap heap of each daemon JVM ({@code 512m}; executors get their own)
   */
  public record Config(
      Path sparkHome, Path dir, int masterPort, int webUiPort, int workerCores, String workerMemory, String daemonHeap) {}

  /** What {@link #status} found. */
  public record Status(ClusterState state, boolean masterAlive, boolean workerAlive, int aliveWorkers) {}

  private StandaloneCluster() {}

  /** Starts Master and Worker and waits until the Worker is registered; fails if a cluster runs in the folder. */
  public static ClusterState start(Config config) throws IOException, InterruptedException {
    Optional<ClusterState> previous = ClusterState.read(config.dir());
    if (previous.isPresent()) {
      ClusterState old = previous.get();
      if (Daemon.isRunning(old.masterPid(), MASTER_CLASS) || Daemon.isRunning(old.workerPid(), WORKER_CLASS)) {
        throw new ClusterException(
            "already running: " + old.masterUrl() + " (master pid " + old.masterPid() + ", folder " + config.dir()
                + "); stop it with 'iotbench cluster stop'");
      }
      LOG.warn("Removing the state of a cluster that is no longer running: {}", config.dir());
      ClusterState.delete(config.dir());
    }
    if (!io.iotbench.runners.ProjectLayout.isSparkHome(config.sparkHome())) {
      throw new ClusterException(
          "no Spark jars in " + config.sparkHome().resolve("jars")
              + "; build them with 'mvn -DskipTests -pl runners -am package' (module spark-dist)");
    }
    int masterPort = port(config.masterPort(), "masterPort");
    int webUiPort = port(config.webUiPort(), "webUiPort");
    int workerPort = FreePorts.find();
    int workerWebUiPort = FreePorts.find();
    Files.createDirectories(config.dir().resolve("work"));

    long t0 = System.nanoTime();
    ChildProcess master =
        launch(
            config,
            "master",
            MASTER_CLASS,
            List.of("--host", "127.0.0.1", "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(webUiPort)));
    try {
      awaitReady(master, config, "master", () -> FreePorts.accepts("127.0.0.1", masterPort, 500) && FreePorts.accepts("127.0.0.1", webUiPort, 500));
      double masterSeconds = (System.nanoTime() - t0) / 1e9;

      long t1 = System.nanoTime();
      ChildProcess worker =
          launch(
              config,
              "worker",
              WORKER_CLASS,
              List.of(
                  "--host", "127.0.0.1",
                  "--port", Integer.toString(workerPort),
                  "--webui-port", Integer.toString(workerWebUiPort),
                  "--cores", Integer.toString(config.workerCores()),
                  "--memory", config.workerMemory(),
                  "--work-dir", config.dir().resolve("work").toString(),
                  "spark://127.0.0.1:" + masterPort));
      awaitReady(worker, config, "worker", () -> aliveWorkers(webUiPort) >= 1);
      double workerSeconds = (System.nanoTime() - t1) / 1e9;
      ClusterState state =
          new ClusterState(
              master.process().pid(),
              worker.process().pid(),
              masterPort,
              webUiPort,
              workerWebUiPort,
              config.workerCores(),
              config.workerMemory(),
              config.sparkHome().toString(),
              System.currentTimeMillis(),
              masterSeconds,
              workerSeconds);
      try {
        state.write(config.dir());
      } catch (IOException | RuntimeException e) {
        worker.close();
        throw e;
      }
      // From here on the daemons outlive this JVM; 'iotbench cluster stop' ends them by their pids.
      master.detach();
      worker.detach();
      return state;
    } catch (IOException | RuntimeException e) {
      master.close();
      throw e;
    }
  }

  /** Stops the cluster of {@code dir}; fails with "not running" when there is none. Returns the stopped state. */
  public static ClusterState stop(Path dir) throws IOException {
    ClusterState state = ClusterState.read(dir).orElseThrow(() -> notRunning(dir));
    // Worker first: it takes its executors down with it, and a Master that outlives it only logs the loss.
    boolean worker = Daemon.stop(state.workerPid(), WORKER_CLASS, STOP_GRACE_SECONDS);
    boolean master = Daemon.stop(state.masterPid(), MASTER_CLASS, STOP_GRACE_SECONDS);
    ClusterState.delete(dir);
    if (!worker && !master) {
      throw notRunning(dir);
    }
    return state;
  }

  /** The cluster of {@code dir}; fails with "not running" when there is none or both daemons are gone. */
  public static Status status(Path dir) throws IOException {
    ClusterState state = ClusterState.read(dir).orElseThrow(() -> notRunning(dir));
    boolean masterAlive = Daemon.isRunning(state.masterPid(), MASTER_CLASS);
    boolean workerAlive = Daemon.isRunning(state.workerPid(), WORKER_CLASS);
    if (!masterAlive && !workerAlive) {
      throw notRunning(dir);
    }
    int alive = masterAlive ? aliveWorkers(state.webUiPort()) : 0;
    return new Status(state, masterAlive, workerAlive, Math.max(alive, 0));
  }

  /** The running cluster's master URL in {@code dir}, if a cluster runs there. */
  public static Optional<String> runningMasterUrl(Path dir) {
    try {
      return Optional.of(status(dir)).filter(Status::masterAlive).map(s -> s.state().masterUrl());
    } catch (IOException | ClusterException e) {
      return Optional.empty();
    }
  }

  /** Workers the Master lists as ALIVE (its web UI's {@code /json/}); -1 when it does not answer. */
  static int aliveWorkers(int webUiPort) {
    try {
      HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + webUiPort + "/json/").openConnection();
      connection.setConnectTimeout(1000);
      connection.setReadTimeout(2000);
      try (InputStream in = connection.getInputStream()) {
        JsonNode json = JSON.readTree(in);
        return json.path("aliveworkers").asInt(-1);
      } finally {
        connection.disconnect();
      }
    } catch (IOException e) {
      return -1;
    }
  }

  private static int port(int requested, String option) throws IOException {
    if (requested == 0) {
      return FreePorts.find();
    }
    if (requested < 0 || requested > 65535) {
      throw new InvalidOptionException("--" + option + "=" + requested + ": not a port number");
    }
    if (!FreePorts.isFree(requested)) {
      throw new InvalidOptionException("--" + option + "=" + requested + ": port " + requested + " on 127.0.0.1 is busy");
    }
    return requested;
  }

  private static ChildProcess launch(Config config, String name, String mainClass, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Daemon.javaExecutable());
    command.addAll(Daemon.moduleFlags());
    command.add("-Xmx" + config.daemonHeap());
    command.add("-cp");
    command.add(config.sparkHome().resolve("jars") + "/*");
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(config.dir().toFile());
    Map<String, String> env = builder.environment();
    env.put("SPARK_HOME", config.sparkHome().toString());
    // Without it the Worker cannot build executor command lines: "Cannot find any build directories".
    env.put("SPARK_SCALA_VERSION", "2.12");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    // Executors inherit the Worker's environment; a stale value here would send them to another Spark.
    env.remove("SPARK_CONF_DIR");
    Path log = logOf(config, name);
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    LOG.debug("Starting {}", command);
    return ChildProcess.start(name, builder, log, Duration.ofSeconds(STOP_GRACE_SECONDS), null);
  }

  /** Waits for a daemon; if it dies or is not ready in time it is stopped and the error names its log. */
  private static void awaitReady(ChildProcess daemon, Config config, String name, BooleanSupplier ready) {
    try {
      daemon.awaitReady(ready, Duration.ofSeconds(START_TIMEOUT_SECONDS), Duration.ofMillis(100));
    } catch (IOException e) {
      throw new ClusterException(e.getMessage() + " (log " + logOf(config, name) + ")");
    }
  }

  private static Path logOf(Config config, String name) {
    return config.dir().resolve(name + ".log");
  }

  private static ClusterException notRunning(Path dir) {
    return new ClusterException("not running (no cluster in " + dir + "); start one with 'iotbench cluster start'");
  }
}
