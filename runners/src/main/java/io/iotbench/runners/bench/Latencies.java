package io.iotbench.runners.bench;

import io.iotbench.pipelines.score.DecisionsTopic;
import java.util.ArrayList;
import java.util.List;

/**
 * The decisions' latencies in seconds (the time a decision was published &minus; its window's end), over the
 * whole run and over the second half of its scoring span, and the span itself in seconds (from the first to the
 * last decision published).
 */
record Latencies(List<Double> all, List<Double> secondHalf, double seconds) {
  /** The latencies of {@code decisions}, which must not be empty. */
  static Latencies of(List<DecisionsTopic.Published> decisions) {
    if (decisions.isEmpty()) {
      throw new IllegalArgumentException("no decisions");
    }
    List<Double> all = new ArrayList<>();
    for (DecisionsTopic.Published p : decisions) {
      all.add((p.timestampMillis() - p.decision().windowEndMillis()) / 1000.0);
    }
    long first = decisions.stream().mapToLong(DecisionsTopic.Published::timestampMillis).min().getAsLong();
    long last = decisions.stream().mapToLong(DecisionsTopic.Published::timestampMillis).max().getAsLong();
    // The second half of the scoring span, once the start-up lag of the first micro-batches has had time to drain.
    long half = first + (last - first) / 2;
    List<Double> secondHalf = new ArrayList<>();
    for (int i = 0; i < decisions.size(); i++) {
      if (decisions.get(i).timestampMillis() >= half) {
        secondHalf.add(all.get(i));
      }
    }
    // At least one interval: a small run scored within one interval (one decision, or all in one burst) is timed
    // as that interval.
    return new Latencies(all, secondHalf, Math.max(1.0, (last - first) / 1000.0));
  }
}
