package io.iotbench.model;

/**
 * Thrown when a text record (a CSV line or a JSON message) cannot be parsed. It names the offending
 * field and keeps the offending text, so dead-letter outputs can say precisely what was wrong; the
 * message is always a single line of the form
 * {@code field 'value' is not a finite number: 'NaN' (line "2018-...,77,Sensor 77,NaN")}, with quoted
 * texts capped at {@value #MAX_QUOTED} characters and control characters (C0, C1, U+2028, U+2029)
 * escaped everywhere in it, the field name and the problem included. Every parser in this
 * package reports every failure with this exception, never with a {@code NumberFormatException},
 * {@code DateTimeParseException} or other runtime exception of the JDK.
 */
public class RecordFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Quoted texts longer than this are cut, so a 100,000-sensor row does not become the message. */
  public static final int MAX_QUOTED = 200;

  private final String field;
  private final String offendingText;

  /**
   * @param field the field at fault, e.g. {@code value}, {@code v3}, {@code label}, or {@code line} /
   *     {@code json} when the record as a whole is at fault
   * @param problem what is wrong, phrased to follow the field name, e.g. {@code is not a finite number}
   * @param offendingText the text of the field (or of the record for record-level problems)
   * @param record the whole record for context, or null when it is the offending text itself
   */
  public RecordFormatException(String field, String problem, String offendingText, String record) {
    this(field, problem, offendingText, record, null);
  }

  /** As {@link #RecordFormatException(String, String, String, String)}, keeping the cause. */
  public RecordFormatException(
      String field, String problem, String offendingText, String record, Throwable cause) {
    super(describe(field, problem, offendingText, record), cause);
    this.field = field;
    this.offendingText = offendingText;
  }

  /** The name of the field at fault ({@code line} or {@code json} for the whole record). */
  public String field() {
    return field;
  }

  /** The offending text, uncut. */
  public String offendingText() {
    return offendingText;
  }

  private static String describe(String field, String problem, String offending, String record) {
    StringBuilder sb = new StringBuilder(96);
    sb.append("field '");
    escape(sb, field, Integer.MAX_VALUE);
    sb.append("' ");
    escape(sb, problem, Integer.MAX_VALUE); // may quote a parser's message, which quotes the input
    sb.append(": '");
    escape(sb, offending, MAX_QUOTED);
    sb.append('\'');
    if (record != null && !record.equals(offending)) {
      sb.append(" (line \"");
      escape(sb, record, MAX_QUOTED);
      sb.append("\")");
    }
    return sb.toString();
  }

  /**
   * Appends {@code s} cut to {@code max} characters (never between the two halves of a surrogate
   * pair) with every control character escaped, C1 controls such as NEL (U+0085) and the Unicode
   * line and paragraph separators included, so the message is one line for every reader.
   */
  private static void escape(StringBuilder sb, String s, int max) {
    if (s == null) {
      sb.append("null");
      return;
    }
    int end = Math.min(s.length(), max);
    if (end < s.length() && end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
            sb.append("\\u");
            for (int shift = 12; shift >= 0; shift -= 4) {
              sb.append(Character.forDigit((c >> shift) & 0xf, 16));
            }
          } else {
            sb.append(c);
          }
        }
      }
    }
    if (s.length() > max) {
      sb.append("...(").append(s.length()).append(" chars)");
    }
  }
}
