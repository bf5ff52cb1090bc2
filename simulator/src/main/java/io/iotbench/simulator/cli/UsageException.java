package io.iotbench.simulator.cli;

/**
 * A command line that cannot be run: an unknown or malformed option, or a value out of range. The
 * message is the part after {@code iotbench <command>: error: }, e.g. {@code --rate=-1: must be >= 0};
 * commands print it on one line and exit with status 2.
 */
public class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
