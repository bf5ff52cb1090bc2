package io.iotbench.model;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Fixed-point decimal formatting without {@code String.format}, for the hot paths of the generator and
 * the simulator. {@link #append(StringBuilder, double, int)} produces exactly what
 * {@code String.format(Locale.ROOT, "%.<decimals>f", v)} produces on Java 17, for every double: like
 * {@code java.util.Formatter} it rounds HALF_UP the shortest decimal that reads back as {@code v}
 * (the digits of {@link Double#toString(double)}), not the exact binary value, so 0.125 becomes
 * {@code 0.13} and 0.15 (binary 0.1499999…) becomes {@code 0.2}. A fast path in long arithmetic handles
 * every value whose scaled magnitude is below 2<sup>52</sup> and is not within a few ulps of a
 * rounding tie; the rest (ties, and |v|·10<sup>decimals</sup> &ge; 2<sup>52</sup>) takes an exact
 * {@link BigDecimal} path.
 */
public final class FixedDecimal {

  private static final long[] POW10 = {
    1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L
  };
  private static final double[] POW10_D = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

  /** Below this the scaled value and its fraction are exact in a double and its floor fits a long. */
  private static final double FAST_LIMIT = 0x1p52;

  /** ASCII pairs "00".."99": two digits per table look-up instead of two divisions. */
  static final byte[] DIGIT_PAIRS = new byte[200];

  static {
    for (int i = 0; i < 100; i++) {
      DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
      DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
    }
  }

  private FixedDecimal() {}

  /**
   * Appends {@code v} with exactly {@code decimals} digits after the point (no point when 0), rounded
   * HALF_UP as {@code String.format} does; negative values, including -0.0 and negatives that round
   * to zero, keep their '-' sign, as with {@code String.format}. NaN and infinities are written as
   * {@code NaN}, {@code Infinity}, {@code -Infinity}.
   *
   * @throws IllegalArgumentException if {@code decimals} is not within 0..9
   */
  public static void append(StringBuilder sb, double v, int decimals) {
    if (decimals < 0 || decimals > 9) {
      throw new IllegalArgumentException("decimals must be 0..9, not " + decimals);
    }
    if (!Double.isFinite(v)) {
      sb.append(Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
      return;
    }
    if (Double.doubleToRawLongBits(v) < 0) {
      sb.append('-');
    }
    double a = Math.abs(v);
    double scaled = a * POW10_D[decimals];
    if (scaled < FAST_LIMIT) {
      long floor = (long) scaled;
      double fraction = scaled - floor; // exact: scaled < 2^52
      // The product is off by at most half an ulp, and the shortest decimal of v (what Formatter
      // rounds) by at most one more ulp of the product: only within that distance of .5 can the
      // rounding direction be in doubt.
      if (Math.abs(fraction - 0.5) > 4 * Math.ulp(scaled)) {
        appendScaled(sb, fraction > 0.5 ? floor + 1 : floor, decimals);
        return;
      }
    }
    sb.append(
        new BigDecimal(Double.toString(a)).setScale(decimals, RoundingMode.HALF_UP).toPlainString());
  }

  /** Appends {@code scaled / 10^decimals} with exactly {@code decimals} fraction digits. */
  private static void appendScaled(StringBuilder sb, long scaled, int decimals) {
    long unit = POW10[decimals];
    long integer = scaled / unit;
    long fraction = scaled - integer * unit;
    sb.append(integer);
    if (decimals == 0) {
      return;
    }
    sb.append('.');
    int start = sb.length();
    sb.setLength(start + decimals);
    for (int i = start + decimals - 1; i >= start; i--) {
      long q = fraction / 10;
      sb.setCharAt(i, (char) ('0' + (fraction - q * 10)));
      fraction = q;
    }
  }

  /**
   * Writes {@code 0.} and the five zero-padded digits of {@code k} as ASCII, i.e. the exact decimal
   * text of k/100000, at {@code buf[offset..offset+6]}.
   *
   * @return the offset after the seven bytes written
   * @throws IllegalArgumentException if {@code k} is not within 0..99999
   */
  public static int appendFraction5(byte[] buf, int offset, int k) {
    if (k < 0 || k >= 100_000) {
      throw new IllegalArgumentException("k must be 0..99999, not " + k);
    }
    int hundreds = k / 100; // 0..999
    int lastTwo = k - hundreds * 100;
    int first = hundreds / 100; // 0..9
    int middleTwo = hundreds - first * 100;
    buf[offset] = '0';
    buf[offset + 1] = '.';
    buf[offset + 2] = (byte) ('0' + first);
    buf[offset + 3] = DIGIT_PAIRS[2 * middleTwo];
    buf[offset + 4] = DIGIT_PAIRS[2 * middleTwo + 1];
    buf[offset + 5] = DIGIT_PAIRS[2 * lastTwo];
    buf[offset + 6] = DIGIT_PAIRS[2 * lastTwo + 1];
    return offset + 7;
  }
}
