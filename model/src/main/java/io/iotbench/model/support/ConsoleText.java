package io.iotbench.model.support;

/**
 * Text that came from outside (a device id, a payload, an error message quoting one) made safe for one console
 * line: a line break would let a device id forge a report line, an escape sequence could rewrite the terminal.
 * {@code '\n'} becomes the two characters {@code \n}; every other control character (C0, DEL, C1), Unicode
 * format character (bidirectional overrides, zero-width characters) and line or paragraph separator becomes
 * {@code \}{@code uXXXX}. Everything else, backslashes included, stays as it is.
 */
public final class ConsoleText {
  private ConsoleText() {}

  /** {@code text} with its control characters escaped; {@code null} stays {@code null}. */
  public static String escape(String text) {
    if (text == null) {
      return null;
    }
    int first = 0;
    while (first < text.length() && !needsEscape(text.charAt(first))) {
      first++;
    }
    if (first == text.length()) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        sb.append("\\n");
      } else if (needsEscape(c)) {
        sb.append(String.format(java.util.Locale.ROOT, "\\u%04X", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  static boolean needsEscape(char c) {
    if (Character.isISOControl(c)) {
      return true;
    }
    int type = Character.getType(c);
    return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
  }
}
