package io.iotbench.model.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void medianIsTheMiddleValueOrTheMeanOfTheMiddleTwo() {
    assertEquals(2.0, Stats.median(new double[] {3, 1, 2}));
    assertEquals(2.5, Stats.median(new double[] {4, 1, 3, 2}));
    assertEquals(7.0, Stats.median(List.of(7.0)));
    assertEquals(1.5, Stats.median(List.of(2.0, 1.0)));
    assertThrows(IllegalArgumentException.class, () -> Stats.median(new double[0]));
  }

  @Test
  void percentileIsTheNearestRank() {
    List<Double> values = List.of(5.0, 1.0, 4.0, 2.0, 3.0, 10.0, 9.0, 8.0, 7.0, 6.0);
    assertEquals(5.0, Stats.percentile(values, 50));
    assertEquals(10.0, Stats.percentile(values, 99));
    assertEquals(1.0, Stats.percentile(values, 1));
    assertEquals(3.5, Stats.percentile(List.of(3.5), 99));
  }
}
