package io.iotbench.pipelines.common;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * Reads lines with a length limit, so one endless line cannot fill the heap: a line longer than {@code maxChars}
 * characters comes out cut to its first {@code maxChars + 1} characters (one more than allowed, so whoever checks
 * the length sees that it was too long), and the rest of it is read past without being kept. Lines end at
 * {@code \n}, {@code \r\n} or a lone {@code \r} (as in {@code BufferedReader.readLine} and Beam's TextIO); the
 * last line needs no terminator. Bytes that are not valid UTF-8 become U+FFFD when read through
 * {@link #utf8(InputStream, int)}. Memory is the read buffer plus at most {@code maxChars + 1} characters.
 *
 * <p>A read that throws (a socket read timeout, say) keeps the part of the line read so far: the next
 * {@link #readLine()} goes on with it. Not thread-safe.
 */
public final class BoundedLineReader implements Closeable {
  private static final int BUFFER_CHARS = 8192;
  /** The largest limit: a cut line of {@code limit + 1} characters must still fit in a Java array. */
  private static final int LONGEST_LIMIT = Integer.MAX_VALUE - 16;

  private final Reader in;
  private final int maxChars;
  private final char[] buffer = new char[BUFFER_CHARS];
  private int position;
  private int limit;
  private boolean skipLineFeed;
  private boolean eof;

  // The line being read; fields rather than locals so a failed read loses nothing.
  private StringBuilder line;
  private boolean started;
  private long lineChars;
  private long lastLineChars;

  /**
   * @param in the characters to read (not buffered further; this reader has its own buffer)
   * @param maxChars the longest line handed on whole, at least 1 (larger than {@code Integer.MAX_VALUE - 16} counts
   *     as that)
   */
  public BoundedLineReader(Reader in, int maxChars) {
    if (maxChars < 1) {
      throw new IllegalArgumentException("maxChars must be at least 1, not " + maxChars);
    }
    this.in = in;
    this.maxChars = Math.min(maxChars, LONGEST_LIMIT);
  }

  /** Reads UTF-8 text from {@code in}; invalid bytes become U+FFFD. */
  public static BoundedLineReader utf8(InputStream in, int maxChars) {
    return new BoundedLineReader(new InputStreamReader(in, StandardCharsets.UTF_8), maxChars);
  }

  /** The longest line handed on whole. */
  public int maxChars() {
    return maxChars;
  }

  /**
   * The next line without its terminator, at most {@code maxChars + 1} characters long (longer means cut), or
   * null at the end of the input.
   */
  public String readLine() throws IOException {
    while (true) {
      if (position >= limit && !fill()) {
        if (!started) {
          return null;
        }
        return finishLine();
      }
      if (skipLineFeed) {
        skipLineFeed = false;
        if (buffer[position] == '\n') {
          position++;
          continue;
        }
      }
      started = true;
      int start = position;
      while (position < limit && buffer[position] != '\n' && buffer[position] != '\r') {
        position++;
      }
      keep(start, position);
      if (position < limit) {
        skipLineFeed = buffer[position] == '\r';
        position++;
        return finishLine();
      }
    }
  }

  /**
   * The length in characters of the line {@link #readLine()} returned last, before any cut (it may exceed
   * {@code Integer.MAX_VALUE}); 0 before the first line.
   */
  public long lastLineLength() {
    return lastLineChars;
  }

  /** Whether the line {@link #readLine()} returned last was longer than {@code maxChars} and so was cut. */
  public boolean lastLineCut() {
    return lastLineChars > maxChars;
  }

  /** Reads past {@code lines} lines (fewer at the end of the input); returns how many there were. */
  public long skipLines(long lines) throws IOException {
    long skipped = 0;
    while (skipped < lines && readLine() != null) {
      skipped++;
    }
    return skipped;
  }

  private void keep(int from, int to) {
    int count = to - from;
    lineChars += count;
    if (line == null) {
      line = new StringBuilder(Math.min(maxChars + 1, Math.max(count, 80)));
    }
    int room = maxChars + 1 - line.length();
    if (room > 0) {
      line.append(buffer, from, Math.min(room, count));
    }
  }

  private String finishLine() {
    String text = line == null ? "" : line.toString();
    lastLineChars = lineChars;
    line = null;
    started = false;
    lineChars = 0;
    return text;
  }

  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    int n;
    do {
      n = in.read(buffer, 0, buffer.length);
    } while (n == 0);
    if (n < 0) {
      eof = true;
      return false;
    }
    position = 0;
    limit = n;
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
