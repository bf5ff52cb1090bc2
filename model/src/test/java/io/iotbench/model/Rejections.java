package io.iotbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Predicate;
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

  /**
   * Asserts what every rejection must carry, whatever the input: a documented field name, and a
   * non-empty one-line message that starts by naming that field.
   */
  static void assertWellFormed(RecordFormatException e, Predicate<String> documentedField, String input) {
    String field = e.field();
    assertTrue(field != null && !field.isEmpty(), () -> "no field in: " + e.getMessage());
    assertTrue(documentedField.test(field), () -> "undocumented field '" + field + "' in: " + e.getMessage());
    String message = e.getMessage();
    assertTrue(message.startsWith("field '" + field + "' ") && message.length() > field.length() + 9, message);
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      int at = i;
      assertFalse(c < 0x20 || c == 0x7f || c == '\u0085' || c == '\u2028' || c == '\u2029',
          () -> "control character " + (int) c + " at " + at + " of: " + message);
    }
    if (input != null) {
      assertTrue(e.offendingText() != null, message);
    }
  }
}
