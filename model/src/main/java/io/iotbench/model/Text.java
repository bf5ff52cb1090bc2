package io.iotbench.model;

/** Strict, allocation-free parsing of numbers inside a larger string, shared by the codecs. */
final class Text {

  /** Returned by {@link #parseInt} for text that is not an integer. */
  static final long NOT_AN_INT = Long.MIN_VALUE;

  private static final double[] POW10_D = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };

  /** Mantissas stay below 10^15 < 2^53, so every one is exact in a double. */
  private static final long MAX_MANTISSA_BEFORE_DIGIT = 100_000_000_000_000L;

  private Text() {}

  /**
   * The number in {@code s[start, end)} as Double.parseDouble reads it, or NaN if that text is not a
   * plain decimal number ({@code -?digits[.digits][e±digits]}) or is not finite ("NaN", "Infinity",
   * 1e999, hexadecimal, type suffixes and blanks are all rejected).
   */
  static double parseFiniteDouble(String s, int start, int end) {
    int i = start;
    boolean negative = false;
    if (i < end && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    // Fast path: when the digits form an integer below 2^53 and there are at most 22 fraction
    // digits, both operands of mantissa / 10^f are exact and the one correctly rounded IEEE division
    // gives the same double as parseDouble.
    long mantissa = 0;
    int digits = 0;
    int fractionDigits = 0;
    boolean point = false;
    for (; i < end; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        if (mantissa >= MAX_MANTISSA_BEFORE_DIGIT) {
          return slowParse(s, start, end);
        }
        mantissa = mantissa * 10 + (c - '0');
        digits++;
        if (point) {
          fractionDigits++;
        }
      } else if (c == '.' && !point) {
        point = true;
      } else {
        return slowParse(s, start, end);
      }
    }
    if (digits == 0 || fractionDigits >= POW10_D.length) {
      return slowParse(s, start, end);
    }
    double v = mantissa / POW10_D[fractionDigits];
    return negative ? -v : v;
  }

  private static double slowParse(String s, int start, int end) {
    boolean sawDigit = false;
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        sawDigit = true;
      } else if (c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
        return Double.NaN;
      }
    }
    if (!sawDigit) {
      return Double.NaN;
    }
    try {
      double v = Double.parseDouble(s.substring(start, end));
      return Double.isFinite(v) ? v : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /**
   * The integer in {@code s[start, end)} ({@code -?digits}, at most 10 digits) if it fits an int, or
   * {@link #NOT_AN_INT}.
   */
  static long parseInt(String s, int start, int end) {
    int i = start;
    boolean negative = i < end && s.charAt(i) == '-';
    if (negative) {
      i++;
    }
    if (i == end || end - i > 10) {
      return NOT_AN_INT;
    }
    long v = 0;
    for (; i < end; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return NOT_AN_INT;
      }
      v = v * 10 + (c - '0');
    }
    v = negative ? -v : v;
    return v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? NOT_AN_INT : v;
  }

  /** The end of {@code line} without a trailing "\n", "\r\n" or "\r". */
  static int endWithoutNewline(String line) {
    int end = line.length();
    if (end > 0 && line.charAt(end - 1) == '\n') {
      end--;
    }
    if (end > 0 && line.charAt(end - 1) == '\r') {
      end--;
    }
    return end;
  }
}
