package io.iotbench.simulator;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The simulator's console report, on standard error so that standard output carries only events:
 * {@code N events sent} as the stream goes on and {@code Sent N events to <sink> in T seconds} at the
 * end, as the original simulators print them.
 */
public final class ConsoleProgress implements Progress {

  private final PrintStream err;

  public ConsoleProgress(PrintStream err) {
    this.err = err;
  }

  @Override
  public void notice(String message) {
    err.println(message);
  }

  @Override
  public void sent(long sent) {
    err.println(sent + " events sent");
  }

  @Override
  public void finished(long sent, String sink, double seconds) {
    err.println(String.format(Locale.ROOT, "Sent %d events to %s in %.1f seconds", sent, sink, seconds));
  }
}
