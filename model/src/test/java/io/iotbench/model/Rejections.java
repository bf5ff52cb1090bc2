package io.iotbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** Asserts that a parser rejects input with a one-line message naming the field and quoting the text. */
final class Rejections {
  private Rejections() {}

  static RecordFormatException assertRejected(Executable parse, String field, String offendingText) {
    RecordFormatException e = assertThrows(RecordFormatException.class, parse);
    assertEquals(field, e.field(), () -> "field of: " + e.getMessage());
    assertEquals(offendingText, e.offendingText(), () -> "offending text of: " + e.getMessage());
    String message = e.getMessage();
    assertTrue(message.startsWith("field '" + field + "' "), message);
    assertFalse(message.contains("\n") || message.contains("\r"), message);
    if (offendingText != null && offendingText.length() <= RecordFormatException.MAX_QUOTED
        && offendingText.indexOf('\n') < 0 && offendingText.indexOf('\r') < 0) {
      assertTrue(message.contains(": '" + offendingText + "'"), message);
    }
    return e;
  }
}
