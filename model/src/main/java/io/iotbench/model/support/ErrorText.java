package io.iotbench.model.support;

/**
 * The text of an error for a one-line console report: its message on one line and its innermost cause. Every
 * command prints failures as {@code iotbench COMMAND: failed: MESSAGE}, whether it parses its options with Beam
 * or with picocli; both paths use these two methods.
 */
public final class ErrorText {
  private ErrorText() {}

  /**
   * The message of {@code e} on one line (Beam's option errors span several); the class name if it has none.
   * Line breaks become a space; other control characters (a device id or payload quoted in the message) are
   * escaped by {@link ConsoleText}, so the message cannot add lines of its own to the console.
   */
  public static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return ConsoleText.escape(message.strip().replaceAll("\\s*\\R\\s*", " "));
  }

  /** The innermost cause, whose message usually names the real problem (a path, a host, a value). */
  public static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
