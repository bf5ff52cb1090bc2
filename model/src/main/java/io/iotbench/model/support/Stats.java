package io.iotbench.model.support;

import java.util.Collection;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;

/** The order statistics the benchmark reports use, from commons-math3. */
public final class Stats {

  private Stats() {}

  /**
   * The median of {@code values}: the middle value, or the mean of the middle two for an even count.
   *
   * @throws IllegalArgumentException if there are no values
   */
  public static double median(double[] values) {
    requireValues(values.length);
    return new Median().evaluate(values);
  }

  /** {@link #median(double[])} of a collection. */
  public static double median(Collection<Double> values) {
    return median(toArray(values));
  }

  /**
   * The {@code p}th percentile (0 &lt; p &le; 100) of {@code values} by the nearest-rank method: the smallest value
   * with at least p% of the values at or below it.
   *
   * @throws IllegalArgumentException if there are no values or p is out of range
   */
  public static double percentile(Collection<Double> values, double p) {
    double[] array = toArray(values);
    requireValues(array.length);
    return new Percentile().withEstimationType(EstimationType.R_1).evaluate(array, p);
  }

  private static double[] toArray(Collection<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void requireValues(int count) {
    if (count == 0) {
      throw new IllegalArgumentException("no values");
    }
  }
}
