package io.iotbench.pipelines.score.source;

/**
 * The record rules every live source applies before it hands a record on: a record never contains a line break
 * (the chunk separator), an empty record becomes a single space (a blank record, which the parse stage counts as
 * a dead letter with reason {@code empty}) and a record longer than the limit is cut to {@code maxRecordBytes + 1}
 * characters (still too long for the parse stage, which dead-letters it as {@code tooLong}, but bounded here).
 */
public final class RecordText {
  /** What an empty message or line is handed on as. */
  public static final String BLANK = " ";

  private RecordText() {}

  /**
   * A Kafka or MQTT message as one record: cut to {@code maxRecordBytes + 1} characters, each '\n' and '\r' replaced
   * by a space (JSON allows whitespace there; a CSV record with a line break is malformed either way), empty as
   * {@link #BLANK}.
   */
  public static String ofMessage(String message, int maxRecordBytes) {
    String s = cut(message, maxRecordBytes);
    if (s.isEmpty()) {
      return BLANK;
    }
    if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
      s = s.replace('\n', ' ').replace('\r', ' ');
    }
    return s;
  }

  /** A message's bytes decoded as UTF-8, with only the first bytes that can matter decoded (a huge one is not copied whole). */
  public static String ofMessage(byte[] body, int offset, int length, int maxRecordBytes) {
    // A character takes at least one byte: maxRecordBytes + 1 characters come from at most 4 * that many bytes.
    long keep = Math.min(length, 4L * (maxRecordBytes + 1L));
    return ofMessage(new String(body, offset, (int) keep, java.nio.charset.StandardCharsets.UTF_8), maxRecordBytes);
  }

  /** A line of a line-based source (socket, file) as one record: an empty line as {@link #BLANK}. */
  public static String ofLine(String line) {
    return line.isEmpty() ? BLANK : line;
  }

  private static String cut(String s, int maxRecordBytes) {
    long keep = maxRecordBytes + 1L;
    return s.length() > keep ? s.substring(0, (int) keep) : s;
  }
}
