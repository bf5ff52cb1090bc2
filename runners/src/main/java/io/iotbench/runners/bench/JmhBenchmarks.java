package io.iotbench.runners.bench;

import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.runners.bench.jmh.RowFormattingBenchmark;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * {@code iotbench bench-jmh [JMH options]}: runs the JMH micro-benchmarks of the hot loops (JMH's own options
 * pass through, e.g. {@code -wi 1 -i 3}) and ends with {@code RESULT row_format_mb_per_s=...}, the generator's
 * formatting rate for 100 sensors on one core with no I/O.
 */
public final class JmhBenchmarks {
  private JmhBenchmarks() {}

  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    CommandLineOptions commandLine = new CommandLineOptions(args);
    OptionsBuilder options = new OptionsBuilder();
    options.parent(commandLine).include(RowFormattingBenchmark.class.getName());
    // The forked JVM inherits the launcher's classpath; it needs no Spark flags.
    Collection<RunResult> results = new Runner(options.build()).run();
    double rowsPerSecond = results.iterator().next().getPrimaryResult().getScore();
    int sensors = Integer.parseInt(results.iterator().next().getParams().getParam("sensors"));
    double mbPerSecond = rowsPerSecond * (2 + 8.0 * sensors) / 1e6;
    ConsoleReport.line(String.format(Locale.ROOT, "RESULT row_format_mb_per_s=%.1f rows_per_s=%.0f sensors=%d", mbPerSecond, rowsPerSecond, sensors));
  }
}
