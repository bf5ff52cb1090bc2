package io.iotbench.model;

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
   * number exactly: a double rounds {@code 0.99999999999999999999} to 1 and {@code 1e-400} to 0. The
   * text is {@code [+-]digits[.digits][e[+-]digits]} (the double parser accepted it); it is checked
   * digit by digit, in linear time (a {@code BigDecimal} of a one-mebibyte label takes quadratic time).
   */
  private static boolean isExactly(String line, int end, int label) {
    int i = line.charAt(0) == '+' || line.charAt(0) == '-' ? 1 : 0;
    long digits = 0; // digits seen
    long integerDigits = -1; // digits before the point, once it is seen
    long firstNonZero = -1; // index of the first non-zero digit
    boolean moreNonZero = false;
    char first = '0';
    for (; i < end; i++) {
      char c = line.charAt(i);
      if (c == '.') {
        integerDigits = digits;
      } else if (c == 'e' || c == 'E') {
        break;
      } else {
        if (c != '0') {
          if (firstNonZero < 0) {
            firstNonZero = digits;
            first = c;
          } else {
            moreNonZero = true;
          }
        }
        digits++;
      }
    }
    if (firstNonZero < 0) {
      return label == 0;
    }
    if (label == 0 || moreNonZero || first != '1') {
      return false;
    }
    long exponent = 0;
    if (i < end) { // after 'e': capped, as no exponent beyond 10^12 cancels a position within a String
      i++;
      boolean negative = line.charAt(i) == '-';
      if (line.charAt(i) == '-' || line.charAt(i) == '+') {
        i++;
      }
      for (; i < end; i++) {
        exponent = Math.min(exponent * 10 + (line.charAt(i) - '0'), 1_000_000_000_000L);
      }
      exponent = negative ? -exponent : exponent;
    }
    // the '1' is worth 10^(integerDigits - 1 - firstNonZero) before the exponent
    return (integerDigits < 0 ? digits : integerDigits) - 1 - firstNonZero + exponent == 0;
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
