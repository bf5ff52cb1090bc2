package io.iotbench.pipelines.score;

import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.pipelines.common.PipelineCounters;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;

/**
 * The scorer's end report: the original's summary line ({@code <time>: N events received in T seconds (K intervals), or
 * R sensor events/second}, T with one decimal as the original's) and one line with every counter, read from the ended run's metrics. The parse stage's
 * counters come first: records, events (readings), sentinels, and the dead letters in total and per reason (only the
 * reasons that occurred), the same numbers the dead-letter output holds. A drained streaming run says first how its
 * drain went ({@code Drained in S s (reason): ...}, or {@code Not drained within T s ...} when it was stopped anyway).
 *
 * @param events sensor events parsed (readings; sentinels not included)
 * @param seconds how long events kept arriving
 * @param intervals intervals from the first decided to the last decided one
 * @param records records seen (heartbeats excluded): parsed records + dead letters
 * @param deadLetters rejected records, one dead letter each
 * @param deadLettersByReason dead letters per reason label, in {@link RecordRules.Reason} order
 * @param droppedDueToLateness events the runner dropped for arriving after the allowed lateness
 * @param devicesExpired device states released after {@code --deviceIdleTimeout} of event time
 * @param duplicatesSkipped Kafka records the source read a second time (after a rebalance, or a seek back to a
 *     checkpoint) and dropped before parsing: not in {@code records}, not in any decision
 * @param duplicatesSuspected Kafka records read again after a restart (between the group's committed offset and what
 *     the previous run had handed out) that the previous run may already have counted: parsed and counted again
 * @param drained the line about the end-of-run drain, or null for a run that was not drained
 */
record RunSummary(long events, double seconds, long intervals, long records, long sentinels, long deadLetters,
    Map<String, Long> deadLettersByReason, long decisions, long attention, long late, long outOfOrder, long revised,
    long emptyIntervals, long droppedDueToLateness, long devicesExpired, long duplicatesSkipped, long duplicatesSuspected, String drained) {

  /** The summary of a run that was not drained. */
  RunSummary(long events, double seconds, long intervals, long records, long sentinels, long deadLetters,
      Map<String, Long> deadLettersByReason, long decisions, long attention, long late, long outOfOrder, long revised,
      long emptyIntervals, long droppedDueToLateness, long devicesExpired, long duplicatesSkipped,
      long duplicatesSuspected) {
    this(events, seconds, intervals, records, sentinels, deadLetters, deadLettersByReason, decisions, attention, late,
        outOfOrder, revised, emptyIntervals, droppedDueToLateness, devicesExpired, duplicatesSkipped, duplicatesSuspected,
        null);
  }

  /** The line about how {@code outcome}'s drain went, or null if it was not drained. */
  static String drainedLine(RunOutcome outcome) {
    RunOutcome.Drain d = outcome.drain();
    if (d == null) {
      return null;
    }
    return d.completed()
        ? String.format(Locale.ROOT, "Drained in %.2f seconds (%s): the last decisions and dead letters are written",
            d.seconds(), outcome.reason())
        : String.format(Locale.ROOT, "Not drained within %s seconds (--drainTimeout, %s): stopped anyway, the last"
            + " decisions and dead letters may be missing", seconds(d.timeoutSeconds()), outcome.reason());
  }

  /** {@code 30} for 30.0, {@code 0.5} for 0.5. */
  private static String seconds(double s) {
    return s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s);
  }

  /** Reads the summary from the run's metrics. */
  static RunSummary of(RunOutcome outcome) {
    PipelineResult r = outcome.result();
    Class<?> parse = ParseEvents.class;
    Class<?> report = ReportIntervals.ReportDecisionFn.class;
    DistributionResult decided = PipelineCounters.distribution(r, report, "interval");
    long intervals = decided == null || decided.getCount() == 0 ? 0 : decided.getMax() - decided.getMin() + 1;
    Map<String, Long> byReason = new LinkedHashMap<>();
    for (RecordRules.Reason reason : RecordRules.Reason.values()) {
      byReason.put(reason.label(), PipelineCounters.get(r, parse, reason.counter()));
    }
    return new RunSummary(
        PipelineCounters.get(r, parse, ParseEvents.EVENTS_COUNTER), outcome.eventSeconds(), intervals,
        PipelineCounters.get(r, parse, ParseEvents.RECORDS),
        PipelineCounters.get(r, parse, ParseEvents.SENTINELS),
        PipelineCounters.get(r, parse, ParseEvents.DEAD_LETTERS_COUNTER),
        byReason,
        PipelineCounters.get(r, report, "decisions"),
        PipelineCounters.get(r, report, "attention"),
        PipelineCounters.get(r, report, "late"),
        PipelineCounters.get(r, report, "outOfOrder"),
        PipelineCounters.get(r, report, "revised"),
        PipelineCounters.get(r, ReportIntervals.ReportEmptyIntervalFn.class, "emptyIntervals"),
        PipelineCounters.counterByName(r, "droppedDueToLateness"),
        PipelineCounters.get(r, ScoreIntervals.ScoreIntervalFn.class, ScoreIntervals.DEVICES_EXPIRED),
        PipelineCounters.get(r, parse, ParseEvents.DUPLICATES_SKIPPED),
        PipelineCounters.get(r, parse, ParseEvents.DUPLICATES_SUSPECTED),
        drainedLine(outcome));
  }

  /** The report's two lines, after the drain's line if the run was drained. */
  List<String> lines() {
    StringBuilder reasons = new StringBuilder();
    deadLettersByReason.forEach((reason, n) -> {
      if (n > 0) {
        reasons.append(reasons.length() == 0 ? " (" : " ").append(reason).append('=').append(n);
      }
    });
    if (reasons.length() > 0) {
      reasons.append(')');
    }
    List<String> lines = new java.util.ArrayList<>();
    if (drained != null) {
      lines.add(drained);
    }
    lines.addAll(List.of(
        ConsoleReport.stampMillis(Instant.now(),
            String.format(Locale.ROOT, "%d events received in %.1f seconds (%d intervals), or %.0f sensor events/second",
                events, seconds, intervals, seconds > 0 ? events / seconds : 0.0)),
        String.format(Locale.ROOT,
            "Counters: records=%d events=%d sentinels=%d deadLetters=%d%s decisions=%d attention=%d"
                + " late=%d outOfOrder=%d revised=%d emptyIntervals=%d droppedDueToLateness=%d devicesExpired=%d"
                + " duplicatesSkipped=%d duplicatesSuspected=%d",
            records, events, sentinels, deadLetters, reasons, decisions, attention, late,
            outOfOrder, revised, emptyIntervals, droppedDueToLateness, devicesExpired, duplicatesSkipped,
            duplicatesSuspected)));
    return lines;
  }

}
