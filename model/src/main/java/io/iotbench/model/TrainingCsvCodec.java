package io.iotbench.model;

import java.math.BigDecimal;

/**
 * Reads and writes training rows as CSV lines {@code label,v1,...,vn}, the generator's output and the
 * trainer's input. The writer puts the label as {@code 0}/{@code 1} and every value with exactly five
 * decimals; the reader also accepts the original benchmark's {@code 0.00000}/{@code 1.00000} labels (any
 * decimal numerically equal to 0 or 1, exactly: not one that a double merely rounds to 0 or 1), values
 * with any number of decimals or an exponent, and a trailing "\r" or "\n". Every malformed line is
 * reported as a {@link RecordFormatException} naming the field: {@code line} for empty lines and wrong
 * field counts, {@code label}, or {@code v<i>} for the value of sensor i (1-based).
 */
public final class TrainingCsvCodec {

  private TrainingCsvCodec() {}

  /**
   * Parses one line.
   *
   * @param expectedSensors the number of values the line must have, or 0 to accept any number &ge; 1
   * @throws RecordFormatException if the line is malformed
   * @throws IllegalArgumentException if {@code expectedSensors} is negative
   */
  public static TrainingRow parse(String line, int expectedSensors) {
    if (expectedSensors < 0) {
      throw new IllegalArgumentException("expectedSensors must be >= 0, not " + expectedSensors);
    }
    if (line == null) {
      throw new RecordFormatException("line", "is missing", null, null);
    }
    int end = Text.endWithoutNewline(line);
    if (end == 0) {
      throw new RecordFormatException("line", "is empty", line, null);
    }
    int fields = 1;
    for (int i = 0; i < end; i++) {
      if (line.charAt(i) == ',') {
        fields++;
      }
    }
    if (expectedSensors > 0 && fields != expectedSensors + 1L) {
      throw new RecordFormatException(
          "line",
          "has " + fields + " fields, expected " + (expectedSensors + 1L) + " (label and "
              + expectedSensors + " values)",
          line,
          null);
    }
    if (fields < 2) {
      throw new RecordFormatException(
          "line", "has 1 field, expected at least 2 (label and values)", line, null);
    }

    int comma = line.indexOf(',');
    double labelValue = Text.parseFiniteDouble(line, 0, comma);
    int label = labelValue == 0 ? 0 : labelValue == 1 ? 1 : -1;
    if (label < 0 || !isExactly(line, comma, label)) {
      throw new RecordFormatException("label", "is not 0 or 1", line.substring(0, comma), line);
    }

    double[] values = new double[fields - 1];
    int start = comma + 1;
    for (int i = 0; i < values.length; i++) {
      int stop = i == values.length - 1 ? end : line.indexOf(',', start);
      double v = Text.parseFiniteDouble(line, start, stop);
      if (Double.isNaN(v)) {
        throw new RecordFormatException(
            "v" + (i + 1), "is not a finite number", line.substring(start, stop), line);
      }
      values[i] = v;
      start = stop + 1;
    }
    return TrainingRow.ofTrusted(label, values);
  }

  /**
   * Whether the label text {@code line[0, end)}, which reads as the double {@code label}, is that
   * number exactly: a double rounds {@code 0.99999999999999999999} to 1 and {@code 1e-400} to 0. Up to
   * 15 characters without an exponent the double is exact (fewer than 16 digits); longer texts, rare,
   * are compared as decimals.
   */
  private static boolean isExactly(String line, int end, int label) {
    boolean exponent = false;
    for (int i = 0; i < end; i++) {
      char c = line.charAt(i);
      exponent |= c == 'e' || c == 'E';
    }
    if (end <= 15 && !exponent) {
      return true;
    }
    try {
      return new BigDecimal(line.substring(0, end)).compareTo(BigDecimal.valueOf(label)) == 0;
    } catch (NumberFormatException e) {
      return false; // an exponent beyond an int
    }
  }

  /** Writes {@code label,v1,...,vn} (no line break): the label as 0/1, each value with five decimals. */
  public static String format(TrainingRow r) {
    double[] values = r.values();
    StringBuilder sb = new StringBuilder(2 + 8 * values.length);
    sb.append(r.label() == 1 ? '1' : '0');
    for (double v : values) {
      sb.append(',');
      FixedDecimal.append(sb, v, 5);
    }
    return sb.toString();
  }
}
