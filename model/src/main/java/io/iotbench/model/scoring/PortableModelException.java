package io.iotbench.model.scoring;

/**
 * A model file that cannot be used: missing, not JSON, not a portable model, an unsupported format
 * version, or inconsistent content. The message is one line naming the file and the problem, e.g.
 * {@code model file /models/lr/model.json is corrupt: tree 3: node 7 has one child}, so a command can
 * print it as its error line; the cause, when there is one, is deliberately not attached (the command
 * line shows the innermost cause's message, and a parser's own message is long and multi-line).
 */
public class PortableModelException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public PortableModelException(String message) {
    super(message);
  }
}
