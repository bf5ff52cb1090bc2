package io.iotbench.runners.db;

/** A database server that cannot be started, stopped or reached, with a message naming the cause. */
public final class DbException extends Exception {
  private static final long serialVersionUID = 1L;

  public DbException(String message) {
    super(message);
  }
}
