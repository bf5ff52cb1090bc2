package io.iotbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of {@link TrainingCsvCodec} over hostile input. Every text either parses, or is rejected
 * with a {@link RecordFormatException} naming a documented field ({@code line}, {@code label},
 * {@code v<i>}); nothing else escapes. A parsed row re-encodes without an exception to a line that
 * parses to an equivalent row: the same label, and each value as written with five decimals (HALF_UP of
 * its shortest decimal, as {@code String.format("%.5f")}).
 */
class TrainingCsvCodecPropertyTest {
  private static final Pattern VALUE_FIELD = Pattern.compile("v[1-9][0-9]*");
  private static final Pattern PLAIN_NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
  private static final List<String> BIG_LINES = List.of(
      Hostile.mebibyte("1", ",0.12345", ""),
      Hostile.mebibyte("0,0.", "5", ""),
      Hostile.mebibyte("1.", "0", ",0.5"),
      Hostile.mebibyte("", ",", ""),
      Hostile.mebibyte("1,", "x", ""));

  @Property
  void anyTextIsParsedOrRejectedNamingTheField(
      @ForAll("lines") String line, @ForAll @IntRange(min = 0, max = 12) int expectedSensors) {
    checkParse(line, expectedSensors);
    checkParse(line, 0);
  }

  @Property
  void everyTruncationOfAValidLineIsParsedOrRejected(@ForAll("validLines") String line) {
    for (String prefix : Hostile.prefixes(line)) {
      checkParse(prefix, 0);
    }
  }

  @Property
  void everyRowRoundTrips(@ForAll("rows") TrainingRow row) {
    String line = TrainingCsvCodec.format(row);
    assertEquivalent(row, TrainingCsvCodec.parse(line, row.sensors()), line);
  }

  /** The label: any plain decimal numerically equal to 0 or 1, nothing else. */
  @Property
  void labelsAreExactlyTheDecimalsEqualToZeroOrOne(@ForAll("labels") String label) {
    String line = label + ",0.5";
    int expected = -1;
    if (PLAIN_NUMBER.matcher(label).matches()) {
      try {
        BigDecimal exact = new BigDecimal(label);
        expected = exact.signum() == 0 ? 0 : exact.compareTo(BigDecimal.ONE) == 0 ? 1 : -1;
      } catch (NumberFormatException e) { // an exponent beyond an int: zero only with a zero mantissa
        expected = label.split("[eE]")[0].matches("[-+]?[0.]*") ? 0 : -1;
      }
    }
    if (expected < 0) {
      RecordFormatException e = assertThrows(RecordFormatException.class, () -> TrainingCsvCodec.parse(line, 1));
      assertEquals("label", e.field(), e.getMessage());
    } else {
      assertEquals(expected, TrainingCsvCodec.parse(line, 1).label(), line);
    }
  }

  @Property
  void aNegativeSensorCountIsTheCallersError(
      @ForAll("lines") String line, @ForAll @IntRange(min = Integer.MIN_VALUE, max = -1) int n) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingCsvCodec.parse(line, n));
    assertEquals(IllegalArgumentException.class, e.getClass());
  }

  static void checkParse(String line, int expectedSensors) {
    TrainingRow row;
    try {
      row = TrainingCsvCodec.parse(line, expectedSensors);
    } catch (RecordFormatException rejected) {
      Rejections.assertWellFormed(rejected,
          f -> f.equals("line") || f.equals("label") || VALUE_FIELD.matcher(f).matches(), line);
      if (expectedSensors > 0 && rejected.getMessage().contains(" fields, expected ")) {
        assertEquals(true, rejected.getMessage().contains("expected " + (expectedSensors + 1)), rejected.getMessage());
      }
      return;
    }
    if (expectedSensors > 0) {
      assertEquals(expectedSensors, row.sensors(), line);
    }
    String again = TrainingCsvCodec.format(row);
    assertEquivalent(row, TrainingCsvCodec.parse(again, row.sensors()), again);
  }

  static void assertEquivalent(TrainingRow original, TrainingRow back, String line) {
    assertEquals(original.label(), back.label(), line);
    assertEquals(original.sensors(), back.sensors(), line);
    for (int i = 0; i < original.sensors(); i += i < 256 ? 1 : 509) {
      // String.format is the oracle, and slow: a one-mebibyte row of 131,072 values is sampled
      double expected = Double.parseDouble(String.format(Locale.ROOT, "%.5f", original.values()[i]));
      assertEquals(0, Double.compare(expected, back.values()[i]), line);
    }
  }

  @Provide
  Arbitrary<String> labels() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of("0", "1", "0.00000", "1.00000", "-0", "+0", "+1", "-1", "1e0", "10e-1",
            "0.1e1", "0e5", "0e999999999", "0e2147483648", "1e-2147483649", "-0.0e99999999999", "1e-400",
            "0.99999999999999999999",
            "1.00000000000000000001", "1." + "0".repeat(400), "0." + "0".repeat(400) + "1", "1.", ".1e1", "2",
            "0.5", "NaN", "", " 1", "1 ", "1d", "0x1", "١")),
        Tuple.of(2, Hostile.numberTexts()),
        Tuple.of(1, Hostile.anyText()))
        .filter(l -> l.indexOf(',') < 0 && l.indexOf('\n') < 0 && l.indexOf('\r') < 0);
  }

  @Provide
  Arbitrary<String> lines() {
    Arbitrary<String> assembled = Combinators.combine(
            labels(), Hostile.numberTexts().list().ofMinSize(0).ofMaxSize(8), Hostile.lineEndings())
        .as((label, values, end) -> label + (values.isEmpty() ? "" : "," + String.join(",", values)) + end);
    return Arbitraries.frequencyOf(
        Tuple.of(80, assembled),
        Tuple.of(24, Hostile.anyText()),
        Tuple.of(24, Hostile.decodedBytes()),
        Tuple.of(32, Hostile.damaged(validLines())),
        Tuple.of(8, Arbitraries.of("", " ", "\n", "\r\n", ",", "1,", ",1", "1")),
        Tuple.of(1, Arbitraries.of(BIG_LINES)));
  }

  @Provide
  Arbitrary<String> validLines() {
    Arbitrary<TrainingRow> rows = Combinators.combine(
            Arbitraries.of(0, 1), Hostile.shortDoubles().list().ofMinSize(1).ofMaxSize(4))
        .as((label, values) -> new TrainingRow(label, values.stream().mapToDouble(Double::doubleValue).toArray()));
    return Combinators.combine(rows, Hostile.lineEndings()).as((r, end) -> TrainingCsvCodec.format(r) + end);
  }

  @Provide
  Arbitrary<TrainingRow> rows() {
    return Combinators.combine(Arbitraries.of(0, 1), Hostile.finiteDoubles().list().ofMinSize(1).ofMaxSize(8))
        .as((label, values) -> new TrainingRow(label, values.stream().mapToDouble(Double::doubleValue).toArray()));
  }
}
