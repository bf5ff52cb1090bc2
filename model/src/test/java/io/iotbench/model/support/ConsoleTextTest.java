package io.iotbench.model.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ConsoleTextTest {
  @Test
  void aNewlineCannotStartAForgedReportLine() {
    assertEquals("a\\nInterval 9: Attention needed", ConsoleText.escape("a\nInterval 9: Attention needed"));
  }

  @Test
  void otherControlsBecomeUnicodeEscapes() {
    assertEquals("\\u000D\\u0009\\u001B[31mred\\u007F\\u0085", ConsoleText.escape("\r\t\u001b[31mred\u007f\u0085"));
    assertEquals("\\u202Eevil\\u200B\\u2028", ConsoleText.escape("\u202eevil\u200b\u2028"));
  }

  @Test
  void printableTextIsKeptAsIs() {
    String id = "device-7 ü 温度 \\n";
    assertSame(id, ConsoleText.escape(id));
    assertNull(ConsoleText.escape(null));
  }

  @Property(tries = 10_000)
  void theResultHasNoControlCharacterAndOnlyEscapesAreAdded(@ForAll String text) {
    String escaped = ConsoleText.escape(text);
    long newlines = text.chars().filter(c -> c == '\n').count();
    long others = text.chars().filter(c -> c != '\n' && ConsoleText.needsEscape((char) c)).count();
    for (int i = 0; i < escaped.length(); i++) {
      assertFalse(ConsoleText.needsEscape(escaped.charAt(i)), () -> "unescaped character in " + escaped);
    }
    assertEquals(text.length() + newlines + 5 * others, escaped.length(), "\\n adds one character, \\uXXXX five");
  }
}
