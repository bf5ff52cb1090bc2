package io.iotbench.pipelines.score;

import io.iotbench.model.support.ConsoleText;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * The original's console report, through {@link ScoreReport}: one line per decision ({@code <time>: Interval N:
 * Everything is OK (K sensor events in interval)}, or in red {@code <time>: Interval N: Attention needed (...)}),
 * with the device when there are several and the flags late / out of order / revised; and {@code Interval N:
 * No input} for intervals without events, found by flattening a tick per interval in with the events and
 * summing per window (an empty window produces nothing in Beam, and timers are not available on Spark). The DoFns
 * print only where they run in the launching JVM ({@link ReportPlacement}); elsewhere they only count, and the
 * driver prints the decisions it reads back ({@link FollowDecisionFiles}).
 */
public final class ReportIntervals {
  private ReportIntervals() {}

  /** Prints the decisions (unless {@code print} is false); counts them by kind. */
  public static final class PrintDecisions extends PTransform<PCollection<Decision>, PDone> {
    private static final long serialVersionUID = 1L;
    private final ScoreReport report;
    private final boolean print;

    public PrintDecisions(ScoreReport report, boolean print) {
      this.report = report;
      this.print = print;
    }

    @Override
    public PDone expand(PCollection<Decision> decisions) {
      decisions.apply("PrintDecisionLines", ParDo.of(new ReportDecisionFn(report, print)));
      return PDone.in(decisions.getPipeline());
    }
  }

  /** Prints {@code No input} for intervals in which no device sent an event. */
  public static final class PrintEmptyIntervals extends PTransform<PCollection<KV<String, IntervalUpdate>>, PDone> {
    private static final long serialVersionUID = 1L;
    private final PTransform<PBegin, PCollection<Long>> ticks;
    private final Duration interval;
    private final Duration allowedLateness;
    private final IntervalNumbering numbering;
    private final ScoreReport report;
    private final boolean print;

    public PrintEmptyIntervals(
        PTransform<PBegin, PCollection<Long>> ticks, Duration interval, Duration allowedLateness,
        IntervalNumbering numbering, ScoreReport report, boolean print) {
      this.ticks = ticks;
      this.interval = interval;
      this.allowedLateness = allowedLateness;
      this.numbering = numbering;
      this.report = report;
      this.print = print;
    }

    @Override
    public PDone expand(PCollection<KV<String, IntervalUpdate>> updates) {
      // The scorer's per-bundle updates (ScoreIntervals#bundleUpdates) with their sensor event counts, taken
      // out of their windows and trigger so that they flatten with the ticks.
      PCollection<Long> ones = updates
          .apply("EventsPerUpdate", MapElements.into(TypeDescriptors.longs()).via((KV<String, IntervalUpdate> u) -> u.getValue().count()))
          .apply("OutOfIntervals", Window.<Long>into(new GlobalWindows()).triggering(DefaultTrigger.of())
              .withAllowedLateness(Duration.ZERO).discardingFiredPanes());
      PCollection<Long> zeros =
          updates.getPipeline().apply("TickPerInterval", ticks)
              .apply("ZeroPerTick", MapElements.into(TypeDescriptors.longs()).via((Long t) -> 0L));
      PCollectionList.of(ones).and(zeros)
          .apply("FlattenEventsAndTicks", Flatten.pCollections())
          .apply("WindowIntoIntervals",
              Window.<Long>into(FixedWindows.of(interval)).withAllowedLateness(allowedLateness).discardingFiredPanes())
          .apply("EventsPerInterval", Sum.longsGlobally().withoutDefaults())
          .apply("PrintNoInput", ParDo.of(new ReportEmptyIntervalFn(numbering, report, print)));
      return PDone.in(updates.getPipeline());
    }
  }

  /** One report line per decision. */
  static final class ReportDecisionFn extends DoFn<Decision, Void> {
    private static final long serialVersionUID = 1L;
    private final Counter decisions = Metrics.counter(ReportDecisionFn.class, "decisions");
    private final Counter attention = Metrics.counter(ReportDecisionFn.class, "attention");
    private final Counter late = Metrics.counter(ReportDecisionFn.class, "late");
    private final Counter outOfOrder = Metrics.counter(ReportDecisionFn.class, "outOfOrder");
    private final Counter revised = Metrics.counter(ReportDecisionFn.class, "revised");
    private final Counter sentinels = Metrics.counter(ReportDecisionFn.class, "sentinelIntervals");
    private final Distribution intervals = Metrics.distribution(ReportDecisionFn.class, "interval");
    private final ScoreReport report;
    private final boolean print;

    ReportDecisionFn(ScoreReport report, boolean print) {
      this.report = report;
      this.print = print;
    }

    @ProcessElement
    public void process(@Element Decision d) {
      decisions.inc();
      intervals.update(d.interval());
      if (d.attention()) {
        attention.inc();
      }
      if (d.late()) {
        late.inc();
      }
      if (d.outOfOrder()) {
        outOfOrder.inc();
      }
      if (d.revised()) {
        revised.inc();
      }
      if (d.sentinel() && !d.revised()) {
        sentinels.inc();
      }
      if (print) {
        report.print(d);
      }
    }
  }

  /** The report line of one decision, without the time and colour. */
  public static String line(Decision d, boolean showDevice) {
    StringBuilder sb = new StringBuilder(80).append("Interval ").append(d.interval());
    if (showDevice) {
      sb.append(", device ").append(ConsoleText.escape(d.device()));
    }
    sb.append(d.attention() ? ": Attention needed (" : ": Everything is OK (")
        .append(d.events()).append(" sensor events in interval)");
    if (d.late()) {
      sb.append(" [late]");
    }
    if (d.outOfOrder()) {
      sb.append(" [out of order]");
    }
    if (d.revised()) {
      sb.append(" [revised]");
    }
    return sb.toString();
  }

  /** {@code Interval N: No input} for a window whose only elements were ticks. */
  static final class ReportEmptyIntervalFn extends DoFn<Long, Void> {
    private static final long serialVersionUID = 1L;
    private final Counter empty = Metrics.counter(ReportEmptyIntervalFn.class, "emptyIntervals");
    private final IntervalNumbering numbering;
    private final ScoreReport report;
    private final boolean print;

    ReportEmptyIntervalFn(IntervalNumbering numbering, ScoreReport report, boolean print) {
      this.numbering = numbering;
      this.report = report;
      this.print = print;
    }

    @ProcessElement
    public void process(@Element Long events, BoundedWindow window, PaneInfo pane) {
      if (events == 0 && pane.isFirst()) {
        empty.inc();
        long start = ((IntervalWindow) window).start().getMillis();
        if (print) {
          report.printNoInput(numbering.intervalOf(start), start);
        }
      }
    }
  }
}
