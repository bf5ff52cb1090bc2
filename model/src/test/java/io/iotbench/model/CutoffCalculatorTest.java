package io.iotbench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CutoffCalculatorTest {

  /** The original calc_cutoffs table: sensors, percent of ones, cutoff. */
  private static final double[][] ORIGINAL_TABLE = {
    {100, 1, 2912}, {100, 10, 2741}, {100, 30, 2613}, {100, 50, 2525},
    {1000, 1, 262530}, {1000, 20, 254670},
    {100000, 40, 2501427837.0},
  };

  @Test
  void normalApproximationReproducesTheOriginalTable() {
    for (double[] row : ORIGINAL_TABLE) {
      double cutoff = CutoffCalculator.normal((int) row[0], row[1]);
      assertEquals(row[2], cutoff, 0.005 * row[2], () -> "n=" + row[0] + " p=" + row[1]);
    }
  }

  @Test
  void monteCarloReproducesTheOriginalTable() {
    for (int n : new int[] {100, 1000, 100000}) {
      double[] percents = java.util.Arrays.stream(ORIGINAL_TABLE).filter(r -> r[0] == n).mapToDouble(r -> r[1]).toArray();
      double[] expected = java.util.Arrays.stream(ORIGINAL_TABLE).filter(r -> r[0] == n).mapToDouble(r -> r[2]).toArray();
      double[] cutoffs =
          CutoffCalculator.monteCarlo(n, percents, CutoffCalculator.defaultMonteCarloRows(n), 42);
      for (int j = 0; j < percents.length; j++) {
        assertEquals(expected[j], cutoffs[j], 0.005 * expected[j], "n=" + n + " p=" + percents[j]);
      }
    }
  }

  @Test
  void normalIsTheMeanAtFiftyPercentAndMeanPlusZSdElsewhere() {
    assertEquals(2525.0, CutoffCalculator.normal(100, 50), 1e-9);
    double sd = Math.sqrt(100.0 * 101 * 201 / 72);
    assertEquals(2525 + 2.3263478740408408 * sd, CutoffCalculator.normal(100, 1), 1e-6);
    assertEquals(2525 - 2.3263478740408408 * sd, CutoffCalculator.normal(100, 99), 1e-6);
    assertEquals(0.5 + 0.8416212335729143 * Math.sqrt(1.0 / 12), CutoffCalculator.normal(1, 20), 1e-12);
  }

  @Test
  void monteCarloIsSeededAndPicksTheOriginalsIndex() {
    double[] percents = {10, 50, 90};
    double[] a = CutoffCalculator.monteCarlo(10, percents, 1000, 7);
    assertArrayEquals(a, CutoffCalculator.monteCarlo(10, percents, 1000, 7));
    assertNotEquals(a[1], CutoffCalculator.monteCarlo(10, percents, 1000, 8)[1]);
    assertTrue(a[0] > a[1] && a[1] > a[2], java.util.Arrays.toString(a));
    // with one sensor the score is the uniform value itself: the p% cutoff is near 1 - p/100
    double[] one = CutoffCalculator.monteCarlo(1, percents, 100_000, 1);
    assertArrayEquals(new double[] {0.9, 0.5, 0.1}, one, 0.01);
    // one row: every percentage gets that row's score
    double[] single = CutoffCalculator.monteCarlo(3, new double[] {1, 99}, 1, 3);
    assertEquals(single[0], single[1]);
  }

  @Test
  void defaultMonteCarloRowsIsClamped() {
    assertEquals(100_000, CutoffCalculator.defaultMonteCarloRows(10));
    assertEquals(100_000, CutoffCalculator.defaultMonteCarloRows(1000));
    assertEquals(50_000, CutoffCalculator.defaultMonteCarloRows(2000));
    assertEquals(1_000, CutoffCalculator.defaultMonteCarloRows(100_000));
    assertEquals(1_000, CutoffCalculator.defaultMonteCarloRows(10_000_000));
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> CutoffCalculator.normal(0, 50));
    assertThrows(IllegalArgumentException.class, () -> CutoffCalculator.normal(10, 0));
    assertThrows(IllegalArgumentException.class, () -> CutoffCalculator.normal(10, 100));
    assertThrows(IllegalArgumentException.class, () -> CutoffCalculator.normal(10, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> CutoffCalculator.monteCarlo(10, new double[] {50}, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> CutoffCalculator.monteCarlo(10, new double[] {-1}, 10, 1));
    assertThrows(IllegalArgumentException.class, () -> CutoffCalculator.monteCarlo(0, new double[] {50}, 10, 1));
    assertThrows(IllegalArgumentException.class, () -> CutoffCalculator.defaultMonteCarloRows(0));
  }
}
