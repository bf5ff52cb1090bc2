package io.iotbench.pipelines.score.source;

/**
 * The signal that a streaming run has reached its end (its end condition held, or the process was asked to stop):
 * from then on the live sources of this JVM take no new record, their readers hand out what is buffered and then
 * end, with their watermark at the end of time, so that every window fires and the windowed writes finalize (the
 * run drains). The signal is per JVM: it reaches readers that run in the driver's JVM (the DirectRunner's; the
 * monitor drains only there, see docs/end-of-run.md); readers on a cluster's executors never see it. Cleared when the
 * next run starts.
 */
public final class EndOfRun {
  private static volatile boolean signalled;

  private EndOfRun() {}

  /** The run has reached its end: sources stop taking records and end once their buffer is handed out. */
  public static void signal() {
    signalled = true;
  }

  /** Whether the run of this JVM has reached its end. */
  public static boolean signalled() {
    return signalled;
  }

  /** A new run starts: its sources read until it ends. */
  public static void clear() {
    signalled = false;
  }
}
