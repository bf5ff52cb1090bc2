package io.iotbench.pipelines.common;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines of text like {@link java.io.BufferedReader#readLine()} ("\n", "\r\n" or a lone "\r" ends a line), but
 * never holds more than {@code maxChars} characters of one line: a longer line is returned cut to its first
 * {@code maxChars} characters, and the rest of it is read and dropped without being buffered. A reader of
 * records with a length limit passes {@code limit + 1}, so the cut line is still recognisably too long.
 *
 * <p>Not thread-safe. A {@link java.net.SocketTimeoutException} from the underlying reader propagates and
 * leaves the partial line in place: the next call continues it.
 */
public final class BoundedLineReader implements AutoCloseable {
  private final Reader in;
  private final int maxChars;
  private final char[] buffer = new char[8192];
  private int pos;
  private int end;
  private final StringBuilder line = new StringBuilder();
  private boolean dropping;
  private boolean skipLf;

  /**
   * @param in the characters to read (not buffered further here is needed: this class buffers)
   * @param maxChars the most characters of one line returned; at least 1
   */
  public BoundedLineReader(Reader in, int maxChars) {
    if (maxChars < 1) {
      throw new IllegalArgumentException("maxChars must be at least 1: " + maxChars);
    }
    this.in = in;
    this.maxChars = maxChars;
  }

  /** The next line without its terminator, cut to {@code maxChars}; null at the end of the input. */
  public String readLine() throws IOException {
    while (true) {
      if (pos == end) {
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
          if (line.length() > 0 || dropping) {
            return take();
          }
          return null;
        }
        pos = 0;
        end = n;
      }
      while (pos < end) {
        char c = buffer[pos++];
        if (skipLf) {
          skipLf = false;
          if (c == '\n') {
            continue;
          }
        }
        if (c == '\n' || c == '\r') {
          skipLf = c == '\r';
          return take();
        }
        if (line.length() < maxChars) {
          line.append(c);
        } else {
          dropping = true;
        }
      }
    }
  }

  private String take() {
    String s = line.toString();
    line.setLength(0);
    if (line.capacity() > 2 * buffer.length) {
      line.trimToSize(); // a long line must not keep its buffer for the rest of the stream
    }
    dropping = false;
    return s;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
