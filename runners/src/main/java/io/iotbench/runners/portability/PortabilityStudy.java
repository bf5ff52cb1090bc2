package io.iotbench.runners.portability;

import static io.iotbench.simulator.cli.Commands.VALUE;

import io.iotbench.model.support.ErrorText;
import io.iotbench.model.support.Folders;
import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.generate.GenerateTrainingData;
import io.iotbench.runners.ProjectLayout;
import io.iotbench.runners.cluster.ClusterState;
import io.iotbench.runners.cluster.StandaloneCluster;
import io.iotbench.runners.portability.CanonicalRecords.Canonical;
import io.iotbench.simulator.cli.Commands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code iotbench portability}: runs chosen pipelines on chosen runners on the same inputs and seed, as Beam's
 * Nexmark suite does, and checks that every runner gives the same answer. Each run is its own
 * {@code runners/bin/iotbench COMMAND --preset=RUNNER} process (so each runner gets its own classpath, and wall
 * time is what a user waits for, JVM start included). The output of each run is reduced to a canonical checksum
 * (records sorted) and compared with the first runner's; a difference is reported with the first differing
 * record. Writes {@code table.md}, {@code table.csv} and {@code chart.png} into {@code --output}, prints the table
 * and ends with {@code RESULT runs=.. equal=.. mismatches=.. failed=.. skipped=..}; exits 1 on any mismatch.
 *
 * <pre>{@code
 * iotbench portability --runners=direct,spark-local,spark-standalone,flink --pipelines=generate \
 *     --rows=20000 --sensors=100 --output=data/portability
 * }</pre>
 */
@Command(
    name = "portability",
    synopsisHeading = "",
    customSynopsis = "usage: iotbench portability --output=... [--option=value ...] [generate's options]",
    description = {
      "Runs chosen pipelines on chosen runners on the same inputs and seed and checks that every runner gives the same answer.",
      "The data's size and seed are generate's options (iotbench generate --help): --rows (default here "
          + PortabilityStudy.DEFAULT_ROWS + "), --sensors, --partitions, --seed."
    },
    optionListHeading = Commands.OPTION_LIST_HEADING,
    sortOptions = false)
