package io.iotbench.pipelines.generate;

import io.iotbench.pipelines.common.ConsoleReport;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of one generate run as seen by the workers of one JVM: rows done of the total and MB/s. On a
 * terminal it rewrites one line every {@link #TERMINAL_INTERVAL_NANOS}; otherwise it prints one line per tenth of
 * the work, so logs stay short. Worker-side on purpose: it needs no metrics polling, so it works the same on
 * every runner (in a cluster each executor reports its own share in its log).
 */
final class GenerateProgress {
  static final long TERMINAL_INTERVAL_NANOS = 2_000_000_000L;
  private static final ConcurrentHashMap<String, GenerateProgress> RUNS = new ConcurrentHashMap<>();

  private final long totalRows;
  private final boolean terminal;
  private final long startNanos = System.nanoTime();
  private final AtomicLong rows = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong nextReportNanos = new AtomicLong(startNanos + TERMINAL_INTERVAL_NANOS);
  private final AtomicInteger tenthsReported = new AtomicInteger();

  GenerateProgress(long totalRows, boolean terminal) {
    this.totalRows = totalRows;
    this.terminal = terminal;
  }

  /** The progress of run {@code runId} in this JVM. */
  static GenerateProgress of(String runId, long totalRows) {
    return RUNS.computeIfAbsent(runId, id -> new GenerateProgress(totalRows, ConsoleReport.isTerminal()));
  }

  /** Forgets run {@code runId} and ends a terminal progress line, if one was printed. */
  static void finish(String runId) {
    GenerateProgress progress = RUNS.remove(runId);
    if (progress != null && progress.terminal && progress.tenthsReported.get() > 0) {
      ConsoleReport.endProgress();
    }
  }

  /** Records rows and bytes just written; prints a line when one is due. */
  void add(long newRows, long newBytes) {
    long doneRows = rows.addAndGet(newRows);
    long doneBytes = bytes.addAndGet(newBytes);
    String line = lineIfDue(doneRows, doneBytes, System.nanoTime());
    if (line != null) {
      ConsoleReport.progress(line);
    }
  }

  /** The progress line to print now, or null when none is due; at most one caller gets each line. */
  String lineIfDue(long doneRows, long doneBytes, long nowNanos) {
    if (terminal) {
      long due = nextReportNanos.get();
      if (nowNanos < due || !nextReportNanos.compareAndSet(due, nowNanos + TERMINAL_INTERVAL_NANOS)) {
        return null;
      }
      tenthsReported.set(Math.max(1, tenthsReported.get()));
    } else {
      int tenths = (int) Math.min(10, doneRows * 10 / Math.max(1, totalRows));
      int reported = tenthsReported.get();
      if (tenths <= reported || !tenthsReported.compareAndSet(reported, tenths)) {
        return null;
      }
    }
    double seconds = Math.max(1e-9, (nowNanos - startNanos) / 1e9);
    double mb = doneBytes / 1e6;
    return String.format(
        Locale.ROOT,
        "Generated %,d of %,d rows (%d%%), %.1f MB at %.1f MB/s",
        doneRows,
        totalRows,
        doneRows * 100 / Math.max(1, totalRows),
        mb,
        mb / seconds);
  }
}
