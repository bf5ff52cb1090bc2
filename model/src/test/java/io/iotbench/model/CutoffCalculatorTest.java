package io.iotbench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
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
    assertThrows(IllegalArgumentException.class, () -> CutoffCalculator.inverseNormalCdf(-0.1));
    assertThrows(IllegalArgumentException.class, () -> CutoffCalculator.inverseNormalCdf(1.1));
    assertThrows(IllegalArgumentException.class, () -> CutoffCalculator.inverseNormalCdf(Double.NaN));
  }

  @Test
  void inverseNormalCdfMatchesKnownQuantiles() {
    double[][] known = {
      {0.5, 0}, {0.6, 0.2533471031357997}, {0.7, 0.5244005127080407}, {0.8, 0.8416212335729143},
      {0.9, 1.2815515655446004}, {0.95, 1.6448536269514722}, {0.975, 1.959963984540054},
      {0.99, 2.3263478740408408}, {0.999, 3.090232306167813}, {1e-9, -5.997807015007686},
    };
    for (double[] k : known) {
      assertEquals(k[1], CutoffCalculator.inverseNormalCdf(k[0]), 1e-9, "p=" + k[0]);
      if (k[0] >= 1e-3) { // 1 - 1e-9 is no exact double, and its quantile differs by 5e-9
        assertEquals(-k[1], CutoffCalculator.inverseNormalCdf(1 - k[0]), 1e-9, "1-p=" + k[0]);
      }
    }
    assertEquals(Double.NEGATIVE_INFINITY, CutoffCalculator.inverseNormalCdf(0));
    assertEquals(Double.POSITIVE_INFINITY, CutoffCalculator.inverseNormalCdf(1));
  }

  @Test
  void inverseNormalCdfIsAccurateAgainstAHighPrecisionCdf() {
    // Acklam's approximation alone is off by up to ~1e-9 relative; the refinement must do better
    for (double p = 1e-12; p < 0.5; p *= 3.7) {
      double x = CutoffCalculator.inverseNormalCdf(p);
      double errorInX = (referenceCdf(x) - p) / (Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI));
      assertEquals(0, errorInX, 1e-9, "p=" + p);
    }
  }

  @Test
  void inverseNormalCdfStaysFiniteAndOrderedInTheFarTail() {
    double previous = Double.NEGATIVE_INFINITY;
    for (double p : new double[] {Double.MIN_VALUE, 1e-320, 1e-300, 1e-200, 1e-100, 1e-20}) {
      double x = CutoffCalculator.inverseNormalCdf(p);
      assertTrue(Double.isFinite(x) && x > previous, p + " -> " + x);
      previous = x;
    }
    // log Phi(x) ~ -x^2/2 - log(-x sqrt(2 pi)) for large -x: check 1e-300 to a few 1e-12
    double x = CutoffCalculator.inverseNormalCdf(1e-300);
    double a = -x;
    double fraction = a;
    for (int k = 200; k >= 1; k--) {
      fraction = a + k / fraction;
    }
    double logPhi = -a * a / 2 - 0.5 * Math.log(2 * Math.PI) - Math.log(fraction);
    assertEquals(Math.log(1e-300), logPhi, 1e-10 * a);
  }

  /** &Phi;(x) for -9 &lt; x &le; 0 from its Taylor series in 60-digit decimal arithmetic. */
  private static double referenceCdf(double xd) {
    MathContext mc = new MathContext(60);
    BigDecimal x = new BigDecimal(xd);
    BigDecimal x2 = x.multiply(x, mc);
    BigDecimal term = x;
    BigDecimal sum = x;
    for (int k = 1; term.abs().compareTo(new BigDecimal("1e-50")) > 0; k++) {
      term = term.multiply(x2, mc).divide(BigDecimal.valueOf(2L * k + 1), mc);
      sum = sum.add(term, mc);
    }
    BigDecimal half = x2.divide(BigDecimal.valueOf(2), mc);
    BigDecimal exp = BigDecimal.ONE;
    BigDecimal t = BigDecimal.ONE;
    for (int k = 1; t.compareTo(new BigDecimal("1e-50")) > 0; k++) {
      t = t.multiply(half, mc).divide(BigDecimal.valueOf(k), mc);
      exp = exp.add(t, mc);
    }
    BigDecimal twoPi = new BigDecimal("6.28318530717958647692528676655900576839433879875021164194988918");
    BigDecimal density = BigDecimal.ONE.divide(exp.multiply(twoPi.sqrt(mc), mc), mc);
    return new BigDecimal("0.5").add(density.multiply(sum, mc), mc).doubleValue();
  }
}
