package io.iotbench.runners.bench;

import io.iotbench.pipelines.common.ConsoleReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench-score --mode=capacity}: per device count, per runner and for the baseline, the capacity search of
 * {@link RateSearch} (or the fixed {@code --rates}) with one {@link CapacityRun} per rate, all on one Kafka broker;
 * then the table, the CSV, the charts and the {@code RESULT} line ({@link CapacityReport}, {@link CapacityCharts}).
 */
final class CapacityBenchmark {
  /** How close the bisection brings the highest met and the lowest missed rate: within 5%. */
  static final double PRECISION = 0.05;

  /** What to measure: every device count, every scorer (runners, then the baseline), the rates or the search. */
  record Plan(List<Integer> deviceCounts, List<String> scorers, List<Double> rates, double startRate, int maxSearchSteps,
      Path output) {}

  private CapacityBenchmark() {}

  /** Runs the plan and prints the report; returns the searches. */
  static List<CapacityReport.Search> run(Plan plan, CapacityRun.Settings settings) throws Exception {
    Files.createDirectories(plan.output());
    List<CapacityReport.Search> searches = new ArrayList<>();
    int[] index = {0};
    for (int devices : plan.deviceCounts()) {
      for (String scorer : plan.scorers()) {
        RateSearch.Measure measure = rate -> {
          ConsoleReport.progress(String.format(Locale.ROOT, "%s, %d device(s), %,.0f events/s: %d s warm-up + %d s measured ...",
              scorer, devices, rate, settings.warmup().toSeconds(), settings.measure().toSeconds()));
          RateFigures f = CapacityRun.measure(settings, scorer, devices, rate, ++index[0]);
          ConsoleReport.endProgress();
          ConsoleReport.line(CapacityReport.row(f));
          if (f.sparkBatches() != null) {
            f.sparkBatches().lines().forEach(ConsoleReport::line);
          }
          return f;
        };
        List<RateFigures> runs = new ArrayList<>();
        if (plan.rates().isEmpty()) {
          runs.addAll(RateSearch.search(plan.startRate(), PRECISION, plan.maxSearchSteps(), measure));
        } else {
          for (double rate : plan.rates()) {
            runs.add(measure.at(rate));
          }
        }
        searches.add(new CapacityReport.Search(scorer, devices, runs));
      }
    }
    report(searches, settings, plan.output());
    return searches;
  }

  private static void report(List<CapacityReport.Search> searches, CapacityRun.Settings settings, Path output)
      throws Exception {
    ConsoleReport.line(String.format(Locale.ROOT, "SLO: p99 decision latency <= %.1f s and lag slope <= %.0f%% of the "
        + "offered rate; %d s warm-up, %d s measured per rate", settings.slo().maxLatencySeconds(),
        100 * settings.slo().maxSlopeShare(), settings.warmup().toSeconds(), settings.measure().toSeconds()));
    ConsoleReport.line(CapacityReport.header());
    searches.forEach(s -> s.runs().forEach(f -> ConsoleReport.line(CapacityReport.row(f))));
    searches.forEach(s -> ConsoleReport.line(CapacityReport.capacityLine(s)));
    CapacityReport.writeCsv(searches, output.resolve("capacity.csv"));
    CapacityCharts.latencyVsRate(searches, settings.slo(), output.resolve("latency-vs-rate.png"));
    for (CapacityReport.Search s : searches) {
      RateFigures run = s.atCapacity() != null ? s.atCapacity() : s.runs().get(0);
      if (!run.samples().isEmpty()) {
        long from = run.samples().get(0).millis() + settings.warmup().toMillis();
        CapacityCharts.lagOverTime(run, from, output.resolve("lag-" + s.runner() + "-d" + s.devices() + ".png"));
      }
    }
    ConsoleReport.line("Table, charts: " + output.toAbsolutePath());
    ConsoleReport.line(CapacityReport.resultLine(searches));
  }
}
