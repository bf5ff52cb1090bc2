package io.iotbench.pipelines.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {
  private static List<String> lines(BoundedLineReader reader) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      lines.add(line);
    }
    return lines;
  }

  private static List<String> lines(String text, int maxChars) throws IOException {
    return lines(new BoundedLineReader(new StringReader(text), maxChars));
  }

  @Test
  void aOneMebibyteLineIsCutToTheLimitPlusOneAndTheNextLineIsWhole() throws IOException {
    String big = "x".repeat(1 << 20);
    BoundedLineReader reader = new BoundedLineReader(new StringReader("first\n" + big + "\nlast"), 65536);
    assertEquals("first", reader.readLine());
    assertFalse(reader.lastLineCut());
    String cut = reader.readLine();
    assertEquals(65537, cut.length());
    assertTrue(reader.lastLineCut());
    assertEquals(1 << 20, reader.lastLineLength());
    assertEquals("last", reader.readLine());
    assertNull(reader.readLine());
  }

  @Test
  void limitBoundaries() throws IOException {
    assertEquals(List.of("abcd", "abcde", "abcde", "a"), lines("abcd\nabcde\nabcdef\na", 4));
    BoundedLineReader reader = new BoundedLineReader(new StringReader("abcd\nabcde"), 4);
    reader.readLine();
    assertFalse(reader.lastLineCut());
    assertEquals("abcde", reader.readLine());
    assertTrue(reader.lastLineCut());
    assertEquals(List.of("a", "bc"), lines("a\nbc", 1));
    assertThrows(IllegalArgumentException.class, () -> new BoundedLineReader(new StringReader(""), 0));
  }

  @Test
  void crLfLoneCrAndEmptyLines() throws IOException {
    assertEquals(List.of("a", "b", "", "c", "d"), lines("a\r\nb\r\n\r\nc\rd\r\n", 10));
    assertEquals(List.of("", "", "x"), lines("\n\r\nx\n", 10));
    // The \n of a \r\n that arrives in a later read is still part of the same terminator.
    assertEquals(List.of("ab", "cd"), lines(new BoundedLineReader(new OneCharReader("ab\r\ncd\r\n"), 10)));
  }

  @Test
  void theLastLineNeedsNoTerminatorAndEmptyInputHasNoLine() throws IOException {
    assertEquals(List.of("a", "b"), lines("a\nb", 10));
    assertEquals(List.of("a"), lines("a\n", 10));
    assertEquals(List.of(), lines("", 10));
    assertEquals(List.of(""), lines("\n", 10));
  }

  @Test
  void invalidUtf8BecomesReplacementCharacters() throws IOException {
    byte[] bytes = {'o', 'k', '\n', (byte) 0xC3, (byte) 0x28, '\n', (byte) 0xFF, 'x', '\n', (byte) 0xE2, (byte) 0x82};
    List<String> got = lines(BoundedLineReader.utf8(new ByteArrayInputStream(bytes), 10));
    assertEquals(List.of("ok", "\uFFFD(", "\uFFFDx", "\uFFFD"), got);
  }

  @Test
  void aLineLongerThanAnyStringIsReadPastWithoutKeepingIt() throws IOException {
    long length = Integer.MAX_VALUE + 10L;
    BoundedLineReader reader = new BoundedLineReader(new EndlessLineReader(length, "\nnext\n"), 100);
    assertEquals(101, reader.readLine().length());
    assertEquals(length, reader.lastLineLength());
    assertEquals("next", reader.readLine());
    assertNull(reader.readLine());
  }

  @Test
  void aFailedReadKeepsThePartOfTheLineReadSoFar() throws IOException {
    BoundedLineReader reader = new BoundedLineReader(new TimeoutOnceReader("abc", "def\nx\n"), 10);
    assertThrows(SocketTimeoutException.class, reader::readLine);
    assertEquals("abcdef", reader.readLine());
    assertEquals("x", reader.readLine());
    assertEquals(2, new BoundedLineReader(new StringReader("a\nb\nc"), 5).skipLines(2));
  }

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.strings().withChars("ab\r\n\u00e9\uD83D\uDE00").ofMaxLength(200);
  }

  @Property(tries = 10_000)
  void linesAreThoseOfBufferedReaderCutToTheLimitPlusOne(@ForAll("text") String text, @ForAll @IntRange(min = 1, max = 20) int max)
      throws IOException {
    List<String> expected = new ArrayList<>();
    try (BufferedReader reference = new BufferedReader(new StringReader(text))) {
      for (String line = reference.readLine(); line != null; line = reference.readLine()) {
        expected.add(line.length() > max ? line.substring(0, max + 1) : line);
      }
    }
    assertEquals(expected, lines(new BoundedLineReader(new OneCharReader(text), max)));
    assertEquals(expected, lines(text, max));
  }

  /** Hands out one character per read, so every terminator falls across reads. */
  private static final class OneCharReader extends Reader {
    private final String text;
    private int next;

    OneCharReader(String text) {
      this.text = text;
    }

    @Override
    public int read(char[] cbuf, int off, int len) {
      if (next >= text.length()) {
        return -1;
      }
      cbuf[off] = text.charAt(next++);
      return 1;
    }

    @Override
    public void close() {}
  }

  /** {@code length} characters of 'x', then {@code tail}; nothing is held but the tail. */
  private static final class EndlessLineReader extends Reader {
    private long remaining;
    private final StringReader tail;

    EndlessLineReader(long length, String tail) {
      this.remaining = length;
      this.tail = new StringReader(tail);
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
      if (remaining == 0) {
        return tail.read(cbuf, off, len);
      }
      int n = (int) Math.min(len, remaining);
      Arrays.fill(cbuf, off, off + n, 'x');
      remaining -= n;
      return n;
    }

    @Override
    public void close() {}
  }

  /** Hands out {@code first}, throws a read timeout once, then hands out {@code rest}. */
  private static final class TimeoutOnceReader extends Reader {
    private final StringReader first;
    private final StringReader rest;
    private boolean thrown;

    TimeoutOnceReader(String first, String rest) {
      this.first = new StringReader(first);
      this.rest = new StringReader(rest);
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
      int n = first.read(cbuf, off, len);
      if (n > 0) {
        return n;
      }
      if (!thrown) {
        thrown = true;
        throw new SocketTimeoutException("Read timed out");
      }
      return rest.read(cbuf, off, len);
    }

    @Override
    public void close() {}
  }
}
