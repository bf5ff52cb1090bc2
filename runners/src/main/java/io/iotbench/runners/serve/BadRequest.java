package io.iotbench.runners.serve;

/**
 * A request the server refuses, with the HTTP status and the one-line problem it names in the JSON error body
 * ({@code {"error": "..."}}). Thrown by the request parsing; the server turns it into the answer.
 */
final class BadRequest extends RuntimeException {
  private final int status;

  BadRequest(int status, String problem) {
    super(problem, null, false, false);
    this.status = status;
  }

  /** A 400 Bad Request. */
  BadRequest(String problem) {
    this(400, problem);
  }

  int status() {
    return status;
  }
}
