package io.iotbench.it.simulator;

import io.iotbench.simulator.Clock;
import io.iotbench.simulator.Simulate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs {@code simulate} inside the test JVM on a deterministic clock, so that a run to a broker and a
 * run to standard output with the same options produce exactly the same events, timestamps
 * included: the stdout run is the expected output of the broker run.
 */
final class InJvmSimulator {

  private InJvmSimulator() {}

  /** Starts at 2018-01-13T21:37:30.830Z; every reading of the clock moves it on by 37 us. */
  static final class SteppingClock implements Clock {
    private long nanos;

    @Override
    public long nanoTime() {
      nanos += 37_000;
      return nanos;
    }

    @Override
    public long currentTimeMillis() {
      return 1_515_879_450_830L + nanos / 1_000_000;
    }

    @Override
    public void sleepUntil(long deadline) {
      nanos = Math.max(nanos, deadline);
    }
  }

  record Run(int status, List<String> stdout, List<String> stderr) {}

  static Run run(String... args) {
    ByteArrayOutputStream events = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Simulate.run(args, events, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new SteppingClock());
    return new Run(status, lines(events), lines(err));
  }

  /** The lines {@code simulate args --sink=stdout} prints. */
  static List<String> expectedLines(String... args) {
    Run run = run(Stream.concat(Arrays.stream(args), Stream.of("--sink=stdout")).toArray(String[]::new));
    if (run.status() != 0) {
      throw new AssertionError("stdout run failed: " + run.stderr());
    }
    return run.stdout();
  }

  static String[] with(String[] args, String... more) {
    return Stream.concat(Arrays.stream(args), Arrays.stream(more)).toArray(String[]::new);
  }

  private static List<String> lines(ByteArrayOutputStream bytes) {
    String s = bytes.toString(StandardCharsets.UTF_8);
    return s.isEmpty() ? List.of() : List.of(s.split("\n"));
  }
}
