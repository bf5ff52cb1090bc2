package io.iotbench.it.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code runners/bin/iotbench} as a user would, in its own process, on both runners. */
class LauncherIT {
  private static final Path ROOT = Paths.get(System.getProperty("iotbench.root", "..")).toAbsolutePath().normalize();

  @TempDir Path temp;

  record Run(int code, List<String> out, List<String> err) {}

  static Run iotbench(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("runners/bin/iotbench").toString());
    command.addAll(Arrays.asList(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    // The reactor has just built everything; a rebuild from inside the test would race with Maven itself.
    builder.environment().put("IOTBENCH_SKIP_BUILD", "true");
    Path out = Files.createTempFile("iotbench-out", ".txt");
    Path err = Files.createTempFile("iotbench-err", ".txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("iotbench " + String.join(" ", args) + " did not finish in 5 minutes");
    }
    Run run = new Run(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8), Files.readAllLines(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return run;
  }

  @Test
  void generateOnTheDirectRunnerPrintsTheReportAndWritesThePartitions() throws Exception {
    Path output = temp.resolve("direct");
    Run run = iotbench("generate", "--rows=1000", "--sensors=10", "--partitions=2", "--output=" + output);
    assertEquals(0, run.code(), run.err().toString());
    assertReport(run, output, 1000);
  }

  @Test
  void generateOnTheSparkRunnerGivesTheSameRowsAsTheDirectRunner() throws Exception {
    Path direct = temp.resolve("direct");
    Path spark = temp.resolve("spark");
    assertEquals(0, iotbench("generate", "--rows=2000", "--sensors=10", "--output=" + direct).code());
    Run run = iotbench("generate", "--rows=2000", "--sensors=10", "--output=" + spark, "--runner=SparkRunner", "--sparkMaster=local[2]");
    assertEquals(0, run.code(), run.err().toString());
    assertReport(run, spark, 2000);
    assertEquals(sortedLines(direct), sortedLines(spark));
  }

  private static void assertReport(Run run, Path output, int rows) {
    assertEquals(2, run.out().size(), run.out().toString());
    String time = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ: ";
    assertTrue(run.out().get(0).matches(time + java.util.regex.Pattern.quote("Creating file " + output + " with " + rows
        + " rows of 10 sensors") + ", each row preceded by score using cutoff \\d+\\.\\d, in \\d+ partitions"), run.out().get(0));
    assertTrue(run.out().get(1).matches(time + java.util.regex.Pattern.quote("Created file " + output)
        + " with size (\\d+B|\\d+\\.\\d(KB|MB|GB|TB)) in \\d+\\.\\d seconds with \\d+ ones \\(\\d+\\.\\d%\\)"), run.out().get(1));
  }

  @Test
  void invalidOptionIsOneErrorLineAndExitCodeTwo() throws Exception {
    Run run = iotbench("generate", "--sensors=0", "--output=" + temp);
    assertEquals(2, run.code());
    assertEquals(List.of("iotbench generate: error: --sensors=0: must be a positive number of sensors"), run.err());
  }

  @Test
  void unknownCommandIsRejected() throws Exception {
    Run run = iotbench("frobnicate");
    assertEquals(2, run.code());
    assertEquals("iotbench: unknown command 'frobnicate'", run.err().get(0));
  }

  @Test
  void cutoffsPrintsTheTable() throws Exception {
    Run run = iotbench("cutoffs", "--sensors=100", "--percents=1,50");
    assertEquals(0, run.code(), run.err().toString());
    assertEquals("percent normal montecarlo", run.out().get(0));
    assertEquals(3, run.out().size(), run.out().toString());
    assertTrue(run.out().get(2).startsWith("50 2525.00 "), run.out().get(2));
  }

  @Test
  void helpListsACommandsOptions() throws Exception {
    Run run = iotbench("generate", "--help");
    assertEquals(0, run.code());
    String help = String.join("\n", run.out());
    assertTrue(help.contains("--partitions") && help.contains("--compression"), help);
  }

  private static List<String> sortedLines(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
        lines.addAll(Files.readAllLines(file));
      }
    }
    lines.sort(null);
    return lines;
  }
}
