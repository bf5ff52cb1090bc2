package io.iotbench.it.runners;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs {@code runners/bin/iotbench} in its own process, as a user would, and collects what it printed. */
final class Launcher {
  static final Path ROOT = Paths.get(System.getProperty("iotbench.root", "..")).toAbsolutePath().normalize();

  record Run(int code, List<String> out, List<String> err, double seconds) {
    String lastOut() {
      return out.isEmpty() ? "" : out.get(out.size() - 1);
    }
  }

  private Launcher() {}

  static Run iotbench(Map<String, String> env, String... args) throws IOException, InterruptedException {
    return iotbench(10, env, args);
  }

  /** Runs {@code iotbench args}, stopping it (and failing) after {@code timeoutMinutes}. */
  static Run iotbench(int timeoutMinutes, Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("runners/bin/iotbench").toString());
    command.addAll(Arrays.asList(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    // The reactor has just built everything; a rebuild from inside the test would race with Maven itself.
    builder.environment().put("IOTBENCH_SKIP_BUILD", "true");
    builder.environment().putAll(env);
    Path out = Files.createTempFile("iotbench-out", ".txt");
    Path err = Files.createTempFile("iotbench-err", ".txt");
    long start = System.nanoTime();
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError("iotbench " + String.join(" ", args) + " did not finish in " + timeoutMinutes + " minutes");
    }
    Run run =
        new Run(
            process.exitValue(),
            Files.readAllLines(out, StandardCharsets.UTF_8),
            Files.readAllLines(err, StandardCharsets.UTF_8),
            (System.nanoTime() - start) / 1e9);
    Files.delete(out);
    Files.delete(err);
    return run;
  }

  static Run iotbench(String... args) throws IOException, InterruptedException {
    return iotbench(Map.of(), args);
  }

  /** Every line of every part file of a generate output, sorted. */
  static List<String> sortedLines(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
        lines.addAll(Files.readAllLines(file));
      }
    }
    lines.sort(null);
    return lines;
  }
}
