package io.iotbench.pipelines.cutoffs;

import io.iotbench.model.CutoffCalculator;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.common.SeedOptions;
import io.iotbench.pipelines.common.SensorOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Prints the cutoff that gives each target percentage of ones (the original benchmark's {@code calc_cutoffs}):
 * one row per percentage, {@code percent normal montecarlo}, from the normal approximation of the score's
 * distribution and from a seeded Monte Carlo simulation. Pass a printed cutoff to {@code generate --cutoff}.
 *
 * <pre>{@code
 * --sensors=100 --percents=1,2,10 --rows=100000 --seed=42
 * }</pre>
 */
public final class PrintCutoffs {
  /** Options of {@code iotbench cutoffs}. */
  public interface Options extends SensorOptions, SeedOptions {
    @Description("Target percentages of rows labeled 1, comma-separated, each in (0, 100).")
    @Default.String("1,2,5,10,20,30,40,50")
    String getPercents();

    void setPercents(String percents);

    // No @Default: --rows means something else in generate (see Cli's naming rule).
    @Description("Rows simulated for the Monte Carlo column. Default: clamp(1e8 / sensors, 1000, 100000).")
    Long getRows();

    void setRows(Long rows);
  }

  private PrintCutoffs() {}

  public static void main(String[] args) {
    Cli.main("cutoffs", args, Options.class, PrintCutoffs::run);
  }

  /** Checks option values; throws {@link InvalidOptionException} naming the option. */
  public static void validate(Options options) {
    InvalidOptionException.check(options.getSensors() > 0, "sensors", options.getSensors(), "must be a positive number of sensors");
    InvalidOptionException.check(options.getRows() == null || options.getRows() > 0, "rows", options.getRows(), "must be a positive number of rows");
    parsePercents(options.getPercents());
  }

  /** Parses {@code 1,2,10} into percentages, each strictly between 0 and 100. */
  public static double[] parsePercents(String text) {
    List<Double> values = new ArrayList<>();
    for (String part : (text == null ? "" : text).split(",")) {
      String trimmed = part.trim();
      double value;
      try {
        value = Double.parseDouble(trimmed);
      } catch (NumberFormatException e) {
        throw new InvalidOptionException("--percents=" + text + ": '" + trimmed + "' is not a number");
      }
      if (!(value > 0 && value < 100)) {
        throw new InvalidOptionException("--percents=" + text + ": " + trimmed + " is not strictly between 0 and 100");
      }
      values.add(value);
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Computes and prints the table. */
  public static int run(Options options) {
    validate(options);
    for (String line : table(options)) {
      ConsoleReport.line(line);
    }
    return 0;
  }

  /** The table's lines, header first. */
  public static List<String> table(Options options) {
    int n = options.getSensors();
    double[] percents = parsePercents(options.getPercents());
    long rows = options.getRows() != null ? options.getRows() : CutoffCalculator.defaultMonteCarloRows(n);
    double[] simulated = CutoffCalculator.monteCarlo(n, percents, rows, options.getSeed());
    List<String> lines = new ArrayList<>();
    lines.add("percent normal montecarlo");
    for (int i = 0; i < percents.length; i++) {
      lines.add(
          String.format(
              Locale.ROOT, "%s %.2f %.2f", formatPercent(percents[i]), CutoffCalculator.normal(n, percents[i]), simulated[i]));
    }
    return lines;
  }

  private static String formatPercent(double percent) {
    return percent == Math.rint(percent) ? Long.toString((long) percent) : Double.toString(percent);
  }
}
