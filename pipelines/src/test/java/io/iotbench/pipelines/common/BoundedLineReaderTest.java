package io.iotbench.pipelines.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {

  private static List<String> lines(Reader in, int max) throws IOException {
    List<String> out = new ArrayList<>();
    BoundedLineReader r = new BoundedLineReader(in, max);
    for (String line = r.readLine(); line != null; line = r.readLine()) {
      out.add(line);
    }
    return out;
  }

  @Test
  void readsLinesWithEveryEnding() throws IOException {
    assertEquals(List.of("a", "b", "", "c", "d"), lines(new StringReader("a\nb\r\n\nc\rd"), 10));
    assertEquals(List.of(), lines(new StringReader(""), 10));
    assertEquals(List.of(""), lines(new StringReader("\n"), 10));
  }

  @Test
  void cutsALongLineAndSkipsItsRest() throws IOException {
    assertEquals(List.of("abc", "de", "fgh"), lines(new StringReader("abcdefgh\nde\nfghij"), 3));
  }

  /** A 100 MB line passes through a 5-character limit without being buffered: the reader's memory stays small. */
  @Test
  void neverBuffersAHugeLine() throws IOException {
    long total = 100_000_000L;
    Reader huge = new Reader() {
      long sent;

      @Override
      public int read(char[] buf, int off, int len) {
        if (sent > total) {
          return -1;
        }
        int n = (int) Math.min(len, total + 1 - sent);
        for (int i = 0; i < n; i++) {
          buf[off + i] = sent + i == total ? '\n' : 'x';
        }
        sent += n;
        return n;
      }

      @Override
      public void close() {}
    };
    Runtime rt = Runtime.getRuntime();
    long before = rt.totalMemory() - rt.freeMemory();
    List<String> got = lines(huge, 5);
    long after = rt.totalMemory() - rt.freeMemory();
    assertEquals(List.of("xxxxx"), got);
    assertTrue(after - before < 50_000_000L, "grew by " + (after - before) + " bytes");
  }

  @Test
  void rejectsANonPositiveLimit() {
    assertThrows(IllegalArgumentException.class, () -> new BoundedLineReader(new StringReader(""), 0));
  }

  /** The same lines as BufferedReader, each cut to the limit. */
  @Property(tries = 2000)
  void agreesWithBufferedReader(@ForAll @StringLength(max = 300) @CharRange(from = '\t', to = 'z') String text,
      @ForAll @IntRange(min = 1, max = 40) int max) throws IOException {
    List<String> expected = new ArrayList<>();
    BufferedReader br = new BufferedReader(new StringReader(text));
    for (String line = br.readLine(); line != null; line = br.readLine()) {
      expected.add(line.length() > max ? line.substring(0, max) : line);
    }
    assertEquals(expected, lines(new StringReader(text), max));
  }

  @Test
  void endOfInputAfterTheLastLine() throws IOException {
    BoundedLineReader r = new BoundedLineReader(new StringReader("a\n"), 3);
    assertEquals("a", r.readLine());
    assertNull(r.readLine());
  }
}
