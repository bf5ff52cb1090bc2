package io.iotbench.runners.cluster;

import static io.iotbench.simulator.cli.Commands.VALUE;

import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.runners.ProjectLayout;
import io.iotbench.simulator.cli.Commands;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

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
@Command(
    name = "cluster",
    subcommands = {ClusterCommand.Start.class, ClusterCommand.Stop.class, ClusterCommand.Status.class},
    synopsisHeading = "",
    customSynopsis = ClusterCommand.USAGE)
public final class ClusterCommand implements Callable<Integer> {
  static final String USAGE = "usage: iotbench cluster start|stop|status [--option=value ...]";

  @Spec CommandSpec spec;

  // Not picocli's usage help: the help of 'cluster' shows every action's options.
  @Option(names = {"-h", "--help"}, description = "print this help and exit")
  boolean help;

  @Parameters(arity = "0..1", paramLabel = "start|stop|status", description = "what to do")
  String action;

  /** {@code --clusterDir}, which every action takes. */
  static final class ClusterDir {
    @Option(names = "--clusterDir", paramLabel = VALUE,
        description = "folder for the cluster's state file, daemon logs and the Worker's work folder "
            + "[$IOTBENCH_CLUSTER_DIR, else data/cluster in the project]")
    String clusterDir;

    Path resolve(ProjectLayout layout) {
      return layout.clusterDir(clusterDir);
    }
  }

  /** {@code cluster start}. */
  @Command(
      name = "start",
      synopsisHeading = "",
      customSynopsis = "usage: iotbench cluster start [--option=value ...]",
      description = "Starts a Master and one Worker on 127.0.0.1 and prints the master URL.",
      optionListHeading = Commands.OPTION_LIST_HEADING,
      sortOptions = false)
  static final class Start implements Callable<Integer>, Commands.Action {
    @Spec CommandSpec spec;
    @Mixin Commands.HelpOption help;
    @Mixin ClusterDir dir;

    @Option(names = "--masterPort", paramLabel = VALUE, defaultValue = "0",
        description = "the Master's RPC port on 127.0.0.1; 0 picks a free port [${DEFAULT-VALUE}]")
    int masterPort;

    @Option(names = "--webUiPort", paramLabel = VALUE, defaultValue = "0",
        description = "the Master's web UI port on 127.0.0.1; 0 picks a free port [${DEFAULT-VALUE}]")
    int webUiPort;

    @Option(names = "--workerCores", paramLabel = VALUE, defaultValue = "2", description = "cores the Worker offers to applications [${DEFAULT-VALUE}]")
    int workerCores;

    @Option(names = "--workerMemory", paramLabel = VALUE, defaultValue = "2g",
        description = "memory the Worker offers to applications' executors, Spark syntax (1g, 2048m) [${DEFAULT-VALUE}]")
    String workerMemory;

    @Option(names = "--clusterSparkHome", paramLabel = VALUE,
        description = "SPARK_HOME to run the daemons from (a folder with jars/) [spark-dist/target/spark-home]")
    String clusterSparkHome;

    @Override
    public Integer call() throws Exception {
      Commands.check(spec, workerCores > 0, "workerCores", "must be positive");
      Commands.check(spec, workerMemory.matches("\\d+[mMgG]"), "workerMemory", "must be a size such as 2g or 1536m");
      ProjectLayout layout = ProjectLayout.current();
      Path folder = dir.resolve(layout);
      Path sparkHome = clusterSparkHome == null ? layout.sparkHome() : Paths.get(clusterSparkHome).toAbsolutePath();
      return failsAsCluster(() -> {
        ClusterState state =
            StandaloneCluster.start(
                new StandaloneCluster.Config(sparkHome, folder, masterPort, webUiPort, workerCores, workerMemory, "512m"));
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
                folder));
        return 0;
      });
    }
  }

  /** {@code cluster stop}. */
  @Command(
      name = "stop",
      synopsisHeading = "",
      customSynopsis = "usage: iotbench cluster stop [--option=value ...]",
      description = "Stops the Worker (with its executors) and the Master.",
      optionListHeading = Commands.OPTION_LIST_HEADING)
  static final class Stop implements Callable<Integer>, Commands.Action {
    @Mixin Commands.HelpOption help;
    @Mixin ClusterDir dir;

    @Override
    public Integer call() throws Exception {
      Path folder = dir.resolve(ProjectLayout.current());
      return failsAsCluster(() -> {
        ClusterState state = StandaloneCluster.stop(folder);
        ConsoleReport.line("stopped " + state.masterUrl() + " (master pid " + state.masterPid() + ", worker pid " + state.workerPid() + ")");
        return 0;
      });
    }
  }

  /** {@code cluster status}. */
  @Command(
      name = "status",
      synopsisHeading = "",
      customSynopsis = "usage: iotbench cluster status [--option=value ...]",
      description = "Prints the master URL and the number of live workers; exits 1 unless Master and a Worker run.",
      optionListHeading = Commands.OPTION_LIST_HEADING)
  static final class Status implements Callable<Integer>, Commands.Action {
    @Mixin Commands.HelpOption help;
    @Mixin ClusterDir dir;

    @Override
    public Integer call() throws Exception {
      Path folder = dir.resolve(ProjectLayout.current());
      return failsAsCluster(() -> {
        StandaloneCluster.Status status = StandaloneCluster.status(folder);
        ConsoleReport.line(statusLine(status));
        return status.masterAlive() && status.aliveWorkers() > 0 ? 0 : 1;
      });
    }
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs {@code args} ({@code ACTION [--options]}) and returns the exit code. */
  public static int execute(String[] args) {
    return execute(args, System.out, System.err);
  }

  static int execute(String[] args, PrintStream out, PrintStream err) {
    return Commands.execute(new ClusterCommand(), args, out, err, InvalidOptionException.class);
  }

  /** Without an action: the help of every action, or an error. */
  @Override
  public Integer call() {
    if (help) {
      ConsoleReport.line(USAGE);
      for (CommandLine action : spec.subcommands().values()) {
        ConsoleReport.line("");
        action.usage(System.out);
      }
      return 0;
    }
    throw Commands.usage(spec, (action == null ? "missing action; " : "unknown action '" + action + "'; ") + USAGE);
  }

  /** A {@link ClusterException} (not running, already running, a daemon that died) as one error line and status 1. */
  private static int failsAsCluster(Callable<Integer> action) throws Exception {
    try {
      return action.call();
    } catch (ClusterException e) {
      ConsoleReport.error("iotbench cluster: error: " + e.getMessage());
      return Commands.EXIT_FAILED;
    }
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
