package io.iotbench.pipelines.train;

import io.iotbench.model.scoring.Algorithm;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.Params;

/**
 * The MLlib estimator of each algorithm and the parameters {@code train} lets a user set on it, as options and in
 * {@code --grid}. Everything else about a parameter (its type, its default, the values it accepts) is asked of
 * MLlib through its Params API, so a bad value is refused before Spark starts, by MLlib's own rule.
 */
final class Hyperparameters {
  private static final Map<Algorithm, List<String>> NAMES =
      Map.of(
          Algorithm.LOGISTIC_REGRESSION, List.of("maxIter", "regParam", "elasticNetParam"),
          Algorithm.RANDOM_FOREST, List.of("numTrees", "maxDepth"),
          Algorithm.GRADIENT_BOOSTED_TREES, List.of("maxIter", "maxDepth", "stepSize"));

  private Hyperparameters() {}

  /**
   * A new estimator for {@code algorithm} with MLlib's defaults (the original benchmark trains logistic regression
   * with its defaults) and a fixed seed for the randomized tree algorithms.
   */
  static ProbabilisticClassifier<?, ?, ?> estimator(Algorithm algorithm, long seed) {
    return switch (algorithm) {
      case LOGISTIC_REGRESSION -> new LogisticRegression();
      case RANDOM_FOREST -> new RandomForestClassifier().setSeed(seed);
      case GRADIENT_BOOSTED_TREES -> new GBTClassifier().setSeed(seed);
    };
  }

  /** The names of the parameters users may set for {@code algorithm}, in the order runs report them. */
  static List<String> names(Algorithm algorithm) {
    return NAMES.get(algorithm);
  }

  /** The MLlib parameter {@code name} of {@code estimator}, or null if users may not set it for {@code algorithm}. */
  static Param<Object> param(Algorithm algorithm, Params estimator, String name) {
    return names(algorithm).contains(name) ? estimator.getParam(name) : null;
  }

  /**
   * {@code text} as a value of {@code param}'s type.
   *
   * @throws IllegalArgumentException with a phrase about the value, e.g. {@code 'x' is not an integer}
   */
  static Object parse(Param<Object> param, String text) {
    try {
      if (param instanceof IntParam) {
        return Integer.valueOf(text.strip());
      }
      if (param instanceof DoubleParam) {
        return Double.valueOf(text.strip());
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not " + (param instanceof IntParam ? "an integer" : "a number"));
    }
    throw new IllegalStateException(param.name() + " is neither an IntParam nor a DoubleParam");
  }

  /**
   * Checks {@code value} with MLlib's validator of {@code param}.
   *
   * @throws IllegalArgumentException e.g. {@code maxDepth must be an integer within 0..30, not 31}
   */
  static void check(Params estimator, Param<Object> param, Object value) {
    if (!isValid(param, value)) {
      throw new IllegalArgumentException(param.name() + " must be " + accepted(estimator, param) + ", not " + value);
    }
  }

  /** Every parameter users may set, with the value a run uses: set in {@code run}, else MLlib's default. */
  static Map<String, Number> values(Algorithm algorithm, Params estimator, ParamMap run) {
    ParamMap all = estimator.extractParamMap(run);
    Map<String, Number> values = new LinkedHashMap<>();
    for (String name : names(algorithm)) {
      values.put(name, (Number) all.apply(estimator.getParam(name)));
    }
    return values;
  }

  /** {@code numTrees=20 maxDepth=5}. */
  static String describe(Map<String, Number> params) {
    StringBuilder sb = new StringBuilder();
    params.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return sb.toString();
  }

  private static boolean isValid(Param<Object> param, Object value) {
    return (Boolean) param.isValid().apply(value);
  }

  /**
   * The values {@code param} accepts, in words. MLlib's validators are closures whose bounds show only in their
   * answers: an integer parameter's bounds are found by bisection from its (valid) default, every integer
   * parameter here being valid on one interval; a number parameter is described by MLlib's own doc text.
   */
  private static String accepted(Params estimator, Param<Object> param) {
    if (!(param instanceof IntParam)) {
      return "a number as MLlib describes it (" + param.doc() + ")";
    }
    int valid = (Integer) estimator.getDefault(param).get();
    long low = edge(param, valid, Integer.MIN_VALUE);
    long high = edge(param, valid, Integer.MAX_VALUE);
    if (high == Integer.MAX_VALUE) {
      return low == Integer.MIN_VALUE ? "an integer" : "an integer >= " + low;
    }
    return "an integer within " + low + ".." + high;
  }

  /** The last valid integer from {@code valid} towards {@code limit}. */
  private static long edge(Param<Object> param, int valid, int limit) {
    if (isValid(param, limit)) {
      return limit;
    }
    long in = valid;
    long out = limit;
    while (Math.abs(out - in) > 1) {
      long middle = in + (out - in) / 2;
      if (isValid(param, (int) middle)) {
        in = middle;
      } else {
        out = middle;
      }
    }
    return in;
  }
}
