package io.iotbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecordFormatExceptionTest {

  @Test
  void messageNamesFieldQuotesTextAndLine() {
    RecordFormatException e = new RecordFormatException(
        "value", "is not a finite number", "NaN", "2018-01-13T21:37:30.830Z,77,Sensor 77,NaN");
    assertEquals(
        "field 'value' is not a finite number: 'NaN' (line \"2018-01-13T21:37:30.830Z,77,Sensor 77,NaN\")",
        e.getMessage());
    assertEquals("value", e.field());
    assertEquals("NaN", e.offendingText());
  }

  @Test
  void recordIsOmittedWhenItIsTheOffendingText() {
    RecordFormatException e = new RecordFormatException("line", "is empty", "", null);
    assertEquals("field 'line' is empty: ''", e.getMessage());
    e = new RecordFormatException("line", "has 3 fields", "a,b,c", "a,b,c");
    assertEquals("field 'line' has 3 fields: 'a,b,c'", e.getMessage());
  }

  @Test
  void longTextsAreCutAndLineBreaksEscaped() {
    String longLine = "1," + "0.12345,".repeat(1000);
    RecordFormatException e = new RecordFormatException("v3", "is not a finite number", "x\ny\u0001", longLine);
    String message = e.getMessage();
    assertFalse(message.contains("\n"), message);
    assertTrue(message.contains("'x\\ny\\u0001'"), message);
    assertTrue(message.length() < 2 * RecordFormatException.MAX_QUOTED + 100, message);
    assertTrue(message.contains("...(" + longLine.length() + " chars)"), message);
    assertEquals("x\ny\u0001", e.offendingText()); // kept uncut
  }

  @Test
  void isAnIllegalArgumentExceptionWithCause() {
    Exception cause = new RuntimeException("inner");
    RecordFormatException e = new RecordFormatException("json", "is not JSON", "{", null, cause);
    assertTrue(e instanceof IllegalArgumentException);
    assertSame(cause, e.getCause());
  }

  @Test
  void everyControlCharacterIsEscapedEverywhere() {
    RecordFormatException e = new RecordFormatException(
        "json", "is not valid JSON (Unrecognized token 'a\u0000\u0085')", "a\u0085\u2028\u2029\u009f", "x\u0085");
    assertEquals("field 'json' is not valid JSON (Unrecognized token 'a\\u0000\\u0085'): "
        + "'a\\u0085\\u2028\\u2029\\u009f' (line \"x\\u0085\")", e.getMessage());
  }

  @Test
  void cutsNeverSplitASurrogatePair() {
    String text = "x".repeat(RecordFormatException.MAX_QUOTED - 1) + "😀";
    String message = new RecordFormatException("device", "is odd", text, null).getMessage();
    assertTrue(message.contains("x'") || message.contains("x...("), message);
    assertFalse(message.chars().anyMatch(c -> Character.isHighSurrogate((char) c)), message);
  }
}
