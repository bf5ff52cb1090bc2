package io.iotbench.model.scoring;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The classifiers a portable model can hold, by the names users type on the command line and the model file
 * stores ({@code logistic-regression}, {@code random-forest}, {@code gradient-boosted-trees}).
 */
public enum Algorithm {
  LOGISTIC_REGRESSION("logistic-regression"),
  RANDOM_FOREST("random-forest"),
  GRADIENT_BOOSTED_TREES("gradient-boosted-trees");

  private final String id;

  Algorithm(String id) {
    this.id = id;
  }

  /** The name users and model files use. */
  public String id() {
    return id;
  }

  /** Every algorithm's name, in declaration order. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(Algorithm::id).toList();
  }

  /**
   * The algorithm named {@code id} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the known algorithms if there is none
   */
  public static Algorithm fromId(String id) {
    for (Algorithm a : values()) {
      if (id != null && a.id.equals(id.toLowerCase(Locale.ROOT))) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown algorithm, expected one of " + String.join(", ", ids()));
  }

  @Override
  public String toString() {
    return id;
  }
}
