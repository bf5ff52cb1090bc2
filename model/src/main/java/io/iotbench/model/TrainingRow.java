package io.iotbench.model;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One labelled row of training data: a label of 0 or 1 and the values of sensors 1..n (sensor i at
 * index i-1). Equality, hash code and string form are value-based over the label and the array
 * contents. The row is meant to be immutable: the constructor copies its array, and
 * {@link #values()} returns the row's own array without copying (rows have up to 100,000 values and
 * are read in hot loops), so callers must not modify it; Beam's DirectRunner flags such mutation.
 */
public final class TrainingRow implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int label;
  private final double[] values;

  /**
   * @param label 0 or 1
   * @param values the finite values of sensors 1..n, n &ge; 1; copied
   * @throws IllegalArgumentException if the label is not 0 or 1, there are no values, or one is not
   *     finite
   */
  public TrainingRow(int label, double[] values) {
    this(label, Objects.requireNonNull(values, "values").clone(), true);
  }

  private TrainingRow(int label, double[] values, boolean validate) {
    if (validate) {
      if (label != 0 && label != 1) {
        throw new IllegalArgumentException("label must be 0 or 1, not " + label);
      }
      if (values.length == 0) {
        throw new IllegalArgumentException("a training row needs at least one value");
      }
      for (int i = 0; i < values.length; i++) {
        if (!Double.isFinite(values[i])) {
          throw new IllegalArgumentException("value of sensor " + (i + 1) + " is not finite: " + values[i]);
        }
      }
    }
    this.label = label;
    this.values = values;
  }

  /** For parsers that have already validated a freshly allocated array: no copy, no re-check. */
  static TrainingRow ofTrusted(int label, double[] values) {
    return new TrainingRow(label, values, false);
  }

  /** 0 or 1. */
  public int label() {
    return label;
  }

  /** The values of sensors 1..n; the row's own array, not a copy: do not modify it. */
  public double[] values() {
    return values;
  }

  /** The number of sensors n. */
  public int sensors() {
    return values.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainingRow other && label == other.label && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * label + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "TrainingRow[label=" + label + ", values=" + Arrays.toString(values) + "]";
  }
}
