package io.iotbench.runners.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The console lines of bench-serve: medians over runs, spread, and the exact RESULT line. */
class ServeFiguresTest {
  private static final ServeFigures FIGURES = new ServeFigures(
      List.of(new LoadPhase.Figures(100_000, 0, 10, 0.2, 2.0), new LoadPhase.Figures(120_000, 0, 10, 0.3, 4.0),
          new LoadPhase.Figures(80_000, 0, 10, 0.25, 3.0)),
      List.of(new LoadPhase.Figures(9_000, 0, 10, 3.0, 15.0), new LoadPhase.Figures(8_000, 1, 10, 3.5, 20.0),
          new LoadPhase.Figures(10_000, 0, 10, 2.5, 10.0)),
      100, 4, 2);

  @Test
  void resultLineHasTheMediansOfTheRuns() {
    assertEquals("RESULT requests_per_s=10000 p50_ms=0.250 p99_ms=3.000 batch_predictions_per_s=90000 batch_p99_ms=15.000"
        + " batch_rows=100 connections=4 cores=2 runs=3 errors=1", FIGURES.resultLine());
  }

  @Test
  void summaryShowsTheSpread() {
    assertEquals(List.of(
        "bench-serve: single rows: median 10,000 requests/s (runs 8,000..12,000), p50 0.250 ms, p99 3.000 ms",
        "bench-serve: batches of 100 rows: median 90,000 predictions/s (runs 80,000..100,000), p99 15.000 ms per batch"),
        FIGURES.summary());
  }

  @Test
  void runLineNamesRequestsAndPredictions() {
    assertEquals("bench-serve: batches of 100 run 2/3: 800 requests/s = 80,000 predictions/s, p50 3.500 ms, p99 20.000 ms"
        + " (8,000 answers, 1 errors in 10 s)", ServeFigures.runLine("batches of 100", 2, 3, FIGURES.batch().get(1), 100));
  }
}
