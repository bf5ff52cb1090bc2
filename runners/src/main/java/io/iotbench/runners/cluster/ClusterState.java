package io.iotbench.runners.cluster;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code iotbench cluster start} left behind for {@code status} and {@code stop}: the daemons' process ids,
 * ports, the master URL and the measured start times, in {@code <clusterDir>/cluster.properties}. Written
 * atomically (temp file + rename) so a concurrent {@code status} never reads half a file.
 *
 * @param masterPid the Master's process id
 * @param workerPid the Worker's process id
 * @param masterPort the Master's RPC port
 * @param webUiPort the Master's web UI port (its {@code /json/} answers {@code status})
 * @param workerWebUiPort the Worker's web UI port
 * @param workerCores cores the Worker offers
 * @param workerMemory memory the Worker offers, Spark syntax ({@code 2g})
 * @param sparkHome the SPARK_HOME the daemons run from
 * @param startedAtMillis wall-clock time the start finished
 * @param masterStartSeconds seconds until the Master accepted connections
 * @param workerStartSeconds seconds from the Worker's launch until the Master listed it alive
 */
public record ClusterState(
    long masterPid,
    long workerPid,
    int masterPort,
    int webUiPort,
    int workerWebUiPort,
    int workerCores,
    String workerMemory,
    String sparkHome,
    long startedAtMillis,
    double masterStartSeconds,
    double workerStartSeconds) {

  /** The state file's name inside the cluster folder. */
  public static final String FILE_NAME = "cluster.properties";

  /** The URL drivers connect to. */
  public String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  /** The Master's web UI. */
  public String webUiUrl() {
    return "http://127.0.0.1:" + webUiPort;
  }

  /** Writes the state into {@code dir}. */
  public void write(Path dir) throws IOException {
    Properties p = new Properties();
    p.setProperty("masterPid", Long.toString(masterPid));
    p.setProperty("workerPid", Long.toString(workerPid));
    p.setProperty("masterPort", Integer.toString(masterPort));
    p.setProperty("webUiPort", Integer.toString(webUiPort));
    p.setProperty("workerWebUiPort", Integer.toString(workerWebUiPort));
    p.setProperty("workerCores", Integer.toString(workerCores));
    p.setProperty("workerMemory", workerMemory);
    p.setProperty("sparkHome", sparkHome);
    p.setProperty("startedAtMillis", Long.toString(startedAtMillis));
    p.setProperty("masterStartSeconds", String.format(Locale.ROOT, "%.3f", masterStartSeconds));
    p.setProperty("workerStartSeconds", String.format(Locale.ROOT, "%.3f", workerStartSeconds));
    p.setProperty("masterUrl", masterUrl());
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, FILE_NAME, ".tmp");
    try (Writer w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
      p.store(w, "iotbench cluster: Spark Standalone on 127.0.0.1");
    }
    Files.move(temp, dir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The state in {@code dir}, or empty when there is none; a damaged file is an error naming it. */
  public static Optional<ClusterState> read(Path dir) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    try {
      return Optional.of(
          new ClusterState(
              Long.parseLong(required(p, "masterPid")),
              Long.parseLong(required(p, "workerPid")),
              Integer.parseInt(required(p, "masterPort")),
              Integer.parseInt(required(p, "webUiPort")),
              Integer.parseInt(required(p, "workerWebUiPort")),
              Integer.parseInt(required(p, "workerCores")),
              required(p, "workerMemory"),
              required(p, "sparkHome"),
              Long.parseLong(required(p, "startedAtMillis")),
              Double.parseDouble(required(p, "masterStartSeconds")),
              Double.parseDouble(required(p, "workerStartSeconds"))));
    } catch (IllegalArgumentException e) {
      throw new ClusterException("damaged cluster state " + file + ": " + e.getMessage() + "; remove it if no cluster runs");
    }
  }

  /** Removes the state file of {@code dir}, if any. */
  public static void delete(Path dir) throws IOException {
    Files.deleteIfExists(dir.resolve(FILE_NAME));
  }

  private static String required(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("missing " + key);
    }
    return value;
  }
}
