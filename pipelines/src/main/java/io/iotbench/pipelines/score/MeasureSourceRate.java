package io.iotbench.pipelines.score;

import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.pipelines.common.PipelineCounters;
import java.io.IOException;
import java.util.Locale;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.joda.time.Duration;

/**
 * Measures how fast one of the scorer's sources delivers records on the chosen runner, without the scoring
 * behind it (command {@code bench-score-source}): reads with exactly the options {@code score} takes, counts
 * the records, and stops after {@code --maxEvents} records or {@code --maxRuntime} seconds. Prints
 * {@code RESULT source=... records=... seconds=... records_per_s=...}, the seconds counted from the first
 * record to the last.
 */
public final class MeasureSourceRate {
  private MeasureSourceRate() {}

  public static void main(String[] args) {
    Cli.main("bench-score-source", args, ScoreSensorStream.Options.class, o -> {
      measure(o);
      return 0;
    });
  }

  /** Counts the source's records. */
  static final class CountRecordsFn extends DoFn<String, Void> {
    private static final long serialVersionUID = 1L;
    private final Counter records = Metrics.counter(CountRecordsFn.class, "records");

    @ProcessElement
    public void process(@Element String record) {
      if (!record.isEmpty()) {
        records.inc(record.chars().filter(c -> c == '\n').count() + 1);
      }
    }
  }

  /**
   * What one measurement counted: the records read and the seconds from the first to the last (the whole run
   * for a bounded source, whose counters arrive only at its end).
   */
  public record SourceRate(long records, double seconds) {
    /** Records per second; 0 when nothing was read. */
    public double perSecond() {
      return seconds > 0 ? records / seconds : 0;
    }
  }

  /** Runs the measurement and prints its {@code RESULT} line. */
  public static SourceRate measure(ScoreSensorStream.Options o) throws IOException {
    ScoreSensorStream.validate(o);
    if (!ReadEventRecords.isBounded(o)) {
      RunnerSettings.forUnboundedRun(o);
    }
    Pipeline p = Pipeline.create(o);
    p.apply("ReadEventRecords", new ReadEventRecords(o)).apply("CountRecords", ParDo.of(new CountRecordsFn()));
    long start = System.nanoTime();
    PipelineResult result = p.run();
    long first = -1;
    long last = -1;
    long seen = 0;
    while (true) {
      PipelineResult.State state = result.waitUntilFinish(Duration.millis(50));
      long now = System.nanoTime();
      long n = PipelineCounters.get(result, CountRecordsFn.class, "records");
      if (n > seen) {
        if (first < 0) {
          first = now;
        }
        last = now;
        seen = n;
      }
      boolean done = state != null && state.isTerminal();
      boolean enough = o.getMaxEvents() != null && n >= o.getMaxEvents();
      boolean timeUp = o.getMaxRuntime() != null && now - start > o.getMaxRuntime() * 1e9;
      if (done || enough || timeUp) {
        if (!done) {
          result.cancel();
        }
        break;
      }
    }
    if (ReadEventRecords.isBounded(o)) {
      first = start; // a bounded run reports its counters only at the end
    }
    SourceRate rate = new SourceRate(seen, first < 0 ? 0 : Math.max(1e-3, (last - first) / 1e9));
    ConsoleReport.line(String.format(Locale.ROOT, "RESULT source=%s records=%d seconds=%.2f records_per_s=%.0f",
        o.getSource(), rate.records(), rate.seconds(), rate.perSecond()));
    return rate;
  }
}
