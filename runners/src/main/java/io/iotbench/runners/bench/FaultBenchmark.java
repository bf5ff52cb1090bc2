package io.iotbench.runners.bench;

import static io.iotbench.simulator.cli.Commands.VALUE;

import io.iotbench.model.support.Folders;
import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.simulator.cli.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotbench bench-faults}: the fault scenarios of {@link FaultScenario} at a chosen rate, each on a fresh
 * broker and scorer: the Kafka broker stopped with SIGTERM and restarted, killed with SIGKILL and restarted (both on
 * the same port and data folder after {@code --outageSeconds}), and the scorer killed with SIGKILL and restarted
 * from its {@code --checkpointDir}. Prints a table (produced, counted, lost, duplicates, the scorer's own duplicate
 * count, restarts, recovery) and ends with one line {@code RESULT produced=... counted=... lost=... duplicates=...
 * restarts=... recovery_s=...} over the scenarios run (sums; the longest recovery). Exit 1 if a scenario lost an
 * event or a process failed.
 *
 * <pre>{@code
 * iotbench bench-faults --rate=5000 --events=200000 --scenarios=broker-sigterm,broker-sigkill
 * }</pre>
 */
@Command(
    name = "bench-faults",
    synopsisHeading = "",
    customSynopsis = "usage: iotbench bench-faults [--option=value ...]",
    description = "Restarts the Kafka broker (SIGTERM, SIGKILL) or the scorer (SIGKILL) in the middle of a stream "
        + "and counts what the scorer's decisions lost or counted twice.",
    optionListHeading = Commands.OPTION_LIST_HEADING,
    sortOptions = false)
public final class FaultBenchmark implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Commands.HelpOption help;

  @Option(names = "--events", paramLabel = VALUE, defaultValue = "200000",
      description = "events per scenario, sentinels not included [${DEFAULT-VALUE}]")
  long events;

  @Option(names = "--rate", paramLabel = VALUE, defaultValue = "5000",
      description = "events per second the simulator sends, over all devices [${DEFAULT-VALUE}]")
  double rate;

  @Option(names = "--devices", paramLabel = VALUE, defaultValue = "4", description = "devices of the stream [${DEFAULT-VALUE}]")
  int devices;

  @Option(names = "--outageSeconds", paramLabel = VALUE, defaultValue = "10",
      description = "how long the broker stays down before it is started again [${DEFAULT-VALUE}]")
  int outageSeconds;

  @Option(names = "--scenarios", paramLabel = VALUE, split = ",",
      defaultValue = "broker-sigterm,broker-sigkill,scorer-sigkill",
      description = "scenarios to run, comma-separated: broker-sigterm, broker-sigkill, scorer-sigkill [${DEFAULT-VALUE}]")
  List<String> scenarios;

  @Option(names = "--runTimeoutSeconds", paramLabel = VALUE, defaultValue = "600",
      description = "seconds one scenario may take at most [${DEFAULT-VALUE}]")
  int runTimeoutSeconds;

  public static void main(String[] args) {
    System.exit(command().execute(args));
  }

  /** The command, with the error handling of every {@code iotbench} command ({@link Commands}). */
  public static CommandLine command() {
    return Commands.commandLine(new FaultBenchmark(), System.out, System.err);
  }

  /** The scenarios named by {@code --scenarios}, in order, each once. */
  List<FaultScenario.Fault> faults() {
    List<FaultScenario.Fault> faults = new ArrayList<>();
    for (String name : new LinkedHashSet<>(scenarios)) {
      FaultScenario.Fault fault = null;
      for (FaultScenario.Fault f : FaultScenario.Fault.values()) {
        if (f.label().equals(name.strip())) {
          fault = f;
        }
      }
      if (fault == null) {
        throw Commands.usage(spec, "--scenarios=" + name + ": expected broker-sigterm, broker-sigkill or scorer-sigkill");
      }
      faults.add(fault);
    }
    return faults;
  }

  @Override
  public Integer call() throws Exception {
    Commands.check(spec, events > 0, "events", "must be positive");
    Commands.check(spec, rate > 0, "rate", "must be positive");
    Commands.check(spec, devices > 0, "devices", "must be positive");
    Commands.check(spec, outageSeconds >= 0, "outageSeconds", "must be >= 0");
    Commands.check(spec, runTimeoutSeconds > 0, "runTimeoutSeconds", "must be positive");
    List<FaultScenario.Fault> faults = faults();
    List<String> rows = new ArrayList<>();
    List<FaultFigures> all = new ArrayList<>();
    boolean ok = true;
    for (FaultScenario.Fault fault : faults) {
      ConsoleReport.progress(String.format(Locale.ROOT, "%s: %,d events at %,.0f events/s ...", fault.label(), events, rate));
      Path work = Files.createTempDirectory("iotbench-bench-faults");
      try {
        FaultScenario.Outcome o = FaultScenario.run(fault, new FaultScenario.Settings(events, rate, devices,
            Duration.ofSeconds(outageSeconds), work, Duration.ofSeconds(runTimeoutSeconds)));
        FaultFigures f = o.figures(events);
        all.add(f);
        rows.add(f.row(fault.label()));
        boolean exits = o.simulatorExit() == 0 && o.scorerExits().get(o.scorerExits().size() - 1) == 0;
        if (!exits || f.lost() > 0) {
          ok = false;
          rows.add(String.format(Locale.ROOT, "%-16s simulator exit %d, scorer exits %s; %s", "", o.simulatorExit(),
              o.scorerExits(), o.scorerTail()));
        }
      } finally {
        Folders.deleteQuietly(work);
      }
    }
    ConsoleReport.endProgress();
    ConsoleReport.line(String.format(Locale.ROOT, "%,d events per scenario at %,.0f events/s, %d devices, outage %d s",
        events, rate, devices, outageSeconds));
    ConsoleReport.line(FaultFigures.header());
    rows.forEach(ConsoleReport::line);
    ConsoleReport.line(FaultFigures.resultLine(all));
    return ok ? 0 : 1;
  }
}
