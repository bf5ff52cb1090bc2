package io.iotbench.runners.bench;

import io.iotbench.pipelines.score.Decision;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a fault did to one scoring run, from the decisions it wrote: the final decision of every (device, interval)
 * is the newest one written (a revised or re-emitted decision replaces the earlier ones), and their {@code events}
 * add up to what the scorer counted. {@code lost} = produced &minus; counted when positive, {@code duplicates} =
 * counted &minus; produced when positive: from sums alone a loss and as many duplicates elsewhere cancel out, which
 * is why the scorer's own duplicate count is reported beside them. {@code recoverySeconds} is the longest time from
 * a restart to the first decision written after it (NaN when none was written after a restart).
 *
 * @param produced events the simulator sent, sentinels not included
 * @param counted the sum of {@code events} over the final decisions
 * @param reportedDuplicates duplicates the scorer itself reported (its run summary)
 * @param restarts restarts the scenario made (broker or scorer)
 * @param finalDecisions (device, interval) pairs decided
 */
public record FaultFigures(long produced, long counted, long lost, long duplicates, long reportedDuplicates, int restarts,
    double recoverySeconds, long finalDecisions) {

  /** The figures of a run that produced {@code produced} events and wrote {@code decisions}. */
  public static FaultFigures of(long produced, List<WrittenDecision> decisions, long reportedDuplicates,
      List<Long> restartMillis) {
    Map<String, WrittenDecision> newest = new HashMap<>();
    Comparator<WrittenDecision> order =
        Comparator.comparingLong(WrittenDecision::writtenMillis).thenComparingLong(WrittenDecision::position);
    for (WrittenDecision d : decisions) {
      newest.merge(d.decision().device() + "\u0000" + d.decision().interval(), d,
          (a, b) -> order.compare(a, b) >= 0 ? a : b);
    }
    long counted = newest.values().stream().map(WrittenDecision::decision).mapToLong(Decision::events).sum();
    double recovery = restartMillis.isEmpty() ? 0 : -1;
    for (long restart : restartMillis) {
      long first = decisions.stream().mapToLong(WrittenDecision::writtenMillis).filter(t -> t >= restart).min().orElse(-1);
      recovery = first < 0 || Double.isNaN(recovery) ? Double.NaN : Math.max(recovery, (first - restart) / 1000.0);
    }
    return new FaultFigures(produced, counted, Math.max(0, produced - counted), Math.max(0, counted - produced),
        reportedDuplicates, restartMillis.size(), recovery, newest.size());
  }

  /** The table row of a scenario. */
  String row(String scenario) {
    return String.format(Locale.ROOT, "%-16s %10d %10d %8d %10d %9d %8d %10s", scenario, produced, counted, lost,
        duplicates, reportedDuplicates, restarts, seconds(recoverySeconds));
  }

  /** The table's header, aligned with {@link #row}. */
  static String header() {
    return String.format(Locale.ROOT, "%-16s %10s %10s %8s %10s %9s %8s %10s", "scenario", "produced", "counted", "lost",
        "duplicates", "reported", "restarts", "recovery_s");
  }

  /**
   * {@code RESULT produced=... counted=... lost=... duplicates=... restarts=... recovery_s=...} over every scenario:
   * the sums, and the longest recovery.
   */
  static String resultLine(List<FaultFigures> all) {
    double recovery = 0;
    for (FaultFigures f : all) {
      recovery = Double.isNaN(f.recoverySeconds()) || Double.isNaN(recovery) ? Double.NaN : Math.max(recovery, f.recoverySeconds());
    }
    return String.format(Locale.ROOT, "RESULT produced=%d counted=%d lost=%d duplicates=%d restarts=%d recovery_s=%s",
        all.stream().mapToLong(FaultFigures::produced).sum(), all.stream().mapToLong(FaultFigures::counted).sum(),
        all.stream().mapToLong(FaultFigures::lost).sum(), all.stream().mapToLong(FaultFigures::duplicates).sum(),
        all.stream().mapToInt(FaultFigures::restarts).sum(), seconds(recovery));
  }

  private static String seconds(double s) {
    return Double.isNaN(s) ? "none" : String.format(Locale.ROOT, "%.1f", s);
  }
}
