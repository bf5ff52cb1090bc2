package io.iotbench.pipelines.score.source;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signal that a streaming run has reached its end (its end condition held, or the process was asked to stop):
 * from then on the live sources of this JVM take no new record, their readers hand out what is buffered and then
 * end, with their watermark at the end of time, so that every window fires and the windowed writes finalize (the
 * run drains). The signal is per JVM: it reaches the readers of the local runners (DirectRunner, FlinkRunner and
 * SparkRunner in {@code local[N]} mode), which run in the driver's JVM; readers on a cluster's executors never see
 * it (see docs/end-of-run.md). Cleared when the next run starts.
 */
public final class EndOfRun {
  private static volatile boolean signalled;
  /** When each source's reader first ended after the signal (wall clock, ms), by source. */
  private static final Map<String, Long> ENDED = new ConcurrentHashMap<>();

  private EndOfRun() {}

  /** The run has reached its end: sources stop taking records and end once their buffer is handed out. */
  public static void signal() {
    signalled = true;
  }

  /** Whether the run of this JVM has reached its end. */
  public static boolean signalled() {
    return signalled;
  }

  /** A reader of {@code source} has handed out everything and ended (the first time counts). */
  public static void ended(String source) {
    ENDED.putIfAbsent(source, System.currentTimeMillis());
  }

  /** How many sources have ended since the signal. */
  public static int sourcesEnded() {
    return ENDED.size();
  }

  /** When the last of the ended sources ended (wall clock, ms), or -1 if none has. */
  public static long lastEndMillis() {
    return ENDED.values().stream().mapToLong(Long::longValue).max().orElse(-1);
  }

  /** A new run starts: its sources read until it ends. */
  public static void clear() {
    signalled = false;
    ENDED.clear();
  }
}
