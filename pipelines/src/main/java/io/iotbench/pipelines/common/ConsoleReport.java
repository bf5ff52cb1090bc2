package io.iotbench.pipelines.common;

import java.io.PrintStream;

/**
 * The one place that writes the user-facing console report: the original benchmark's report lines go to
 * standard output, progress and error lines to standard error. Library code logs through slf4j; only what a
 * user is meant to read from the console passes through here, so tests and wrappers can find it in one place.
 */
public final class ConsoleReport {
  private static final String RED = "\u001b[31m";
  private static final String RESET = "\u001b[0m";

  private ConsoleReport() {}

  /** A report line on standard output. */
  public static void line(String text) {
    out().println(text);
    out().flush();
  }

  /** A report line on standard output, in red when standard output is a terminal. */
  public static void alert(String text) {
    line(isTerminal() ? RED + text + RESET : text);
  }

  /** A progress line on standard error; on a terminal it overwrites itself (carriage return, no newline). */
  public static void progress(String text) {
    PrintStream err = System.err;
    if (isTerminal()) {
      err.print("\r" + text + "\u001b[K");
    } else {
      err.println(text);
    }
    err.flush();
  }

  /** Ends an overwriting progress line so that the next report starts on a fresh line. */
  public static void endProgress() {
    if (isTerminal()) {
      System.err.println();
    }
  }

  /** A notice on standard error: what the command is doing or waiting for, outside the report. */
  public static void notice(String text) {
    System.err.println(text);
    System.err.flush();
  }

  /** An error line on standard error. */
  public static void error(String text) {
    System.err.println(text);
    System.err.flush();
  }

  /** Whether the console is an interactive terminal (decides progress style and colour). */
  public static boolean isTerminal() {
    return System.console() != null;
  }

  private static PrintStream out() {
    return System.out;
  }
}
