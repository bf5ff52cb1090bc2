package io.iotbench.pipelines.train;

import io.iotbench.model.scoring.Algorithm;
import io.iotbench.pipelines.common.InvalidOptionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The experiments of {@code train --grid}: {@code --grid numTrees=15,20,25 --grid maxDepth=20,25} trains every
 * combination (here 6), in order, the first parameter varying slowest. Parameters given as plain options
 * ({@code --maxDepth=5}) hold for every combination unless the grid varies them.
 */
public final class ParamGrid {
  private ParamGrid() {}

  /**
   * The command line with {@code --grid name=v1,v2} (a separate value, as in the workshop's notation) joined
   * into Beam's {@code --grid=name=v1,v2}; other arguments are unchanged.
   */
  public static String[] joinSpacedGridArgs(String[] args) {
    List<String> joined = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--grid") && i + 1 < args.length && !args[i + 1].startsWith("--")) {
        joined.add("--grid=" + args[++i]);
      } else {
        joined.add(args[i]);
      }
    }
    return joined.toArray(new String[0]);
  }

  /**
   * Every combination of the grid's values over {@code base} (the parameters given as options); a single
   * combination, {@code base} itself, without a grid.
   *
   * @param grid the {@code --grid} values as Beam parsed them (it splits a list option at commas, so the values
   *     after the first of a parameter arrive as separate entries; they are put back together here)
   * @throws InvalidOptionException naming the grid entry if a parameter is unknown, does not apply to the
   *     algorithm, repeats, or has a bad value
   */
  public static List<Map<String, Number>> combinations(
      List<String> grid, Algorithm algorithm, Map<String, Number> base) {
    Map<String, List<Number>> axes = parse(grid, algorithm);
    List<Map<String, Number>> combinations = new ArrayList<>();
    combinations.add(new LinkedHashMap<>(base));
    for (Map.Entry<String, List<Number>> axis : axes.entrySet()) {
      List<Map<String, Number>> next = new ArrayList<>();
      for (Map<String, Number> partial : combinations) {
        for (Number value : axis.getValue()) {
          Map<String, Number> combination = new LinkedHashMap<>(partial);
          combination.put(axis.getKey(), value);
          next.add(combination);
        }
      }
      combinations = next;
    }
    return combinations;
  }

  /** The grid's parameters and their values, in the order given. */
  static Map<String, List<Number>> parse(List<String> grid, Algorithm algorithm) {
    Map<String, List<Number>> axes = new LinkedHashMap<>();
    if (grid == null) {
      return axes;
    }
    for (String entry : regroup(grid)) {
      int eq = entry.indexOf('=');
      if (eq <= 0 || eq == entry.length() - 1) {
        throw gridError(entry, "expected name=value[,value...], e.g. numTrees=15,20,25");
      }
      String name = entry.substring(0, eq).strip();
      ParamSpec spec = ParamSpec.byId(name);
      if (spec == null || !spec.appliesTo(algorithm)) {
        throw gridError(entry, "unknown grid parameter for " + algorithm + ", expected one of " + ParamSpec.names(algorithm));
      }
      if (axes.containsKey(name)) {
        throw gridError(entry, name + " is given twice");
      }
      List<Number> values = new ArrayList<>();
      for (String text : entry.substring(eq + 1).split(",", -1)) {
        try {
          Number value = spec.parse(text);
          if (!values.contains(value)) {
            values.add(value);
          }
        } catch (IllegalArgumentException e) {
          throw gridError(entry, e.getMessage());
        }
      }
      axes.put(name, values);
    }
    return axes;
  }

  /** Puts {@code ["numTrees=15", "20", "maxDepth=5"]} back together as {@code ["numTrees=15,20", "maxDepth=5"]}. */
  static List<String> regroup(List<String> parts) {
    List<String> entries = new ArrayList<>();
    for (String part : parts) {
      if (part.contains("=") || entries.isEmpty()) {
        entries.add(part);
      } else {
        entries.set(entries.size() - 1, entries.get(entries.size() - 1) + "," + part);
      }
    }
    return entries;
  }

  private static InvalidOptionException gridError(String entry, String problem) {
    return new InvalidOptionException("--grid " + entry + ": " + problem);
  }
}
