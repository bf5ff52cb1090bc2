package io.iotbench.pipelines.train;

import io.iotbench.model.scoring.Algorithm;
import io.iotbench.pipelines.common.InvalidOptionException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.tuning.ParamGridBuilder;

/**
 * The training runs of {@code train}, as MLlib {@link ParamMap}s built by MLlib's {@link ParamGridBuilder}:
 * {@code --grid=numTrees=15,20,25 --grid=maxDepth=20,25} trains every combination (here 6), in order, the first
 * parameter varying slowest. Parameters given as plain options ({@code --maxDepth=5}) hold for every run unless
 * the grid varies them. Names are checked against {@link Hyperparameters}, values against MLlib's validators.
 */
final class ParamGrid {
  private ParamGrid() {}

  /** One parameter of the grid: its name (null if the entry has none) and value texts, as the user wrote them. */
  private record Axis(String name, List<String> texts) {
    String entry() {
      return (name == null ? "" : name + "=") + String.join(",", texts);
    }
  }

  /** One parameter of the grid, checked: its MLlib parameter and its distinct values, in the order given. */
  private record Values(Param<Object> param, List<Object> values) {}

  /**
   * The runs: every combination of the grid's values over the parameters given as options; a single run
   * without a grid.
   *
   * @param given the parameters given as options, by name (null values are not given)
   * @param grid the {@code --grid} values as Beam parsed them
   * @throws InvalidOptionException naming the option or grid entry if a parameter does not apply to the
   *     algorithm, repeats, or has a bad value
   */
  static List<ParamMap> runs(Algorithm algorithm, Params estimator, Map<String, Number> given, List<String> grid) {
    ParamGridBuilder builder = new ParamGridBuilder();
    given.forEach((name, value) -> {
      if (value != null) {
        builder.baseOn(checkGiven(algorithm, estimator, name, value).w(value));
      }
    });
    List<Values> axes = new ArrayList<>();
    for (Axis axis : axes(grid)) {
      Values values = check(algorithm, estimator, axis, axes);
      axes.add(values);
      if (values.param() instanceof IntParam p) {
        builder.addGrid(p, values.values().stream().mapToInt(v -> (Integer) v).toArray());
      } else {
        builder.addGrid((DoubleParam) values.param(), values.values().stream().mapToDouble(v -> (Double) v).toArray());
      }
    }
    List<ParamMap> runs = new ArrayList<>(Arrays.asList(builder.build()));
    // The builder's order follows a hash map; runs are numbered and reported in the grid's order.
    runs.sort((a, b) -> {
      for (Values axis : axes) {
        int order = Integer.compare(axis.values().indexOf(a.apply(axis.param())), axis.values().indexOf(b.apply(axis.param())));
        if (order != 0) {
          return order;
        }
      }
      return 0;
    });
    return runs;
  }

  private static Param<Object> checkGiven(Algorithm algorithm, Params estimator, String name, Number value) {
    Param<Object> param = Hyperparameters.param(algorithm, estimator, name);
    InvalidOptionException.check(
        param != null,
        name,
        value,
        "does not apply to " + algorithm + " (its parameters: " + String.join(", ", Hyperparameters.names(algorithm)) + ")");
    try {
      Hyperparameters.check(estimator, param, value);
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException("--" + name + "=" + value + ": " + e.getMessage());
    }
    return param;
  }

  private static Values check(Algorithm algorithm, Params estimator, Axis axis, List<Values> earlier) {
    if (axis.name() == null || axis.name().isEmpty() || axis.entry().endsWith("=")) {
      throw gridError(axis, "expected name=value[,value...], e.g. numTrees=15,20,25");
    }
    Param<Object> param = Hyperparameters.param(algorithm, estimator, axis.name());
    if (param == null) {
      throw gridError(
          axis,
          "unknown grid parameter for " + algorithm + ", expected one of " + String.join(", ", Hyperparameters.names(algorithm)));
    }
    if (earlier.stream().anyMatch(v -> v.param().equals(param))) {
      throw gridError(axis, axis.name() + " is given twice");
    }
    List<Object> values = new ArrayList<>();
    for (String text : axis.texts()) {
      try {
        Object value = Hyperparameters.parse(param, text);
        Hyperparameters.check(estimator, param, value);
        if (!values.contains(value)) {
          values.add(value);
        }
      } catch (IllegalArgumentException e) {
        throw gridError(axis, e.getMessage());
      }
    }
    return new Values(param, values);
  }

  /**
   * The grid's parameters. Beam splits a list option's values at commas, so {@code --grid=numTrees=15,20}
   * arrives as {@code numTrees=15} and {@code 20}: a value without a name belongs to the parameter before it.
   */
  private static List<Axis> axes(List<String> grid) {
    List<Axis> axes = new ArrayList<>();
    if (grid == null) {
      return axes;
    }
    for (String part : grid) {
      int eq = part.indexOf('=');
      if (eq >= 0) {
        axes.add(new Axis(part.substring(0, eq).strip(), new ArrayList<>(List.of(part.substring(eq + 1)))));
      } else if (axes.isEmpty()) {
        axes.add(new Axis(null, new ArrayList<>(List.of(part))));
      } else {
        axes.get(axes.size() - 1).texts().add(part);
      }
    }
    return axes;
  }

  private static InvalidOptionException gridError(Axis axis, String problem) {
    return new InvalidOptionException("--grid " + axis.entry() + ": " + problem);
  }
}
