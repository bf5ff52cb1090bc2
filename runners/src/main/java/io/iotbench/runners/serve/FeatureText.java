package io.iotbench.runners.serve;

import java.util.regex.Pattern;

/**
 * The workshop's row of sensor values as one string, {@code "0, 65, 0, 137, 21.95"}: decimal numbers separated by
 * commas, blanks around them allowed. Strict on purpose: every value must be a plain decimal number (no hex, no
 * {@code 1d}, no empty value between two commas) and finite ({@code NaN}, {@code Infinity} and numbers beyond the
 * double range are refused), and the error names the value and its position.
 */
final class FeatureText {
  // A JSON-like decimal: optional sign, digits with an optional fraction (or a bare fraction), optional exponent.
  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
  // What a client that prints doubles writes for the values a model cannot score: named as such, not as "no number".
  private static final Pattern NON_FINITE = Pattern.compile("[+-]?(NaN|Infinity|inf)", Pattern.CASE_INSENSITIVE);
  private static final int SHOWN = 40;

  private FeatureText() {}

  /**
   * The values of {@code text}.
   *
   * @throws BadRequest naming the first value that is empty, not a number or not finite
   */
  static double[] parse(String text) {
    if (text.isBlank()) {
      throw new BadRequest("'feature' is empty: expected comma-separated numbers such as \"0, 65, 0, 137\"");
    }
    String[] parts = text.split(",", -1);
    double[] values = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i].strip();
      if (part.isEmpty()) {
        throw new BadRequest("'feature' value " + (i + 1) + " is empty");
      }
      if (NON_FINITE.matcher(part).matches()) {
        throw new BadRequest("'feature' value " + (i + 1) + " is not finite: " + part);
      }
      if (!NUMBER.matcher(part).matches()) {
        throw new BadRequest("'feature' value " + (i + 1) + " is not a number: \"" + shown(part) + "\"");
      }
      double v = Double.parseDouble(part);
      if (!Double.isFinite(v)) {
        throw new BadRequest("'feature' value " + (i + 1) + " is not finite: " + shown(part));
      }
      values[i] = v;
    }
    return values;
  }

  private static String shown(String value) {
    return value.length() <= SHOWN ? value : value.substring(0, SHOWN) + "...";
  }
}
