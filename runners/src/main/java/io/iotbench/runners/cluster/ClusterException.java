package io.iotbench.runners.cluster;

/**
 * A cluster operation that cannot proceed (already running, not running, a port in use, a daemon that died on
 * start). Its message is the one line the user sees.
 */
public class ClusterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ClusterException(String message) {
    super(message);
  }
}
