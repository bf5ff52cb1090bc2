package io.iotbench.simulator.cli;

import io.iotbench.model.support.ErrorText;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Option;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * What every {@code iotbench} command that is not a Beam pipeline shares on top of picocli: one error line
 * {@code iotbench COMMAND: error: --rate=-1: must be >= 0} and exit status 2 for a command line that cannot
 * run, one line and status 1 for a failure while running, type converters whose messages quote the option as
 * given, the duration syntax ({@code 500ms}, {@code 5s}, {@code 1.5m}, {@code 2h}, a bare number of seconds,
 * ISO-8601 {@code PT5S}) and range checks with the same messages.
 *
 * <p>Option values keep the {@code --name=value} form of the Beam pipelines' options; picocli also accepts
 * {@code --name value}.
 */
public final class Commands {
  private static final Logger LOG = LoggerFactory.getLogger(Commands.class);

  /** Exit status of a command that started and failed. */
  public static final int EXIT_FAILED = 1;
  /** Exit status of a command line that cannot run: nothing was started. */
  public static final int EXIT_USAGE = 2;

  /** The help label of every option value, so that help shows {@code --rate=...}. */
  public static final String VALUE = "...";

  /** The heading of every command's option list. */
  public static final String OPTION_LIST_HEADING = "%noptions (all --name=value; defaults in brackets):%n";

  private Commands() {}

