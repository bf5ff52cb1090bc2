package io.iotbench.simulator.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of one non-pipeline command ({@code simulate}, {@code broker}, {@code bench-simulate}),
 * in the same {@code --name=value} form as the Beam pipelines' options, with a default for each and a
 * {@code --help} text that lists them all. Parsing is strict: an unknown option, an option given twice
 * (unless repeatable) or a value-less non-flag option is a {@link UsageException}; values are checked
 * when read through {@link ParsedOptions}.
 */
public final class OptionSet {

  /** One option: its name without dashes, default (null: none), help text and kind. */
  public record Spec(String name, String defaultValue, String description, Kind kind) {}

  /** How an option is given. */
  public enum Kind {
    /** {@code --name=value}. */
    VALUE,
    /** {@code --name} (true) or {@code --name=true|false}. */
    FLAG,
    /** {@code --name=value}, any number of times. */
    REPEATABLE
  }

  private final String command;
  private final String synopsis;
  private final Map<String, Spec> specs = new LinkedHashMap<>();

  /**
   * @param command the command as users type it after {@code iotbench}, e.g. {@code simulate}
   * @param synopsis one line shown first by {@code --help}
   */
  public OptionSet(String command, String synopsis) {
    this.command = command;
    this.synopsis = synopsis;
  }

  /** Adds {@code --name=value}; {@code defaultValue} null means the option has no default. */
  public OptionSet value(String name, String defaultValue, String description) {
    return add(new Spec(name, defaultValue, description, Kind.VALUE));
  }

  /** Adds the boolean option {@code --name[=true|false]}. */
  public OptionSet flag(String name, boolean defaultValue, String description) {
    return add(new Spec(name, String.valueOf(defaultValue), description, Kind.FLAG));
  }

  /** Adds {@code --name=value} that may be given any number of times. */
  public OptionSet repeatable(String name, String description) {
    return add(new Spec(name, null, description, Kind.REPEATABLE));
  }

  private OptionSet add(Spec spec) {
    if (specs.putIfAbsent(spec.name(), spec) != null) {
      throw new IllegalArgumentException("option --" + spec.name() + " defined twice");
    }
    return this;
  }

  public String command() {
    return command;
  }

  public List<Spec> specs() {
    return List.copyOf(specs.values());
  }

  /** True if {@code args} asks for help ({@code --help} or {@code -h} anywhere). */
  public static boolean wantsHelp(String[] args) {
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parses {@code args}: options must be {@code --name=value} (or {@code --name} for flags); other
   * arguments are positional and kept in order.
   */
  public ParsedOptions parse(String[] args) throws UsageException {
    Map<String, List<String>> given = new LinkedHashMap<>();
    List<String> positional = new ArrayList<>();
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        positional.add(arg);
        continue;
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      Spec spec = specs.get(name);
      if (spec == null) {
        // Only the name: the value may be a secret (a password or a Kafka property).
        throw new UsageException("--" + name + ": unknown option (see iotbench " + command + " --help)");
      }
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (spec.kind() == Kind.FLAG) {
        value = "true";
      } else {
        throw new UsageException("--" + name + ": needs a value, as in --" + name + "=...");
      }
      List<String> values = given.computeIfAbsent(name, k -> new ArrayList<>());
      if (!values.isEmpty() && spec.kind() != Kind.REPEATABLE) {
        throw new UsageException("--" + name + ": given more than once");
      }
      values.add(value);
    }
    return new ParsedOptions(this, given, positional);
  }

  Spec spec(String name) {
    Spec spec = specs.get(name);
    if (spec == null) {
      throw new IllegalArgumentException("no option --" + name + " in " + command);
    }
    return spec;
  }

  /** Prints the synopsis and every option with its default, one per line (two for long texts). */
  public void printHelp(PrintStream out) {
    out.println(synopsis);
    out.println();
    out.println("options (all --name=value; defaults in brackets):");
    int width = 0;
    for (Spec spec : specs.values()) {
      width = Math.max(width, left(spec).length());
    }
    for (Spec spec : specs.values()) {
      StringBuilder line = new StringBuilder("  ").append(left(spec));
      line.append(" ".repeat(width - left(spec).length() + 2)).append(spec.description());
      if (spec.kind() == Kind.REPEATABLE) {
        line.append(" [repeatable; none]");
      } else {
        line.append(" [").append(spec.defaultValue() == null ? "none" : spec.defaultValue()).append(']');
      }
      out.println(line);
    }
  }

  private static String left(Spec spec) {
    return switch (spec.kind()) {
      case FLAG -> "--" + spec.name() + "[=true|false]";
      case VALUE, REPEATABLE -> "--" + spec.name() + "=...";
    };
  }
}
