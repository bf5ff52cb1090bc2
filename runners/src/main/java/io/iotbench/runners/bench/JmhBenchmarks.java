package io.iotbench.runners.bench;

import io.iotbench.model.support.ErrorText;
import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.runners.bench.jmh.RowFormattingBenchmark;
import io.iotbench.simulator.cli.Commands;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code iotbench bench-jmh [JMH options]}: runs the JMH micro-benchmarks of the hot loops (JMH's own options
 * pass through, e.g. {@code -wi 1 -i 3}) and ends with {@code RESULT row_format_mb_per_s=...}, the generator's
 * formatting rate for 100 sensors on one core with no I/O.
 */
@Command(
    name = "bench-jmh",
    synopsisHeading = "",
    customSynopsis = "usage: iotbench bench-jmh [JMH options, e.g. -wi 1 -i 3]",
    description = "Runs the JMH micro-benchmarks of the hot loops; every option but --help is JMH's own (JMH's -h lists them).")
public final class JmhBenchmarks implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--help", usageHelp = true, description = "print this help and exit")
  boolean help;

  /** JMH's options, as its own command line reads them. */
  @Unmatched List<String> jmhArgs = new ArrayList<>();

  JmhBenchmarks() {}

  public static void main(String[] args) {
    System.exit(Commands.execute(new JmhBenchmarks(), args, System.out, System.err));
  }

  @Override
  public Integer call() throws Exception {
    CommandLineOptions commandLine;
    try {
      commandLine = new CommandLineOptions(jmhArgs.toArray(new String[0]));
    } catch (CommandLineOptionException e) {
      throw Commands.usage(spec, ErrorText.oneLine(e));
    }
    if (commandLine.shouldHelp()) {
      commandLine.showHelp();
      return 0;
    }
    OptionsBuilder options = new OptionsBuilder();
    options.parent(commandLine).include(RowFormattingBenchmark.class.getName());
    // The forked JVM inherits the launcher's classpath; it needs no Spark flags.
    Collection<RunResult> results = new Runner(options.build()).run();
    double rowsPerSecond = results.iterator().next().getPrimaryResult().getScore();
    int sensors = Integer.parseInt(results.iterator().next().getParams().getParam("sensors"));
    double mbPerSecond = rowsPerSecond * (2 + 8.0 * sensors) / 1e6;
    ConsoleReport.line(String.format(Locale.ROOT, "RESULT row_format_mb_per_s=%.1f rows_per_s=%.0f sensors=%d", mbPerSecond, rowsPerSecond, sensors));
    return 0;
  }
}