  /** {@code -h}/{@code --help} for a command: {@code @Mixin Commands.HelpOption help;}. */
  public static final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
    boolean help;
  }

  /**
   * Parses {@code args} into {@code command} (a picocli {@code @Command}), runs it and returns its exit status.
   * Help goes to {@code out}, errors to {@code err}. An exception of one of {@code usageErrors} thrown while
   * running counts as a bad option (status 2); any other exception is a failure (status 1), printed as
   * {@code iotbench COMMAND: failed: MESSAGE} with the innermost cause's message.
   */
  @SafeVarargs
  public static int execute(
      Object command, String[] args, PrintStream out, PrintStream err, Class<? extends Exception>... usageErrors) {
    return commandLine(command, out, err, usageErrors).execute(args);
  }

  /** The configured picocli command line of {@link #execute}, for commands that need more of it. */
  @SafeVarargs
  public static CommandLine commandLine(
      Object command, PrintStream out, PrintStream err, Class<? extends Exception>... usageErrors) {
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    // Wide enough that no option's text is broken inside a default value such as tcp://127.0.0.1:1883.
    cl.setUsageHelpWidth(160);
    cl.setOverwrittenOptionsAllowed(false);
    cl.setUnmatchedOptionsArePositionalParams(false);
    registerConverters(cl);
    cl.setParameterExceptionHandler(
        (ex, given) -> {
          ex.getCommandLine().getErr().println(errorPrefix(ex.getCommandLine()) + "error: " + message(ex));
          return EXIT_USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, failed, parseResult) -> {
          for (Class<? extends Exception> usage : usageErrors) {
            if (usage.isInstance(ex)) {
              failed.getErr().println(errorPrefix(failed) + "error: " + ErrorText.oneLine(ex));
              return EXIT_USAGE;
            }
          }
          LOG.debug("{} failed", failed.getCommandSpec().qualifiedName(" "), ex);
          failed.getErr().println(errorPrefix(failed) + "failed: " + ErrorText.oneLine(ErrorText.rootCause(ex)));
          return EXIT_FAILED;
        });
    return cl;
  }

  /**
   * A subcommand that is an action of its parent ({@code cluster start}) rather than a command of its own
   * ({@code broker kafka}): its error lines name the parent, {@code iotbench cluster: error: ...}.
   */
  public interface Action {}

  /** {@code iotbench COMMAND: } with the command as typed, subcommands included ({@code broker kafka}). */
  public static String errorPrefix(CommandLine cl) {
    CommandSpec spec = cl.getCommandSpec();
    while (spec.userObject() instanceof Action && spec.parent() != null) {
      spec = spec.parent();
    }
    return "iotbench " + spec.qualifiedName(" ") + ": ";
  }

  private static void registerConverters(CommandLine cl) {
    cl.registerConverter(Integer.class, Commands::parseInt);
    cl.registerConverter(Integer.TYPE, Commands::parseInt);
    cl.registerConverter(Long.class, Commands::parseLong);
    cl.registerConverter(Long.TYPE, Commands::parseLong);
    cl.registerConverter(Double.class, Commands::parseDouble);
    cl.registerConverter(Double.TYPE, Commands::parseDouble);
    cl.registerConverter(Boolean.class, Commands::parseBoolean);
    cl.registerConverter(Boolean.TYPE, Commands::parseBoolean);
    cl.registerConverter(Duration.class, new DurationConverter());
  }

  /** The error text after {@code error: }; never an option's value when the option is unknown. */
  static String message(ParameterException ex) {
    ArgSpec arg = ex.getArgSpec();
    if (ex instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
      String first = unmatched.getUnmatched().get(0);
      if (first.startsWith("-")) {
        // Only the name: the value may be a secret (a password or a Kafka property).
        int eq = first.indexOf('=');
        return (eq < 0 ? first : first.substring(0, eq)) + ": unknown option (see "
            + errorPrefix(ex.getCommandLine()).replaceFirst(": $", "") + " --help)";
      }
      return "unexpected argument '" + first + "' (options are --name=value)";
    }
    if (ex instanceof MissingParameterException missing
        && missing.getMissing().size() == 1
        && missing.getMissing().get(0) instanceof OptionSpec option) {
      if (missing.getMessage().startsWith("Missing required option")) {
        return option.longestName() + ": is required";
      }
      return option.longestName() + ": needs a value, as in " + option.longestName() + "=...";
    }
    if (ex instanceof OverwrittenOptionException overwritten && overwritten.getOverwritten() instanceof OptionSpec option) {
      return option.longestName() + ": given more than once";
    }
    if (arg instanceof OptionSpec option) {
      if (ex.getCause() instanceof TypeConversionException conversion) {
        return option.longestName() + "=" + ex.getValue() + ": " + conversion.getMessage();
      }
    }
    return ErrorText.oneLine(ex);
  }

  /** A bad command line, reported by {@link #execute} as one error line and status 2. */
  public static ParameterException usage(CommandSpec spec, String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** A bad value: {@code --option=VALUE: problem}, with the value as the user wrote it (or its default). */
  public static ParameterException bad(CommandSpec spec, String option, String problem) {
    return usage(spec, "--" + option + "=" + given(spec, option) + ": " + problem);
  }

  /** The value of {@code --option} as written on the command line, else its default (null if none). */
  public static String given(CommandSpec spec, String option) {
    ParseResult parsed = spec.commandLine().getParseResult();
    OptionSpec matched = parsed == null ? null : parsed.matchedOption("--" + option);
    if (matched != null && !matched.originalStringValues().isEmpty()) {
      List<String> values = matched.originalStringValues();
      return values.get(values.size() - 1);
    }
    OptionSpec declared = spec.findOption("--" + option);
    return declared == null ? null : declared.defaultValue();
  }

  /** Fails with {@link #bad} unless {@code ok}. */
  public static void check(CommandSpec spec, boolean ok, String option, String problem) {
    if (!ok) {
      throw bad(spec, option, problem);
    }
  }

  /** {@code value} within {@code [min, max]}, else {@code --option=VALUE: must be >= MIN} (or {@code <= MAX}). */
  public static long range(CommandSpec spec, String option, long value, long min, long max) {
    check(spec, value >= min, option, "must be >= " + min);
    check(spec, value <= max, option, "must be <= " + max);
    return value;
  }

  /** {@link #range(CommandSpec, String, long, long, long)} for an {@code int}. */
  public static int range(CommandSpec spec, String option, int value, int min, int max) {
    return (int) range(spec, option, (long) value, min, max);
  }

  /** {@code value} finite and within {@code [min, max]}. */
  public static double range(CommandSpec spec, String option, double value, double min, double max) {
    check(spec, Double.isFinite(value), option, "not a finite number");
    check(spec, value >= min, option, "must be >= " + plain(min));
    check(spec, value <= max, option, "must be <= " + plain(max));
    return value;
  }

  /** {@code value} at least {@code min}, else {@code --option=VALUE: must be >= 0s}. */
  public static Duration atLeast(CommandSpec spec, String option, Duration value, Duration min) {
    check(spec, value.compareTo(min) >= 0, option, "must be >= " + format(min));
    return value;
  }

  /** One of {@code choices}, compared case-insensitively; returned in lower case. */
  public static String choice(CommandSpec spec, String option, String value, Set<String> choices) {
    String lower = value == null ? "" : value.toLowerCase(Locale.ROOT);
    check(spec, choices.contains(lower), option, "must be one of " + String.join(", ", choices.stream().sorted().toList()));
    return lower;
  }

  /** A non-empty value, else {@code --option: is required}. */
  public static String required(CommandSpec spec, String option, String value) {
    if (value == null || value.isEmpty()) {
      throw usage(spec, "--" + option + ": is required");
    }
    return value;
  }

  private static long parseLong(String text) {
    try {
      return Long.parseLong(text.trim().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new TypeConversionException("not a whole number");
    }
  }

  private static int parseInt(String text) {
    long n = parseLong(text);
    if (n < Integer.MIN_VALUE) {
      throw new TypeConversionException("must be >= " + Integer.MIN_VALUE);
    }
    if (n > Integer.MAX_VALUE) {
      throw new TypeConversionException("must be <= " + Integer.MAX_VALUE);
    }
    return (int) n;
  }

  private static double parseDouble(String text) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("not a number");
    }
  }

  private static boolean parseBoolean(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new TypeConversionException("must be true or false");
    };
  }

  /**
   * Reads a duration written as a number with unit {@code ms}, {@code s}, {@code m} or {@code h}
   * ({@code 500ms}, {@code 5s}, {@code 1.5m}), a bare number of seconds, or ISO-8601 ({@code PT5S}).
   */
  public static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
      try {
        return parseDuration(text);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("not a duration (e.g. 500ms, 5s, 2m, 1h)");
      }
    }
  }

  /** The duration syntax of {@link DurationConverter}; throws {@link IllegalArgumentException} otherwise. */
  public static Duration parseDuration(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.startsWith("p")) {
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

  /** A number as users write it: {@code 5} rather than {@code 5.0}. */
  public static String plain(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
