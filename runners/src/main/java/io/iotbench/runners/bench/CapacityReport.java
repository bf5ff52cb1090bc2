package io.iotbench.runners.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The capacity benchmark's report: the console table (one row per measured rate), the CSV of the same rows, and
 * the {@code RESULT} line (per device count and runner: the capacity and the p50/p99 latency measured at it; NaN
 * latencies when no rate met the SLO).
 */
final class CapacityReport {
  /** One runner's (or the baseline's) search at one device count. */
  record Search(String runner, int devices, List<RateFigures> runs) {
    double capacity() {
      return RateSearch.capacity(runs);
    }

    RateFigures atCapacity() {
      return RateSearch.atCapacity(runs);
    }
  }

  static final String CSV_HEADER = "runner,devices,offered_events_per_s,achieved_events_per_s,p50_latency_s,"
      + "p99_latency_s,max_latency_s,lag_slope_events_per_s2,committed_lag_slope_events_per_s2,decisions,first_decision_s,slo_met,miss";

  private CapacityReport() {}

  /** The table's header line. */
  static String header() {
    return String.format(Locale.ROOT, "%-9s %7s %10s %10s %8s %8s %8s %12s %8s  %s", "runner", "devices",
        "offered/s", "achieved/s", "p50 s", "p99 s", "max s", "lag slope", "1st s", "SLO");
  }

  /** One row of the table. */
  static String row(RateFigures f) {
    return String.format(Locale.ROOT, "%-9s %7d %,10.0f %,10.0f %8.2f %8.2f %8.2f %12.1f %8.1f  %s", f.runner(),
        f.devices(), f.offeredRate(), f.achievedRate(), f.p50(), f.p99(), f.max(), f.lagSlope(),
        f.firstDecisionSeconds(), f.sloMet() ? "met" : "missed: " + f.miss());
  }

  /** One line per search: its capacity. */
  static String capacityLine(Search s) {
    RateFigures c = s.atCapacity();
    return c == null
        ? String.format(Locale.ROOT, "%s, %d device(s): no measured rate met the SLO", s.runner(), s.devices())
        : String.format(Locale.ROOT, "%s, %d device(s): capacity %,.0f events/s (p50 %.2f s, p99 %.2f s)", s.runner(),
            s.devices(), s.capacity(), c.p50(), c.p99());
  }

  /** The CSV lines (header first) of every run of every search. */
  static List<String> csv(List<Search> searches) {
    List<String> lines = new ArrayList<>();
    lines.add(CSV_HEADER);
    for (Search s : searches) {
      for (RateFigures f : s.runs()) {
        lines.add(String.format(Locale.ROOT, "%s,%d,%.1f,%.1f,%.3f,%.3f,%.3f,%.2f,%.2f,%d,%.3f,%s,%s", f.runner(),
            f.devices(), f.offeredRate(), f.achievedRate(), f.p50(), f.p99(), f.max(), f.lagSlope(),
            f.committedLagSlope(), f.decisions(), f.firstDecisionSeconds(), f.sloMet(),
            f.sloMet() ? "" : "\"" + f.miss().replace("\"", "'") + "\""));
      }
    }
    return lines;
  }

  static void writeCsv(List<Search> searches, Path file) throws IOException {
    Files.write(file, csv(searches), StandardCharsets.UTF_8);
  }

  /**
   * {@code RESULT spark_d1_capacity_events_per_s=... spark_d1_p50_latency_s=... spark_d1_p99_latency_s=... ...}: per
   * device count, per runner in the order searched.
   */
  static String resultLine(List<Search> searches) {
    StringBuilder line = new StringBuilder("RESULT");
    for (Search s : searches) {
      RateFigures c = s.atCapacity();
      String p = " " + s.runner() + "_d" + s.devices() + "_";
      line.append(String.format(Locale.ROOT, "%scapacity_events_per_s=%.0f%sp50_latency_s=%.3f%sp99_latency_s=%.3f", p,
          s.capacity(), p, c == null ? Double.NaN : c.p50(), p, c == null ? Double.NaN : c.p99()));
    }
    return line.toString();
  }
}
