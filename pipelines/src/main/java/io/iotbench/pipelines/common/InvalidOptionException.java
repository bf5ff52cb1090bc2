package io.iotbench.pipelines.common;

/**
 * An option value that makes no sense (a non-positive count, an unknown name). Thrown by the commands'
 * {@code validate} methods before anything starts; {@link Cli} prints its message as one error line and
 * exits with {@link Cli#EXIT_USAGE}.
 */
public class InvalidOptionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidOptionException(String message) {
    super(message);
  }

  /** Fails with a message naming the option and the offending value unless {@code condition} holds. */
  public static void check(boolean condition, String option, Object value, String expectation) {
    if (!condition) {
      throw new InvalidOptionException("--" + option + "=" + value + ": " + expectation);
    }
  }
}
