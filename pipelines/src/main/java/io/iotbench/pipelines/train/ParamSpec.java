package io.iotbench.pipelines.train;

import io.iotbench.model.scoring.Algorithm;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The algorithm parameters {@code train} accepts, as options and in {@code --grid}: their MLlib names, which
 * algorithms use them, and their valid ranges (checked before Spark starts, so a bad value is one error line).
 */
public enum ParamSpec {
  MAX_ITER("maxIter", true, 0, 10_000, EnumSet.of(Algorithm.LOGISTIC_REGRESSION, Algorithm.GRADIENT_BOOSTED_TREES)),
  REG_PARAM("regParam", false, 0, Double.MAX_VALUE, EnumSet.of(Algorithm.LOGISTIC_REGRESSION)),
  ELASTIC_NET_PARAM("elasticNetParam", false, 0, 1, EnumSet.of(Algorithm.LOGISTIC_REGRESSION)),
  NUM_TREES("numTrees", true, 1, 10_000, EnumSet.of(Algorithm.RANDOM_FOREST)),
  MAX_DEPTH("maxDepth", true, 0, 30, EnumSet.of(Algorithm.RANDOM_FOREST, Algorithm.GRADIENT_BOOSTED_TREES)),
  STEP_SIZE("stepSize", false, Double.MIN_VALUE, 1, EnumSet.of(Algorithm.GRADIENT_BOOSTED_TREES));

  private final String id;
  private final boolean integer;
  private final double min;
  private final double max;
  private final Set<Algorithm> algorithms;

  ParamSpec(String id, boolean integer, double min, double max, Set<Algorithm> algorithms) {
    this.id = id;
    this.integer = integer;
    this.min = min;
    this.max = max;
    this.algorithms = algorithms;
  }

  /** The MLlib (and option) name. */
  public String id() {
    return id;
  }

  public boolean appliesTo(Algorithm algorithm) {
    return algorithms.contains(algorithm);
  }

  /** The parameters {@code algorithm} uses, in declaration order. */
  public static List<ParamSpec> of(Algorithm algorithm) {
    return Arrays.stream(values()).filter(p -> p.appliesTo(algorithm)).toList();
  }

  /** The names of the parameters {@code algorithm} uses. */
  public static String names(Algorithm algorithm) {
    return String.join(", ", of(algorithm).stream().map(ParamSpec::id).toList());
  }

  /** The parameter named {@code id}, or null. */
  public static ParamSpec byId(String id) {
    for (ParamSpec p : values()) {
      if (p.id.equals(id)) {
        return p;
      }
    }
    return null;
  }

  /**
   * Parses and range-checks {@code text}.
   *
   * @throws IllegalArgumentException with a phrase that follows the value, e.g. {@code is not an integer}
   */
  public Number parse(String text) {
    Number value;
    try {
      // Not a ?: expression: it would promote the Integer to a Double.
      if (integer) {
        value = Integer.valueOf(text.strip());
      } else {
        value = Double.valueOf(text.strip());
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not " + (integer ? "an integer" : "a number"));
    }
    check(value);
    return value;
  }

  /** Range-checks {@code value}; see {@link #parse}. */
  public void check(Number value) {
    double v = value.doubleValue();
    if (!(v >= min && v <= max)) {
      throw new IllegalArgumentException(
          id + " must be " + (integer ? String.format(Locale.ROOT, "an integer within %d..%d", (long) min, (long) max)
              : max == Double.MAX_VALUE ? String.format(Locale.ROOT, "a number >= %s", min)
              : min == Double.MIN_VALUE ? String.format(Locale.ROOT, "a number > 0 and <= %s", max)
              : String.format(Locale.ROOT, "a number within [%s, %s]", min, max))
              + ", not " + value);
    }
  }
}
