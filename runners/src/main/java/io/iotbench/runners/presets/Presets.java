package io.iotbench.runners.presets;

import io.iotbench.pipelines.common.InvalidOptionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Option presets per environment: {@code configs/presets/<name>.args}, chosen with {@code --preset=<name>} on any
 * launcher command. A preset holds one entry per line: a pipeline option {@code --name=value}, or a JVM system
 * property {@code -Dkey=value} (how Spark settings such as {@code spark.yarn.jars} reach a SparkConf created by
 * the runner). {@code #} starts a comment line; {@code ${NAME}} is replaced by a variable ({@code IOTBENCH_HOME},
 * {@code SPARK_MASTER}, or an environment variable). Options given on the command line win over the preset's.
 */
public final class Presets {
  /** The option that selects a preset. */
  public static final String PRESET_OPTION = "--preset";
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  /**
   * A parsed preset.
   *
   * @param name its name
   * @param options its pipeline options, in file order
   * @param systemProperties its JVM system properties, in file order
   */
  public record Preset(String name, List<String> options, Map<String, String> systemProperties) {
    /** The value of option {@code --name} in this preset, if it sets one. */
    public Optional<String> option(String name) {
      String prefix = "--" + name + "=";
      return options.stream().filter(o -> o.startsWith(prefix)).map(o -> o.substring(prefix.length())).findFirst();
    }
  }

  /**
   * The command line after expanding {@code --preset}.
   *
   * @param args the arguments to give the command
   * @param systemProperties JVM system properties to set before the command runs
   */
  public record Expanded(List<String> args, Map<String, String> systemProperties) {}

  private final Path dir;
  private final Function<String, String> variables;

  /**
   * @param dir the folder of {@code <name>.args} files
   * @param variables value of a {@code ${NAME}} variable, or null when it has none
   */
  public Presets(Path dir, Function<String, String> variables) {
    this.dir = dir;
    this.variables = variables;
  }

  /** The names of the presets in the folder, sorted. */
  public List<String> names() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".args"))
          .map(n -> n.substring(0, n.length() - ".args".length()))
          .sorted()
          .toList();
    }
  }

  /** Reads preset {@code name}; an unknown name, a bad line or an unset variable is an {@link InvalidOptionException}. */
  public Preset load(String name) throws IOException {
    if (!NAME.matcher(name).matches()) {
      throw new InvalidOptionException(PRESET_OPTION + "=" + name + ": not a preset name (lower-case letters, digits, '-')");
    }
    Path file = dir.resolve(name + ".args");
    if (!Files.isRegularFile(file)) {
      throw new InvalidOptionException(PRESET_OPTION + "=" + name + ": no such preset (available: " + String.join(", ", names()) + ")");
    }
    List<String> options = new ArrayList<>();
    Map<String, String> properties = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = "preset " + name + " line " + (i + 1);
      String value = substitute(line, where);
      if (value.startsWith("--") && value.indexOf('=') > 2) {
        options.add(value);
      } else if (value.startsWith("-D") && value.indexOf('=') > 2) {
        int eq = value.indexOf('=');
        properties.put(value.substring(2, eq), value.substring(eq + 1));
      } else {
        throw new InvalidOptionException(where + ": expected --option=value or -Dkey=value, got '" + line + "'");
      }
    }
    return new Preset(name, List.copyOf(options), properties);
  }

  /**
   * Replaces {@code --preset=NAME} in {@code args} by the preset's options, leaving out each one the command line
   * gives itself (Beam rejects an option given twice). Without {@code --preset} the arguments pass unchanged.
   */
  public Expanded expand(List<String> args) throws IOException {
    String presetName = null;
    List<String> rest = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals(PRESET_OPTION) || arg.startsWith(PRESET_OPTION + "=")) {
        if (presetName != null) {
          throw new InvalidOptionException(PRESET_OPTION + " given twice");
        }
        presetName = arg.equals(PRESET_OPTION) ? "" : arg.substring(PRESET_OPTION.length() + 1);
        if (presetName.isEmpty()) {
          throw new InvalidOptionException(PRESET_OPTION + ": needs a name, e.g. --preset=spark-local");
        }
      } else {
        rest.add(arg);
      }
    }
    if (presetName == null) {
      return new Expanded(rest, Map.of());
    }
    Preset preset = load(presetName);
    List<String> merged = new ArrayList<>();
    for (String option : preset.options()) {
      String key = optionName(option);
      if (rest.stream().noneMatch(a -> optionName(a).equals(key))) {
        merged.add(option);
      }
    }
    merged.addAll(rest);
    return new Expanded(merged, preset.systemProperties());
  }

  /** {@code --name} of {@code --name=value}. */
  static String optionName(String arg) {
    int eq = arg.indexOf('=');
    return eq < 0 ? arg : arg.substring(0, eq);
  }

  private String substitute(String line, String where) {
    Matcher m = VARIABLE.matcher(line);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = variables.apply(m.group(1));
      if (value == null || value.isEmpty()) {
        throw new InvalidOptionException(where + ": ${" + m.group(1) + "} is not set" + hint(m.group(1)));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String hint(String variable) {
    return switch (variable) {
      case "SPARK_MASTER" -> " (start a cluster with 'iotbench cluster start', or give --sparkMaster=spark://HOST:PORT)";
      case "HADOOP_CONF_DIR" -> " (point it at the YARN cluster's configuration, e.g. configs/yarn/)";
      default -> "";
    };
  }
}
