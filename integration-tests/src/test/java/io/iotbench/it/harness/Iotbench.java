package io.iotbench.it.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs {@code runners/bin/iotbench} as a user would, in its own process: {@link #run} for commands
 * that end, {@link #start} for servers ({@code broker kafka}) that run until stopped. The project
 * root comes from the {@code iotbench.root} system property that Failsafe sets; the environment
 * variable {@code IOTBENCH_IT_ROOT} overrides it (to run the tests against another checkout). The
 * launcher is told not to rebuild: the reactor has just built everything, and a build from inside a
 * test would race with Maven itself.
 */
public final class Iotbench {

  private Iotbench() {}

  /** What a finished command did. */
  public record Result(int status, List<String> out, List<String> err, long millis) {}

  public static Path root() {
    String override = System.getenv("IOTBENCH_IT_ROOT");
    String root = override != null && !override.isEmpty() ? override : System.getProperty("iotbench.root", "..");
    return Paths.get(root).toAbsolutePath().normalize();
  }

  private static ProcessBuilder builder(String... args) {
    List<String> command = new ArrayList<>();
    command.add(root().resolve("runners/bin/iotbench").toString());
    command.addAll(Arrays.asList(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("IOTBENCH_SKIP_BUILD", "true");
    return builder;
  }

  /** Runs {@code iotbench args...} to the end; fails if it takes longer than {@code timeout}. */
  public static Result run(Duration timeout, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile("iotbench-out", ".txt");
    Path err = Files.createTempFile("iotbench-err", ".txt");
    try {
      long start = System.nanoTime();
      Process process = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("iotbench " + String.join(" ", args) + " did not finish within " + timeout);
      }
      return new Result(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
          Files.readAllLines(err, StandardCharsets.UTF_8), (System.nanoTime() - start) / 1_000_000);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Starts {@code iotbench args...} in the background; stop it with {@link Running#close()}. */
  public static Running start(String... args) throws IOException {
    Path err = Files.createTempFile("iotbench-err", ".txt");
    Process process = builder(args).redirectError(err.toFile()).start();
    return new Running(process, err, String.join(" ", args));
  }

  /** A command running in the background, whose standard output is collected line by line. */
  public static final class Running implements AutoCloseable {
    private final Process process;
    private final Path err;
    private final String command;
    private final List<String> out = new ArrayList<>();
    private final Thread reader;

    Running(Process process, Path err, String command) {
      this.process = process;
      this.err = err;
      this.command = command;
      this.reader = new Thread(this::readOut, "it-read-" + process.pid());
      reader.setDaemon(true);
      reader.start();
    }

    private void readOut() {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          synchronized (out) {
            out.add(line);
            out.notifyAll();
          }
        }
      } catch (IOException e) {
        // The process ended.
      }
    }

    /** The first output line matching {@code wanted}; fails after {@code timeout} or if the process ends. */
    public String awaitLine(Predicate<String> wanted, Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      synchronized (out) {
        while (true) {
          for (String line : out) {
            if (wanted.test(line)) {
              return line;
            }
          }
          long left = deadline - System.nanoTime();
          if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
            throw new AssertionError("iotbench " + command + " printed no such line within " + timeout
                + "; stdout " + out + ", stderr " + stderr());
          }
          out.wait(Math.max(1, Math.min(200, left / 1_000_000)));
        }
      }
    }

    public Process process() {
      return process;
    }

    /** The standard output lines read so far. */
    public List<String> lines() {
      synchronized (out) {
        return List.copyOf(out);
      }
    }

    public List<String> stderr() throws IOException {
      return Files.readAllLines(err, StandardCharsets.UTF_8);
    }

    /**
     * Sends SIGTERM, as Ctrl-C would, and waits up to {@code timeout} for the exit; returns the status.
     */
    public int stop(Duration timeout) throws Exception {
      // Through the ProcessHandle: Process.destroy() also closes the pipes, and what the command prints while it
      // ends (its drain, its summary) would never be read.
      process.toHandle().destroy();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("iotbench " + command + " did not stop within " + timeout + " of SIGTERM");
      }
      reader.join(10_000); // the rest of its output
      return process.exitValue();
    }

    @Override
    public void close() throws Exception {
      if (process.isAlive()) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(err);
    }
  }
}
