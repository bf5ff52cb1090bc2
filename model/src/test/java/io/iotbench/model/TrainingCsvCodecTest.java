package io.iotbench.model;

import static io.iotbench.model.Rejections.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingCsvCodecTest {

  static List<String> resourceLines(String name) throws IOException {
    try (InputStream in = TrainingCsvCodecTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  @Test
  void parsesEveryLineOfTheOriginalGeneratorsOutput() throws IOException {
    List<String> lines = resourceLines("/compat/original-training-data.csv");
    assertEquals(20, lines.size());
    int ones = 0;
    for (String line : lines) {
      TrainingRow row = TrainingCsvCodec.parse(line, 10);
      assertEquals(10, row.sensors());
      assertEquals(line.startsWith("1.00000") ? 1 : 0, row.label(), line);
      ones += row.label();
    }
    assertEquals(15, ones);
    TrainingRow first = TrainingCsvCodec.parse(lines.get(0), 0);
    assertArrayEquals(
        new double[] {0.50457, 0.06221, 0.07500, 0.60180, 0.43030, 0.48300, 0.90816, 0.60859, 0.40584, 0.87647},
        first.values());
    // our writer normalises the label and keeps the five value decimals
    assertEquals("1" + lines.get(0).substring("1.00000".length()), TrainingCsvCodec.format(first));
  }

  @Test
  void formatsLabelAsDigitAndValuesWithFiveDecimals() {
    TrainingRow row = new TrainingRow(0, new double[] {0.5, 0.123456, 1.0, 0.000004, 12.345678});
    assertEquals("0,0.50000,0.12346,1.00000,0.00000,12.34568", TrainingCsvCodec.format(row));
  }

  @Test
  void roundTrips() {
    TrainingRow row = new TrainingRow(1, new double[] {0.00001, 0.5, 0.99999, 0.47453});
    String line = TrainingCsvCodec.format(row);
    assertEquals("1,0.00001,0.50000,0.99999,0.47453", line);
    assertEquals(row, TrainingCsvCodec.parse(line, 4));
    assertEquals(row, TrainingCsvCodec.parse(line + "\r\n", 0));
  }

  @Test
  void acceptsAnyDecimalEqualToZeroOrOneAsLabel() {
    for (String label : new String[] {"0", "0.00000", "0.0", "-0", "0e5"}) {
      assertEquals(0, TrainingCsvCodec.parse(label + ",0.5", 1).label(), label);
    }
    for (String label : new String[] {"1", "1.00000", "1.0", "1e0", "+1"}) {
      assertEquals(1, TrainingCsvCodec.parse(label + ",0.5", 1).label(), label);
    }
  }

  @Test
  void acceptsValuesInAnyDecimalNotation() {
    TrainingRow row = TrainingCsvCodec.parse("1,0.1234567890123,5e-1,-2,3.", 0);
    assertArrayEquals(new double[] {0.1234567890123, 0.5, -2, 3}, row.values());
  }

  @Test
  void rejectsBadLabels() {
    assertRejected(() -> TrainingCsvCodec.parse("2,0.5,0.5", 2), "label", "2");
    assertRejected(() -> TrainingCsvCodec.parse("0.5,0.5,0.5", 2), "label", "0.5");
    assertRejected(() -> TrainingCsvCodec.parse("-1,0.5,0.5", 2), "label", "-1");
    assertRejected(() -> TrainingCsvCodec.parse("yes,0.5,0.5", 2), "label", "yes");
    assertRejected(() -> TrainingCsvCodec.parse(",0.5,0.5", 2), "label", "");
    RecordFormatException e = assertRejected(() -> TrainingCsvCodec.parse("NaN,0.5", 1), "label", "NaN");
    assertTrue(e.getMessage().contains("(line \"NaN,0.5\")"), e.getMessage());
  }

  @Test
  void rejectsBadValuesNamingTheSensor() {
    assertRejected(() -> TrainingCsvCodec.parse("1,0.5,abc,0.5", 3), "v2", "abc");
    assertRejected(() -> TrainingCsvCodec.parse("1,NaN", 1), "v1", "NaN");
    assertRejected(() -> TrainingCsvCodec.parse("1,0.5,0.5,Infinity", 3), "v3", "Infinity");
    assertRejected(() -> TrainingCsvCodec.parse("1,0.5,-Infinity", 2), "v2", "-Infinity");
    assertRejected(() -> TrainingCsvCodec.parse("1,1e999", 1), "v1", "1e999");
    assertRejected(() -> TrainingCsvCodec.parse("1,0.5,", 2), "v2", "");
    assertRejected(() -> TrainingCsvCodec.parse("1, 0.5", 1), "v1", " 0.5");
    assertRejected(() -> TrainingCsvCodec.parse("1,0x1p3", 1), "v1", "0x1p3");
    assertRejected(() -> TrainingCsvCodec.parse("1,1d", 1), "v1", "1d");
    assertRejected(() -> TrainingCsvCodec.parse("1,1.2.3", 1), "v1", "1.2.3");
  }

  @Test
  void rejectsWrongFieldCountsSayingExpectedAndFound() {
    RecordFormatException e = assertRejected(() -> TrainingCsvCodec.parse("1,0.5,0.5", 3), "line", "1,0.5,0.5");
    assertTrue(e.getMessage().contains("has 3 fields, expected 4"), e.getMessage());
    e = assertRejected(() -> TrainingCsvCodec.parse("1,0.5,0.5,0.5,0.5", 3), "line", "1,0.5,0.5,0.5,0.5");
    assertTrue(e.getMessage().contains("has 5 fields, expected 4"), e.getMessage());
    e = assertRejected(() -> TrainingCsvCodec.parse("1", 0), "line", "1");
    assertTrue(e.getMessage().contains("expected at least 2"), e.getMessage());
    assertRejected(() -> TrainingCsvCodec.parse("", 0), "line", "");
    assertRejected(() -> TrainingCsvCodec.parse("\n", 0), "line", "\n");
    assertRejected(() -> TrainingCsvCodec.parse(null, 0), "line", null);
    assertThrows(IllegalArgumentException.class, () -> TrainingCsvCodec.parse("1,0.5", -1));
  }

  @Test
  void rejectsLabelsThatOnlyRoundToZeroOrOne() {
    assertRejected(() -> TrainingCsvCodec.parse("0.99999999999999999999,0.5", 1), "label", "0.99999999999999999999");
    assertRejected(() -> TrainingCsvCodec.parse("1e-400,0.5", 1), "label", "1e-400");
    assertRejected(() -> TrainingCsvCodec.parse("1e-99999999999,0.5", 1), "label", "1e-99999999999");
    assertEquals(0, TrainingCsvCodec.parse("0e99999999999,0.5", 1).label());
    assertEquals(1, TrainingCsvCodec.parse("1.000000000000000000000000,0.5", 1).label());
    assertEquals(0, TrainingCsvCodec.parse("0e999,0.5", 1).label());
    RecordFormatException e = assertRejected(() -> TrainingCsvCodec.parse("1,0.5", Integer.MAX_VALUE), "line", "1,0.5");
    assertTrue(e.getMessage().contains("expected 2147483648"), e.getMessage());
  }
}
