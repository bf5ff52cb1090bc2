package io.iotbench.model.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class ErrorTextTest {
  @Test
  void aMessageOverSeveralLinesBecomesOneLine() {
    assertEquals("first line second line", ErrorText.oneLine(new IllegalArgumentException("  first line\n   second line\r\n")));
    assertEquals("IOException", ErrorText.oneLine(new IOException()));
  }

  @Test
  void controlCharactersInAMessageAreEscaped() {
    assertEquals("bad device a\\u001B[2J: x", ErrorText.oneLine(new IllegalArgumentException("bad device a\u001b[2J: x")));
  }

  @Test
  void theRootCauseIsTheInnermost() {
    IOException inner = new IOException("no such host");
    assertSame(inner, ErrorText.rootCause(new RuntimeException(new UncheckedIOException(inner))));
    IllegalStateException alone = new IllegalStateException("x");
    assertSame(alone, ErrorText.rootCause(alone));
  }
}
