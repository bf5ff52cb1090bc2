package io.iotbench.model.scoring;

/**
 * What a {@link Scorer} says about one row: the predicted label and the probability of label 1, the
 * same two numbers as MLlib's {@code prediction} column and element 1 of its {@code probability} column.
 *
 * @param label 0 or 1
 * @param probability the probability of label 1, within [0, 1]
 */
public record Prediction(int label, double probability) {}
