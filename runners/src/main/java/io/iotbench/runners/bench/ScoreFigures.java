package io.iotbench.runners.bench;

import io.iotbench.model.support.Stats;
import java.util.List;
import java.util.Locale;

/** The scorer benchmark's figures for one device count, and how they are reported. */
record ScoreFigures(int devices, double eventsPerSecond, double p50, double p99, double lateP50, double lateP99,
    double consumerPerSecond, long decisions) {

  /** Sustained events/s = {@code events} &divide; the decisions' span; latency percentiles by nearest rank. */
  static ScoreFigures of(int devices, long events, Latencies l, double consumerPerSecond) {
    return new ScoreFigures(devices, events / l.seconds(), Stats.percentile(l.all(), 50), Stats.percentile(l.all(), 99),
        Stats.percentile(l.secondHalf(), 50), Stats.percentile(l.secondHalf(), 99), consumerPerSecond, l.all().size());
  }

  /** The human-readable line of this device count. */
  String line() {
    return String.format(Locale.ROOT,
        "%d device(s): %,.0f events/s sustained, decision latency p50 %.2f s, p99 %.2f s (%d decisions; in the "
            + "second half of the run p50 %.2f s, p99 %.2f s); plain consumer %,.0f records/s (scorer at %.0f%% of it)",
        devices, eventsPerSecond, p50, p99, decisions, lateP50, lateP99, consumerPerSecond,
        100 * eventsPerSecond / consumerPerSecond);
  }

  /** {@code RESULT devices_D_events_per_s=... devices_D_p50_latency_s=... ...} over every device count. */
  static String resultLine(List<ScoreFigures> all) {
    StringBuilder result = new StringBuilder("RESULT");
    for (ScoreFigures f : all) {
      String p = " devices_" + f.devices() + "_";
      result.append(String.format(Locale.ROOT, "%sevents_per_s=%.0f%sp50_latency_s=%.3f%sp99_latency_s=%.3f"
          + "%ssecond_half_p50_latency_s=%.3f%ssecond_half_p99_latency_s=%.3f%sconsumer_events_per_s=%.0f",
          p, f.eventsPerSecond(), p, f.p50(), p, f.p99(), p, f.lateP50(), p, f.lateP99(), p, f.consumerPerSecond()));
    }
    return result.toString();
  }
}
