package io.iotbench.pipelines.score;

import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.pipelines.common.PipelineCounters;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;

/**
 * The scorer's end report: the original's summary line ({@code N events received in T seconds (K intervals), or
 * R sensor events/second}) and one line with every counter, read from the ended run's metrics.
 *
 * @param events sensor events parsed
 * @param seconds how long events kept arriving
 * @param intervals intervals from the first decided to the last decided one
 * @param droppedDueToLateness events the runner dropped for arriving after the allowed lateness
 * @param devicesExpired device states released after {@code --deviceIdleTimeout} of event time
 */
record RunSummary(long events, double seconds, long intervals, long sentinels, long parseErrors, long unknownSensors,
    long decisions, long attention, long late, long outOfOrder, long revised, long emptyIntervals,
    long droppedDueToLateness, long devicesExpired) {

  /** Reads the summary from the run's metrics. */
  static RunSummary of(RunOutcome outcome) {
    PipelineResult r = outcome.result();
    Class<?> parse = ParseEvents.ParseEventFn.class;
    Class<?> report = ReportIntervals.ReportDecisionFn.class;
    DistributionResult decided = PipelineCounters.distribution(r, report, "interval");
    long intervals = decided == null || decided.getCount() == 0 ? 0 : decided.getMax() - decided.getMin() + 1;
    return new RunSummary(
        PipelineCounters.get(r, parse, "parsed"), outcome.eventSeconds(), intervals,
        PipelineCounters.get(r, parse, "sentinels"),
        PipelineCounters.get(r, parse, "parseErrors"),
        PipelineCounters.get(r, parse, "unknownSensors"),
        PipelineCounters.get(r, report, "decisions"),
        PipelineCounters.get(r, report, "attention"),
        PipelineCounters.get(r, report, "late"),
        PipelineCounters.get(r, report, "outOfOrder"),
        PipelineCounters.get(r, report, "revised"),
        PipelineCounters.get(r, ReportIntervals.ReportEmptyIntervalFn.class, "emptyIntervals"),
        PipelineCounters.counterByName(r, "droppedDueToLateness"),
        PipelineCounters.get(r, ScoreIntervals.ScoreIntervalFn.class, ScoreIntervals.DEVICES_EXPIRED));
  }

  /** The report's two lines. */
  List<String> lines() {
    return List.of(
        String.format(Locale.ROOT, "%d events received in %.2f seconds (%d intervals), or %.0f sensor events/second",
            events, seconds, intervals, seconds > 0 ? events / seconds : 0.0),
        String.format(Locale.ROOT,
            "Counters: parsed=%d sentinels=%d deadLetters=%d (parseErrors=%d unknownSensors=%d) decisions=%d attention=%d"
                + " late=%d outOfOrder=%d revised=%d emptyIntervals=%d droppedDueToLateness=%d devicesExpired=%d",
            events, sentinels, parseErrors + unknownSensors, parseErrors, unknownSensors, decisions, attention, late,
            outOfOrder, revised, emptyIntervals, droppedDueToLateness, devicesExpired));
  }

  /** Prints the report through {@link ConsoleReport}. */
  void print() {
    lines().forEach(ConsoleReport::line);
  }
}
