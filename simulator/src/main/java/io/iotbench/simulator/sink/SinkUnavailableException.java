package io.iotbench.simulator.sink;

import java.io.IOException;

/**
 * A sink's destination cannot be reached or used (connection refused, unknown host, timeout, port
 * in use). The message is one line that names the address, e.g.
 * {@code cannot connect to Kafka at 127.0.0.1:9092: Connection refused}; the simulator prints it and
 * exits with status 1.
 */
public class SinkUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  public SinkUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public SinkUnavailableException(String message) {
    super(message);
  }
}
