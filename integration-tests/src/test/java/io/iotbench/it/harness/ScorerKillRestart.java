package io.iotbench.it.harness;

import io.iotbench.pipelines.score.Decision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The kill-and-restart scenario of a streaming {@code iotbench score} run on the SparkRunner: starts the scorer as a
 * child process with the caller's options (which must hold {@code --checkpointDir} and {@code --decisionsOutput}),
 * waits until it has written decisions and checkpointed its state, kills the JVM with SIGKILL (the launcher execs
 * java, so the child is the JVM itself), starts it again with the same options and waits for it to end by itself
 * (sentinels, {@code --maxEvents} or {@code --maxRuntime}). The caller produces the stream; {@link #killed} tells it
 * when the kill happened. Measures the time from the restart to the first decision file written after it.
 */
public final class ScorerKillRestart {
  private static final long POLL_MILLIS = 100;

  private final List<String> args;
  private final Path decisionsFolder;
  private final Path checkpointFolder;
  private volatile long killedAtNanos = -1;

  /**
   * @param args the command line ({@code score} and its options), the same for both runs
   * @param decisionsFolder the folder of {@code --decisionsOutput}'s prefix
   * @param checkpointFolder the local folder of {@code --checkpointDir}
   */
  public ScorerKillRestart(List<String> args, Path decisionsFolder, Path checkpointFolder) {
    this.args = List.copyOf(args);
    this.decisionsFolder = decisionsFolder;
    this.checkpointFolder = checkpointFolder;
  }

  /**
   * How the scenario went: both runs' output, the second run's exit code, the decisions of both runs, when the kill
   * happened (wall clock), how long after the first start, and the time from the restart to the first decision file
   * written after it (-1 if none).
   */
  public record Outcome(int exitCode, List<String> firstOut, List<String> secondOut, List<String> secondErr,
      List<Decision> decisions, long killedAtMillis, long killAfterStartMillis, long recoveryMillis) {}

  /** Whether the first run has been killed (the producer may then go on with its second phase). */
  public boolean killed() {
    return killedAtNanos >= 0;
  }

  /**
   * Runs the scenario: the kill comes {@code afterCheckpoint} after the first state checkpoint (a Spark RDD checkpoint
   * folder) appeared, once decisions were written; the first run must get there within {@code firstRunLimit}, the
   * second must end within {@code secondRunLimit}.
   */
  public Outcome run(Duration afterCheckpoint, Duration firstRunLimit, Duration secondRunLimit) throws Exception {
    long start = System.nanoTime();
    List<String> firstOut;
    long killedAtMillis;
    Iotbench.Running first = Iotbench.start(args.toArray(new String[0]));
    try {
      long deadline = start + firstRunLimit.toNanos();
      long checkpointSeen = -1;
      int starts = 1;
      while (true) {
        if (!first.process().isAlive()) {
          if (brokerSlowAtStart(first) && starts++ < START_ATTEMPTS) {
            first.close();
            first = Iotbench.start(args.toArray(new String[0]));
            continue;
          }
          throw new AssertionError("the first score run ended before it was killed: " + first.stderr());
        }
        if (checkpointSeen < 0 && !decisionFiles().isEmpty() && hasStateCheckpoint()) {
          checkpointSeen = System.nanoTime();
        }
        if (checkpointSeen >= 0 && System.nanoTime() - checkpointSeen >= afterCheckpoint.toNanos()) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the first score run wrote no decisions and no state checkpoint within "
              + firstRunLimit + ": " + first.stderr());
        }
        Thread.sleep(POLL_MILLIS);
      }
      first.process().destroyForcibly(); // SIGKILL
      if (!first.process().waitFor(30, TimeUnit.SECONDS)) {
        throw new AssertionError("the first score run did not die of SIGKILL");
      }
      killedAtNanos = System.nanoTime();
      killedAtMillis = System.currentTimeMillis();
      firstOut = first.lines();
    } finally {
      first.close();
    }
    long killAfterStart = (killedAtNanos - start) / 1_000_000;
    long restartWall = System.currentTimeMillis();
    Iotbench.Running second = Iotbench.start(args.toArray(new String[0]));
    try {
      long deadline = System.nanoTime() + secondRunLimit.toNanos();
      long recovery = -1;
      int starts = 1;
      while (true) {
        if (!second.process().isAlive()) {
          if (brokerSlowAtStart(second) && starts++ < START_ATTEMPTS) {
            second.close();
            restartWall = System.currentTimeMillis();
            second = Iotbench.start(args.toArray(new String[0]));
            continue;
          }
          break;
        }
        if (System.nanoTime() >= deadline) {
          break;
        }
        if (recovery < 0) {
          long newest = newestDecisionFileMillis();
          if (newest >= restartWall) {
            recovery = newest - restartWall;
          }
        }
        second.process().waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS);
      }
      if (second.process().isAlive()) {
        throw new AssertionError("the restarted score run did not end within " + secondRunLimit + "; stdout "
            + second.lines() + ", stderr " + second.stderr());
      }
      if (recovery < 0) {
        long newest = newestDecisionFileMillis();
        recovery = newest >= restartWall ? newest - restartWall : -1;
      }
      return new Outcome(second.process().exitValue(), firstOut, second.lines(), second.stderr(), readDecisions(),
          killedAtMillis, killAfterStart, recovery);
    } finally {
      second.close();
    }
  }

  /** How often a run is started when its start check found the broker too slow to answer (a loaded machine). */
  private static final int START_ATTEMPTS = 3;

  /**
   * Whether a run ended at its start check because the broker did not answer in time (exit code 2): on a loaded
   * machine the check's few seconds can pass before the client's first answer. Such a run started nothing.
   */
  private static boolean brokerSlowAtStart(Iotbench.Running run) throws IOException {
    return run.process().exitValue() == 2 && run.stderr().stream().anyMatch(l -> l.contains("does not answer"));
  }

  /** Spark keeps the checkpointed state RDDs in {@code spark-checkpoint/<uuid>/rdd-<id>} folders. */
  private boolean hasStateCheckpoint() throws IOException {
    Path spark = checkpointFolder.resolve("spark-checkpoint");
    if (!Files.isDirectory(spark)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(spark, 2)) {
      return files.anyMatch(p -> p.getFileName().toString().startsWith("rdd-"));
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof NoSuchFileException) {
        return false; // Spark removed a folder (its "temp") while we walked; looked at again at the next poll
      }
      throw e;
    }
  }

  private List<Path> decisionFiles() throws IOException {
    if (!Files.isDirectory(decisionsFolder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(decisionsFolder)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p)).toList();
    }
  }

  private long newestDecisionFileMillis() throws IOException {
    long newest = -1;
    for (Path p : decisionFiles()) {
      newest = Math.max(newest, Files.getLastModifiedTime(p).toMillis());
    }
    return newest;
  }

  /** Every decision in the decision files, of both runs, in the order they were written (files by time, then lines). */
  public List<Decision> readDecisions() throws IOException {
    List<Decision> all = new ArrayList<>();
    List<Path> files = new ArrayList<>(decisionFiles());
    Map<Path, Long> written = new HashMap<>();
    for (Path p : files) {
      written.put(p, Files.getLastModifiedTime(p).toMillis());
    }
    files.sort(Comparator.comparing((Path p) -> written.get(p)).thenComparing(Path::toString));
    for (Path p : files) {
      for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          all.add(Decision.fromJson(line));
        }
      }
    }
    return all;
  }
}
