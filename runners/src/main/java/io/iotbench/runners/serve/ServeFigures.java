package io.iotbench.runners.serve;

import io.iotbench.model.support.Stats;
import java.util.List;
import java.util.Locale;

/**
 * The figures of {@code bench-serve} over its repeated runs: the median of each run's figure, and the spread
 * (lowest..highest) of the rates, in the summary lines and the final {@code RESULT} line.
 */
record ServeFigures(List<LoadPhase.Figures> single, List<LoadPhase.Figures> batch, int batchRows, int connections, int cores) {

  double requestsPerSecond() {
    return Stats.median(single.stream().map(LoadPhase.Figures::requestsPerSecond).toList());
  }

  double p50Ms() {
    return Stats.median(single.stream().map(LoadPhase.Figures::p50Ms).toList());
  }

  double p99Ms() {
    return Stats.median(single.stream().map(LoadPhase.Figures::p99Ms).toList());
  }

  double batchPredictionsPerSecond() {
    return Stats.median(batch.stream().map(f -> f.requestsPerSecond() * batchRows).toList());
  }

  double batchP99Ms() {
    return Stats.median(batch.stream().map(LoadPhase.Figures::p99Ms).toList());
  }

  long errors() {
    return single.stream().mapToLong(LoadPhase.Figures::errors).sum() + batch.stream().mapToLong(LoadPhase.Figures::errors).sum();
  }

  /** One run's line. */
  static String runLine(String phase, int run, int runs, LoadPhase.Figures f, int rowsPerRequest) {
    String rate = rowsPerRequest == 1 ? String.format(Locale.ROOT, "%,.0f requests/s", f.requestsPerSecond())
        : String.format(Locale.ROOT, "%,.0f requests/s = %,.0f predictions/s", f.requestsPerSecond(), f.requestsPerSecond() * rowsPerRequest);
    return String.format(Locale.ROOT, "bench-serve: %s run %d/%d: %s, p50 %.3f ms, p99 %.3f ms (%,d answers, %d errors in %.0f s)",
        phase, run, runs, rate, f.p50Ms(), f.p99Ms(), f.requests(), f.errors(), f.seconds());
  }

  /** The summary lines before the RESULT line. */
  List<String> summary() {
    return List.of(
        String.format(Locale.ROOT, "bench-serve: single rows: median %,.0f requests/s (runs %s), p50 %.3f ms, p99 %.3f ms",
            requestsPerSecond(), spread(single, 1), p50Ms(), p99Ms()),
        String.format(Locale.ROOT, "bench-serve: batches of %d rows: median %,.0f predictions/s (runs %s), p99 %.3f ms per batch",
            batchRows, batchPredictionsPerSecond(), spread(batch, batchRows), batchP99Ms()));
  }

  private static String spread(List<LoadPhase.Figures> runs, int rows) {
    double low = runs.stream().mapToDouble(f -> f.requestsPerSecond() * rows).min().orElse(Double.NaN);
    double high = runs.stream().mapToDouble(f -> f.requestsPerSecond() * rows).max().orElse(Double.NaN);
    return String.format(Locale.ROOT, "%,.0f..%,.0f", low, high);
  }

  /** The last line. */
  String resultLine() {
    return String.format(Locale.ROOT,
        "RESULT requests_per_s=%.0f p50_ms=%.3f p99_ms=%.3f batch_predictions_per_s=%.0f batch_p99_ms=%.3f"
            + " batch_rows=%d connections=%d cores=%d runs=%d errors=%d",
        requestsPerSecond(), p50Ms(), p99Ms(), batchPredictionsPerSecond(), batchP99Ms(), batchRows, connections, cores,
        single.size(), errors());
  }
}
