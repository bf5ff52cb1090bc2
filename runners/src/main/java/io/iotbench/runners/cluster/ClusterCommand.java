package io.iotbench.runners.cluster;

import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.runners.ProjectLayout;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code iotbench cluster start|stop|status}: a Spark Standalone cluster on 127.0.0.1 for drivers started with
 * {@code --sparkMaster=spark://127.0.0.1:PORT} (or the {@code spark-standalone} preset) and for
 * {@code spark-submit --master spark://...}. {@code start} prints the master URL and how long Master and Worker
 * took; {@code status} the URL and the number of live workers; {@code stop} stops Worker (with its executors)
 * and Master.
 *
 * <pre>{@code
 * iotbench cluster start --workerCores=2 --workerMemory=2g [--masterPort=7077 --webUiPort=8080]
 * iotbench cluster status
 * iotbench cluster stop
 * }</pre>
 */
public final class ClusterCommand {
  /** Options of {@code iotbench cluster}. */
  public interface Options extends PipelineOptions {
    @Description("Folder for the cluster's state file, daemon logs and the Worker's work folder. Default: "
        + "$IOTBENCH_CLUSTER_DIR, else data/cluster in the project.")
    String getClusterDir();

    void setClusterDir(String clusterDir);

    @Description("The Master's RPC port on 127.0.0.1; 0 picks a free port.")
    @Default.Integer(0)
    int getMasterPort();

    void setMasterPort(int masterPort);

    @Description("The Master's web UI port on 127.0.0.1; 0 picks a free port.")
    @Default.Integer(0)
    int getWebUiPort();

    void setWebUiPort(int webUiPort);

    @Description("Cores the Worker offers to applications.")
    @Default.Integer(2)
    int getWorkerCores();

    void setWorkerCores(int workerCores);

    @Description("Memory the Worker offers to applications' executors, Spark syntax (1g, 2048m).")
    @Default.String("2g")
    String getWorkerMemory();

    void setWorkerMemory(String workerMemory);

    @Description("SPARK_HOME to run the daemons from (a folder with jars/). Default: spark-dist/target/spark-home.")
    String getClusterSparkHome();

    void setClusterSparkHome(String clusterSparkHome);
  }

  private static final String USAGE = "usage: iotbench cluster start|stop|status [--option=value ...]";

  private ClusterCommand() {}

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs {@code args} ({@code ACTION [--options]}) and returns the exit code. */
  public static int execute(String[] args) {
    if (args.length == 0 || args[0].startsWith("--")) {
      if (Arrays.asList(args).contains("--help")) {
        ConsoleReport.line(USAGE);
        return Cli.execute("cluster", args, Options.class, o -> 0);
      }
      ConsoleReport.error("iotbench cluster: error: missing action; " + USAGE);
      return Cli.EXIT_USAGE;
    }
    String action = args[0];
    String[] options = Arrays.copyOfRange(args, 1, args.length);
    return Cli.execute("cluster", options, Options.class, o -> run(action, o));
  }

  static int run(String action, Options options) throws Exception {
    ProjectLayout layout = ProjectLayout.current();
    Path dir = layout.clusterDir(options.getClusterDir());
    try {
      switch (action) {
        case "start" -> start(layout, dir, options);
        case "stop" -> {
          ClusterState state = StandaloneCluster.stop(dir);
          ConsoleReport.line("stopped " + state.masterUrl() + " (master pid " + state.masterPid() + ", worker pid " + state.workerPid() + ")");
        }
        case "status" -> {
          StandaloneCluster.Status status = StandaloneCluster.status(dir);
          ConsoleReport.line(statusLine(status));
          return status.masterAlive() && status.aliveWorkers() > 0 ? 0 : 1;
        }
        default -> throw new InvalidOptionException("unknown action '" + action + "'; " + USAGE);
      }
    } catch (ClusterException e) {
      ConsoleReport.error("iotbench cluster: error: " + e.getMessage());
      return Cli.EXIT_FAILED;
    }
    return 0;
  }

  private static void start(ProjectLayout layout, Path dir, Options options) throws Exception {
    InvalidOptionException.check(options.getWorkerCores() > 0, "workerCores", options.getWorkerCores(), "must be positive");
    InvalidOptionException.check(
        options.getWorkerMemory() != null && options.getWorkerMemory().matches("\\d+[mMgG]"),
        "workerMemory", options.getWorkerMemory(), "must be a size such as 2g or 1536m");
    Path sparkHome = options.getClusterSparkHome() == null ? layout.sparkHome() : Paths.get(options.getClusterSparkHome()).toAbsolutePath();
    ClusterState state =
        StandaloneCluster.start(
            new StandaloneCluster.Config(
                sparkHome, dir, options.getMasterPort(), options.getWebUiPort(), options.getWorkerCores(), options.getWorkerMemory(), "512m"));
    ConsoleReport.line(
        String.format(
            Locale.ROOT,
            "started %s (web UI %s): 1 worker with %d cores and %s; master up in %.1f s, worker registered in %.1f s; folder %s",
            state.masterUrl(),
            state.webUiUrl(),
            state.workerCores(),
            state.workerMemory(),
            state.masterStartSeconds(),
            state.workerStartSeconds(),
            dir));
  }

  static String statusLine(StandaloneCluster.Status status) {
    ClusterState state = status.state();
    Duration up = Duration.ofMillis(Math.max(0, System.currentTimeMillis() - state.startedAtMillis()));
    if (!status.masterAlive()) {
      return "degraded: master of " + state.masterUrl() + " is gone (worker pid " + state.workerPid() + " still runs); run 'iotbench cluster stop'";
    }
    return String.format(
        Locale.ROOT,
        "running %s (web UI %s): %d worker(s) alive, up %d min %d s",
        state.masterUrl(),
        state.webUiUrl(),
        status.aliveWorkers(),
        up.toMinutes(),
        up.toSecondsPart());
  }
}