public final class PortabilityStudy implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(PortabilityStudy.class);

  /** Rows when {@code --rows} is not given: small enough for every runner in well under a minute. */
  public static final long DEFAULT_ROWS = 20_000;

  @Spec CommandSpec spec;
  @Mixin Commands.HelpOption help;

  @Option(names = "--runners", paramLabel = VALUE, defaultValue = "direct,spark-local,spark-standalone,flink",
      description = "runners, comma-separated, the first being the reference: direct, spark-local, spark-standalone, flink, yarn [${DEFAULT-VALUE}]")
  String runners;

  @Option(names = "--pipelines", paramLabel = VALUE, defaultValue = "generate,prepare,evaluate,score",
      description = "pipelines, comma-separated: generate, prepare, evaluate, score (from a recorded stream) [${DEFAULT-VALUE}]")
  String pipelines;

  @Option(names = "--output", paramLabel = VALUE, required = true,
      description = "folder for the study: inputs/, one folder per pipeline and runner with its output and run.log, "
          + "table.md, table.csv, chart.png (required)")
  String output;

  @Option(names = "--clusterDir", paramLabel = VALUE,
      description = "folder for the cluster's state file, daemon logs and the Worker's work folder "
          + "[$IOTBENCH_CLUSTER_DIR, else data/cluster in the project]")
  String clusterDir;

  @Option(names = "--runTimeoutMinutes", paramLabel = VALUE, defaultValue = "30",
      description = "minutes one run may take before it is stopped and counted as failed [${DEFAULT-VALUE}]")
  int runTimeoutMinutes;

  /** generate's options that size the data ({@code --rows}, {@code --sensors}, ...), parsed by Beam. */
  @Unmatched List<String> generateArgs = new ArrayList<>();

  PortabilityStudy() {}

  public static void main(String[] args) {
    System.exit(Commands.execute(new PortabilityStudy(), args, System.out, System.err, InvalidOptionException.class));
  }

  /** The study's data options: generate's, as Beam parses them. */
  GenerateTrainingData.Options dataOptions() {
    try {
      return PipelineOptionsFactory.fromArgs(generateArgs.toArray(new String[0])).as(GenerateTrainingData.Options.class);
    } catch (IllegalArgumentException e) {
      throw Commands.usage(spec, ErrorText.oneLine(e));
    }
  }

  /** Runs the study; returns 0 when every run gave the reference's answer, 1 otherwise. */
  @Override
  public Integer call() throws Exception {
    GenerateTrainingData.Options data = dataOptions();
    List<StudyRunner> runners = StudyRunner.parse(this.runners);
    List<StudyPipeline> pipelines = StudyPipelines.parse(this.pipelines);
    long rows = data.getRows() == null ? DEFAULT_ROWS : data.getRows();
    InvalidOptionException.check(rows > 0, "rows", data.getRows(), "must be a positive number of rows");
    InvalidOptionException.check(data.getSensors() > 0, "sensors", data.getSensors(), "must be a positive number of sensors");
    InvalidOptionException.check(data.getPartitions() > 0, "partitions", data.getPartitions(), "must be a positive number of partitions");
    InvalidOptionException.check(runTimeoutMinutes > 0, "runTimeoutMinutes", runTimeoutMinutes, "must be positive");

    ProjectLayout layout = ProjectLayout.current();
    Path out = Paths.get(output).toAbsolutePath().normalize();
    Path clusterDir = layout.clusterDir(this.clusterDir);
    Files.createDirectories(out);
    Runs runs = new Runs(layout, clusterDir, runTimeoutMinutes);
    StudyInputs inputs =
        new StudyInputs(out.resolve("inputs"), rows, data.getSensors(), data.getPartitions(), data.getSeed(), runs::runOrThrow);
    Files.createDirectories(inputs.dir());

    ClusterState startedCluster = null;
    if (runners.contains(StudyRunner.SPARK_STANDALONE) && StandaloneCluster.runningMasterUrl(clusterDir).isEmpty()) {
      ConsoleReport.progress("Starting a Spark Standalone cluster for the study in " + clusterDir + " ...");
      startedCluster =
          StandaloneCluster.start(
              new StandaloneCluster.Config(layout.sparkHome(), clusterDir, 0, 0, 2, "2g", "512m"));
    }
    List<StudyResult> results = new ArrayList<>();
    try {
      for (StudyPipeline pipeline : pipelines) {
        results.addAll(runPipeline(pipeline, runners, inputs, out, runs));
      }
    } finally {
      if (startedCluster != null) {
        StandaloneCluster.stop(clusterDir);
      }
    }

    StudyReport report =
        new StudyReport(
            results,
            "Each run's output is sorted and checksummed (SHA-256) and compared with the first runner that ran ("
                + runners.get(0).label() + " unless it failed); wall seconds include the JVM start. "
                + String.format(Locale.ROOT, "%d rows x %d sensors, %d partitions, seed %d.", rows, data.getSensors(), data.getPartitions(), data.getSeed()));
    report.write(out);
    StudyChart.write(results, out.resolve("chart.png"), 1000, 560);
    ConsoleReport.line(report.markdown());
    ConsoleReport.line("Wrote " + out.resolve("table.md") + ", table.csv and chart.png");
    ConsoleReport.line(report.resultLine());
    return report.allEqual() ? 0 : 1;
  }

  private static List<StudyResult> runPipeline(
      StudyPipeline pipeline, List<StudyRunner> runners, StudyInputs inputs, Path out, Runs runs) throws Exception {
    List<StudyResult> results = new ArrayList<>();
    Canonical reference = null;
    String referenceRunner = null;
    for (StudyRunner runner : runners) {
      String unavailable = runner.unavailableReason(System.getenv());
      if (unavailable != null) {
        results.add(StudyResult.skipped(pipeline.name(), runner.label(), unavailable));
        continue;
      }
      Path runDir = out.resolve(pipeline.name()).resolve(runner.label());
      Folders.deleteRecursively(runDir);
      Files.createDirectories(runDir);
      List<String> args = new ArrayList<>(pipeline.arguments(inputs, runDir));
      args.add("--preset=" + runner.preset());
      ConsoleReport.progress("Running " + pipeline.name() + " on " + runner.label() + " ...");
      Runs.Run run = runs.run(pipeline.command(), args, runDir.resolve("run.log"));
      if (run.exitCode() != 0) {
        results.add(
            new StudyResult(pipeline.name(), runner.label(), StudyResult.Outcome.FAILED, run.seconds(), 0, "", false,
                "exit " + run.exitCode() + ": " + run.lastLine() + " (see " + runDir.resolve("run.log") + ")"));
        continue;
      }
      Canonical canonical;
      try {
        canonical = CanonicalRecords.of(pipeline.records(runDir));
      } catch (IOException e) {
        results.add(
            new StudyResult(pipeline.name(), runner.label(), StudyResult.Outcome.FAILED, run.seconds(), 0, "", false,
                "unreadable output: " + ErrorText.oneLine(e)));
        continue;
      }
      String note = "";
      boolean equal;
      if (reference == null) {
        reference = canonical;
        referenceRunner = runner.label();
        equal = true;
        note = "reference";
      } else {
        Optional<CanonicalRecords.Difference> difference = CanonicalRecords.firstDifference(reference.sorted(), canonical.sorted());
        equal = difference.isEmpty();
        if (!equal) {
          note = difference.get().describe(referenceRunner, 80);
        }
      }
      LOG.info("{} on {}: {} records in {} s, {}", pipeline.name(), runner.label(), canonical.count(), run.seconds(), canonical.sha256());
      results.add(
          new StudyResult(pipeline.name(), runner.label(), StudyResult.Outcome.RAN, run.seconds(), canonical.count(), canonical.sha256(), equal, note));
    }
    return results;
  }

  /** Runs launcher commands as child processes. */
  static final class Runs {
    record Run(int exitCode, double seconds, String lastLine) {}

    private final ProjectLayout layout;
    private final Path clusterDir;
    private final int timeoutMinutes;

    Runs(ProjectLayout layout, Path clusterDir, int timeoutMinutes) {
      this.layout = layout;
      this.clusterDir = clusterDir;
      this.timeoutMinutes = timeoutMinutes;
    }

    Run run(String command, List<String> args, Path log) throws IOException, InterruptedException {
      List<String> commandLine = new ArrayList<>();
      commandLine.add(layout.launcher().toString());
      commandLine.add(command);
      commandLine.addAll(args);
      ProcessBuilder builder = new ProcessBuilder(commandLine).redirectErrorStream(true).redirectOutput(log.toFile());
      // The study's own launcher has just checked the build; children must not rebuild under each other.
      builder.environment().put("IOTBENCH_SKIP_BUILD", "true");
      builder.environment().put(ProjectLayout.CLUSTER_DIR_ENV, clusterDir.toString());
      // The spark-standalone preset must find the study's cluster (the one of --clusterDir), not another one.
      builder.environment().remove("SPARK_MASTER");
      Files.writeString(log, "", StandardCharsets.UTF_8);
      long start = System.nanoTime();
      Process process = builder.start();
      if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        return new Run(-1, (System.nanoTime() - start) / 1e9, "timed out after " + timeoutMinutes + " min");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Run(process.exitValue(), seconds, lastErrorLine(log));
    }

    void runOrThrow(String command, List<String> args, Path log) throws IOException, InterruptedException {
      Run run = run(command, args, log);
      if (run.exitCode() != 0) {
        throw new IOException("making a study input with '" + command + "' failed: " + run.lastLine() + " (see " + log + ")");
      }
    }

    /** The "iotbench ...: error/failed" line when there is one, else the last line. */
    private static String lastErrorLine(Path log) throws IOException {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (lines.get(i).startsWith("iotbench ")) {
          return lines.get(i);
        }
      }
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          return lines.get(i).strip();
        }
      }
      return "(no output)";
    }
  }
}
