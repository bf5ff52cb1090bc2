package io.iotbench.runners.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The capacity search over offered rates, as stream benchmarks do it (Theodolite's and OpenMessaging's ramp, then
 * a bisection): measure {@code start}; while the SLO is met double the rate, while it is missed (and nothing has
 * met it yet) halve it; once one rate meets it and another misses it, bisect between the highest met and the
 * lowest missed until they are within {@code precision} (0.05 = 5%) of each other. Every measurement counts against
 * {@code maxSteps}, which bounds the search in time. The capacity is the highest offered rate that met the SLO.
 */
final class RateSearch {
  /** Measures one offered rate. */
  @FunctionalInterface
  interface Measure {
    RateFigures at(double rate) throws Exception;
  }

  private RateSearch() {}

  /** Every measurement of the search, in the order made. */
  static List<RateFigures> search(double start, double precision, int maxSteps, Measure measure) throws Exception {
    if (!(start > 0) || !(precision > 0) || maxSteps < 1) {
      throw new IllegalArgumentException("start, precision and maxSteps must be positive");
    }
    List<RateFigures> runs = new ArrayList<>();
    double met = Double.NaN;
    double missed = Double.NaN;
    double rate = start;
    while (runs.size() < maxSteps) {
      RateFigures f = measure.at(rate);
      runs.add(f);
      if (f.sloMet()) {
        met = Double.isNaN(met) ? rate : Math.max(met, rate);
      } else {
        missed = Double.isNaN(missed) ? rate : Math.min(missed, rate);
      }
      if (Double.isNaN(missed)) {
        rate = rate * 2; // ramp up
      } else if (Double.isNaN(met)) {
        rate = rate / 2; // even the start missed: ramp down
      } else if ((missed - met) / met > precision) {
        rate = (met + missed) / 2; // bisect
      } else {
        break;
      }
    }
    return runs;
  }

  /** The highest offered rate in {@code runs} that met the SLO; 0 when none did. */
  static double capacity(List<RateFigures> runs) {
    return runs.stream().filter(RateFigures::sloMet).mapToDouble(RateFigures::offeredRate).max().orElse(0);
  }

  /** The run at the capacity rate, or null when none met the SLO. */
  static RateFigures atCapacity(List<RateFigures> runs) {
    double c = capacity(runs);
    return runs.stream().filter(r -> r.sloMet() && r.offeredRate() == c).findFirst().orElse(null);
  }
}
