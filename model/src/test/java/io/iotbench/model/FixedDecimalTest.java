package io.iotbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FixedDecimalTest {

  private static String fixed(double v, int decimals) {
    StringBuilder sb = new StringBuilder("x");
    FixedDecimal.append(sb, v, decimals);
    assertEquals('x', sb.charAt(0)); // appends, does not overwrite
    return sb.substring(1);
  }

  private static String javaFormat(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  @Test
  void examples() {
    assertEquals("0.474536", fixed(0.474536, 6));
    assertEquals("0.47454", fixed(0.474536, 5));
    assertEquals("123.400", fixed(123.4, 3));
    assertEquals("-2.50", fixed(-2.5, 2));
    assertEquals("3", fixed(2.5, 0)); // HALF_UP, not HALF_EVEN
    assertEquals("0", fixed(0.49, 0));
    assertEquals("123456789.125000000", fixed(123_456_789.125, 9));
    assertEquals("1000000000.000000000", fixed(999_999_999.999999999, 9)); // that literal is 1e9 - 1.2e-7
    assertEquals("0.000000001", fixed(1e-9, 9));
    assertEquals("100000000000000000000.00", fixed(1e20, 2));
  }

  @Test
  void roundsTheShortestDecimalHalfUpAsStringFormatDoes() {
    assertEquals("0.13", fixed(0.125, 2)); // an exact binary tie
    assertEquals("0.2", fixed(0.15, 1)); // binary 0.1499999..., decimal 0.15
    assertEquals("1.01", fixed(1.005, 2)); // binary 1.00499999...
    assertEquals("0.000001", fixed(5e-7, 6));
    assertEquals(javaFormat(0.15, 1), fixed(0.15, 1));
    assertEquals(javaFormat(1.005, 2), fixed(1.005, 2));
  }

  @Test
  void keepsTheSignLikeStringFormat() {
    assertEquals("-0.00", fixed(-0.0, 2));
    assertEquals("-0.00", fixed(-0.001, 2));
    assertEquals("0.00", fixed(0.0, 2));
    assertEquals(javaFormat(-0.001, 2), fixed(-0.001, 2));
    assertEquals(javaFormat(-0.0, 0), fixed(-0.0, 0));
  }

  @Test
  void nonFiniteValues() {
    assertEquals("NaN", fixed(Double.NaN, 3));
    assertEquals("Infinity", fixed(Double.POSITIVE_INFINITY, 3));
    assertEquals("-Infinity", fixed(Double.NEGATIVE_INFINITY, 3));
  }

  @Test
  void matchesStringFormatOnRandomValues() {
    SplittableRandom random = new SplittableRandom(20240611L);
    for (int i = 0; i < 200_000; i++) {
      int decimals = random.nextInt(10);
      double v = switch (i % 5) {
        case 0 -> random.nextDouble(); // the simulator's values
        case 1 -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(19) - 9); // |v| < 1e9
        case 2 -> { // decimal ties at the rounding digit: 0.xxx5 for decimals = 3
          long digits = random.nextLong(1_000_000_000L);
          yield (digits * 10 + 5) / Math.pow(10, decimals + 1);
        }
        case 3 -> random.nextInt(100_000) / 100_000.0;
        default -> Double.longBitsToDouble(random.nextLong()); // anything, tiny or huge
      };
      if (!Double.isNaN(v)) {
        double value = v;
        assertEquals(javaFormat(v, decimals), fixed(v, decimals), () -> value + " with " + decimals);
      }
    }
  }

  @Test
  void rejectsDecimalsOutsideZeroToNine() {
    assertThrows(IllegalArgumentException.class, () -> fixed(1, -1));
    assertThrows(IllegalArgumentException.class, () -> fixed(1, 10));
  }

  @Test
  void appendFraction5WritesZeroPaddedDigits() {
    byte[] buf = new byte[20];
    buf[0] = 'x';
    assertEquals(8, FixedDecimal.appendFraction5(buf, 1, 7));
    assertEquals("x0.00007", new String(buf, 0, 8, StandardCharsets.US_ASCII));
    for (int k : new int[] {0, 5, 10, 99, 100, 12345, 47453, 90000, 99999}) {
      int end = FixedDecimal.appendFraction5(buf, 3, k);
      assertEquals(10, end);
      String text = new String(buf, 3, 7, StandardCharsets.US_ASCII);
      assertEquals(String.format(Locale.ROOT, "0.%05d", k), text);
      assertEquals(k / 100_000.0, Double.parseDouble(text));
    }
  }

  @Test
  void appendFraction5RejectsOutOfRange() {
    byte[] buf = new byte[10];
    assertThrows(IllegalArgumentException.class, () -> FixedDecimal.appendFraction5(buf, 0, -1));
    assertThrows(IllegalArgumentException.class, () -> FixedDecimal.appendFraction5(buf, 0, 100_000));
    assertThrows(IndexOutOfBoundsException.class, () -> FixedDecimal.appendFraction5(buf, 5, 1));
  }
}
