package io.iotbench.pipelines.common;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The one place that writes the user-facing console report: the original benchmark's report lines go to
 * standard output, progress and error lines to standard error. Library code logs through slf4j; only what a
 * user is meant to read from the console passes through here, so tests and wrappers can find it in one place.
 *
 * <p>The original benchmark's lines start with the time in ISO-8601 UTC ({@link #stampSeconds} for generate and
 * train, {@link #stampMillis} for the scorer's lines), and its sizes read like {@code 789.1KB} ({@link #size}).
 */
public final class ConsoleReport {
  private static final String RED = "\u001b[31m";
  private static final String RESET = "\u001b[0m";

  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private ConsoleReport() {}

  /** {@code text} after the time {@code at} to the second, as the original starts its lines: {@code 2018-03-01T17:12:03Z: text}. */
  public static String stampSeconds(Instant at, String text) {
    return SECONDS.format(at) + ": " + text;
  }

  /** {@code text} after the time {@code at} to the millisecond: {@code 2018-03-01T17:23:39.408Z: text}. */
  public static String stampMillis(Instant at, String text) {
    return timeMillis(at) + ": " + text;
  }

  /** The time {@code at} in ISO-8601 UTC to the millisecond: {@code 2018-03-01T17:23:39.408Z}. */
  public static String timeMillis(Instant at) {
    return MILLIS.format(at);
  }

  /**
   * A size as the original prints it: 1024-based units KB, MB, GB, TB with one decimal ({@code 789.1KB} for 808,000
   * bytes); below 1 KB the bytes themselves ({@code 512B}), where the original printed nothing.
   */
  public static String size(long bytes) {
    String[] units = {"TB", "GB", "MB", "KB"};
    for (int i = 0; i < units.length; i++) {
      double unit = Math.pow(1024, units.length - i);
      if (bytes >= unit) {
        return String.format(Locale.ROOT, "%.1f%s", bytes / unit, units[i]);
      }
    }
    return bytes + "B";
  }

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
