package io.iotbench.runners.bench;

import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * The trend of a lag series: the slope, in events per second per second, of the least-squares line through the
 * samples of a span (commons-math3's {@link SimpleRegression}). A scorer that keeps up has a flat lag (slope near
 * 0, whatever the constant offset of its windows and watermark); one that falls behind has a lag growing by the
 * part of the offered rate it cannot take.
 */
final class LagTrend {
  private LagTrend() {}

  /** The slope of {@link LagSample#lag()} over the samples with {@code from <= millis <= to}; NaN below 2 samples. */
  static double slope(List<LagSample> samples, long fromMillis, long toMillis) {
    return slope(samples, fromMillis, toMillis, LagSample::lag);
  }

  /** The slope of {@code lag} over the samples with {@code from <= millis <= to}; NaN below 2 samples. */
  static double slope(List<LagSample> samples, long fromMillis, long toMillis, ToLongFunction<LagSample> lag) {
    SimpleRegression line = new SimpleRegression();
    for (LagSample s : samples) {
      if (s.millis() >= fromMillis && s.millis() <= toMillis) {
        line.addData((s.millis() - fromMillis) / 1000.0, lag.applyAsLong(s));
      }
    }
    return line.getN() < 2 ? Double.NaN : line.getSlope();
  }

  /** Events/s produced over the samples of the span: (last produced &minus; first) &divide; their time apart. */
  static double producedRate(List<LagSample> samples, long fromMillis, long toMillis) {
    LagSample first = null;
    LagSample last = null;
    for (LagSample s : samples) {
      if (s.millis() >= fromMillis && s.millis() <= toMillis) {
        first = first == null ? s : first;
        last = s;
      }
    }
    if (first == null || last.millis() == first.millis()) {
      return Double.NaN;
    }
    return (last.produced() - first.produced()) * 1000.0 / (last.millis() - first.millis());
  }
}
