package io.iotbench.runners.query;

/** A query that cannot run on what it was pointed at (no table yet, a table of another shape), with the cause. */
final class QueryException extends Exception {
  private static final long serialVersionUID = 1L;

  QueryException(String message) {
    super(message);
  }
}
