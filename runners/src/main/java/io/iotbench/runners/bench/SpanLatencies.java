package io.iotbench.runners.bench;

import io.iotbench.model.support.Stats;
import io.iotbench.pipelines.score.DecisionsTopic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The decision latencies of a capacity run's measured span: for every decision whose window ends within
 * [{@code from}, {@code to}], the time its record was appended to the decisions topic (the broker's LogAppendTime)
 * &minus; its window's end, in seconds. A window of the span for which no decision at all arrived before the scorer
 * was stopped (at {@code stopMillis}) counts once with the latency it had reached by then, {@code stopMillis}
 * &minus; its end: a stalled scorer shows as a growing latency, not as an empty (and flattering) distribution.
 *
 * <p>Also the scored side of the lag: how many events the decisions published by a given time account for (the
 * newest decision per device and interval, since a revised decision repeats its interval's count).
 */
record SpanLatencies(List<Double> seconds, long decisions, int missingWindows) {

  /** The latencies of the windows ending in [from, to] ({@code intervalMillis} long windows, aligned to the epoch). */
  static SpanLatencies of(List<DecisionsTopic.Published> published, long fromMillis, long toMillis, long stopMillis,
      long intervalMillis) {
    List<Double> seconds = new ArrayList<>();
    Set<Long> decidedWindows = new HashSet<>();
    long decisions = 0;
    for (DecisionsTopic.Published p : published) {
      long end = p.decision().windowEndMillis();
      if (end >= fromMillis && end <= toMillis) {
        seconds.add((p.timestampMillis() - end) / 1000.0);
        decidedWindows.add(end);
        decisions++;
      }
    }
    int missing = 0;
    long firstEnd = Math.floorDiv(fromMillis + intervalMillis - 1, intervalMillis) * intervalMillis;
    for (long end = firstEnd; end <= toMillis; end += intervalMillis) {
      if (!decidedWindows.contains(end)) {
        seconds.add(Math.max(0, stopMillis - end) / 1000.0);
        missing++;
      }
    }
    return new SpanLatencies(seconds, decisions, missing);
  }

  double p50() {
    return seconds.isEmpty() ? Double.NaN : Stats.percentile(seconds, 50);
  }

  double p99() {
    return seconds.isEmpty() ? Double.NaN : Stats.percentile(seconds, 99);
  }

  double max() {
    return seconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /**
   * {@code samples} with their scored events filled in: the events of the newest decision per device and interval
   * among those appended at or before each sample's time.
   */
  static List<LagSample> withScored(List<LagSample> samples, List<DecisionsTopic.Published> published) {
    List<DecisionsTopic.Published> byTime = new ArrayList<>(published);
    byTime.sort((a, b) -> Long.compare(a.timestampMillis(), b.timestampMillis()));
    Map<String, Long> newest = new HashMap<>();
    long scored = 0;
    int next = 0;
    List<LagSample> out = new ArrayList<>();
    for (LagSample s : samples) {
      while (next < byTime.size() && byTime.get(next).timestampMillis() <= s.millis()) {
        DecisionsTopic.Published p = byTime.get(next++);
        Long before = newest.put(p.decision().device() + "@" + p.decision().interval(), p.decision().events());
        scored += p.decision().events() - (before == null ? 0 : before);
      }
      out.add(s.withScored(scored));
    }
    return out;
  }
}
