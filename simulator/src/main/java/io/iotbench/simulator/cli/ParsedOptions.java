package io.iotbench.simulator.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The values of one command line, read with range checks. Every getter falls back to the option's
 * default and throws a {@link UsageException} whose message quotes the option as given, e.g.
 * {@code --rate=-1: must be >= 0}.
 */
public final class ParsedOptions {

  private final OptionSet options;
  private final Map<String, List<String>> given;
  private final List<String> positional;

  ParsedOptions(OptionSet options, Map<String, List<String>> given, List<String> positional) {
    this.options = options;
    this.given = given;
    this.positional = List.copyOf(positional);
  }

  /** Arguments that are not options, in order. */
  public List<String> positional() {
    return positional;
  }

  /** True if the option was on the command line (not just defaulted). */
  public boolean isGiven(String name) {
    options.spec(name);
    return given.containsKey(name);
  }

  /** The value as given or defaulted; null if neither. */
  public String string(String name) {
    OptionSet.Spec spec = options.spec(name);
    List<String> values = given.get(name);
    return values == null ? spec.defaultValue() : values.get(0);
  }

  /** Every value of a repeatable option, in order. */
  public List<String> all(String name) {
    options.spec(name);
    return List.copyOf(given.getOrDefault(name, List.of()));
  }

  /** A non-empty value; fails if the option has neither a value nor a default. */
  public String required(String name) throws UsageException {
    String v = string(name);
    if (v == null || v.isEmpty()) {
      throw new UsageException("--" + name + ": is required");
    }
    return v;
  }

  public long longValue(String name, long min, long max) throws UsageException {
    String v = string(name);
    long n;
    try {
      n = Long.parseLong(v.trim().replace("_", ""));
    } catch (NumberFormatException e) {
      throw bad(name, v, "not a whole number");
    }
    check(name, v, n >= min, "must be >= " + min);
    check(name, v, n <= max, "must be <= " + max);
    return n;
  }

  public int intValue(String name, int min, int max) throws UsageException {
    return (int) longValue(name, min, max);
  }

  public double doubleValue(String name, double min, double max) throws UsageException {
    String v = string(name);
    double d;
    try {
      d = Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw bad(name, v, "not a number");
    }
    check(name, v, Double.isFinite(d), "not a finite number");
    check(name, v, d >= min, "must be >= " + plain(min));
    check(name, v, d <= max, "must be <= " + plain(max));
    return d;
  }

  public boolean bool(String name) throws UsageException {
    String v = string(name);
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw bad(name, v, "must be true or false");
    };
  }

  /** One of {@code choices}, compared case-insensitively; returned in lower case. */
  public String choice(String name, Set<String> choices) throws UsageException {
    String v = string(name);
    String lower = v == null ? "" : v.toLowerCase(Locale.ROOT);
    if (!choices.contains(lower)) {
      throw bad(name, v, "must be one of " + String.join(", ", choices.stream().sorted().toList()));
    }
    return lower;
  }

  /**
   * A duration written as a number with unit {@code ms}, {@code s}, {@code m} or {@code h}
   * ({@code 500ms}, {@code 5s}, {@code 1.5m}), a bare number of seconds, or ISO-8601 ({@code PT5S}).
   */
  public Duration duration(String name, Duration min) throws UsageException {
    String v = string(name);
    Duration d;
    try {
      d = parseDuration(v);
    } catch (IllegalArgumentException e) {
      throw bad(name, v, "not a duration (e.g. 500ms, 5s, 2m, 1h)");
    }
    check(name, v, d.compareTo(min) >= 0, "must be >= " + format(min));
    return d;
  }

  static Duration parseDuration(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.startsWith("pt") || s.startsWith("p")) {
      try {
        return Duration.parse(s.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(text, e);
      }
    }
    double nanosPerUnit;
    String number;
    if (s.endsWith("ms")) {
      nanosPerUnit = 1e6;
      number = s.substring(0, s.length() - 2);
    } else if (s.endsWith("s")) {
      nanosPerUnit = 1e9;
      number = s.substring(0, s.length() - 1);
    } else if (s.endsWith("m")) {
      nanosPerUnit = 60e9;
      number = s.substring(0, s.length() - 1);
    } else if (s.endsWith("h")) {
      nanosPerUnit = 3600e9;
      number = s.substring(0, s.length() - 1);
    } else {
      nanosPerUnit = 1e9;
      number = s;
    }
    double amount;
    try {
      amount = Double.parseDouble(number.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(text, e);
    }
    double nanos = amount * nanosPerUnit;
    if (!Double.isFinite(nanos) || Math.abs(nanos) > Long.MAX_VALUE / 2.0) {
      throw new IllegalArgumentException(text);
    }
    return Duration.ofNanos(Math.round(nanos));
  }

  /** A duration as users write it: {@code 0s}, {@code 500ms}, {@code 5s}, {@code 1.5s}. */
  public static String format(Duration d) {
    long millis = d.toMillis();
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    if (millis < 1000) {
      return millis + "ms";
    }
    return plain(millis / 1000.0) + "s";
  }

  private static String plain(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  private static void check(String name, String value, boolean ok, String problem)
      throws UsageException {
    if (!ok) {
      throw bad(name, value, problem);
    }
  }

  /** An error for {@code --name=value}: {@code problem}. */
  public static UsageException bad(String name, String value, String problem) {
    return new UsageException("--" + name + "=" + value + ": " + problem);
  }
}
