package io.iotbench.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LognormalWaitsTest {

  private static final int DRAWS = 100_000;

  @ParameterizedTest
  @ValueSource(doubles = {10, 1000, 123_456})
  void meanWaitIsOneOverRateWithinFivePercentOver100kDraws(double rate) {
    LognormalWaits waits = new LognormalWaits(rate, new SplittableRandom(1));
    double sum = 0;
    double sumSquares = 0;
    for (int i = 0; i < DRAWS; i++) {
      double w = waits.nextNanos();
      assertTrue(w > 0);
      sum += w;
      sumSquares += w * w;
    }
    double expectedMean = 1e9 / rate;
    double mean = sum / DRAWS;
    double sd = Math.sqrt(sumSquares / DRAWS - mean * mean);
    assertEquals(expectedMean, mean, 0.05 * expectedMean, "mean wait");
    // Tighter than required, to catch a wrong parameterisation: the standard error is ~0.16%.
    assertEquals(expectedMean, mean, 0.01 * expectedMean, "mean wait");
    assertEquals(expectedMean / 2, sd, 0.05 * expectedMean / 2, "standard deviation is half the mean");
  }

  @Test
  void distributionHasTheLognormalShape() {
    // Median of a lognormal = exp(mu) = mean / sqrt(1 + 0.25), below the mean (a long right tail).
    LognormalWaits waits = new LognormalWaits(1000, new SplittableRandom(2));
    long[] draws = new long[DRAWS];
    for (int i = 0; i < DRAWS; i++) {
      draws[i] = waits.nextNanos();
    }
    java.util.Arrays.sort(draws);
    double median = draws[DRAWS / 2];
    double expected = 1e6 / Math.sqrt(1.25);
    assertEquals(expected, median, 0.02 * expected);
  }

  @Test
  void sameSeedSameWaits() {
    LognormalWaits a = new LognormalWaits(50, new SplittableRandom(42));
    LognormalWaits b = new LognormalWaits(50, new SplittableRandom(42));
    for (int i = 0; i < 1000; i++) {
      assertEquals(a.nextNanos(), b.nextNanos());
    }
  }

  @Test
  void rejectsNonPositiveRates() {
    assertThrows(IllegalArgumentException.class, () -> new LognormalWaits(0, new SplittableRandom(1)));
    assertThrows(IllegalArgumentException.class, () -> new LognormalWaits(-1, new SplittableRandom(1)));
  }
}
