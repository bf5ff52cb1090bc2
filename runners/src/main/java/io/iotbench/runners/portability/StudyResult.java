package io.iotbench.runners.portability;

/**
 * One pipeline × runner cell of the study.
 *
 * @param pipeline the pipeline's name
 * @param runner the runner's name
 * @param outcome what happened
 * @param wallSeconds wall time of the whole run (JVM start to exit), 0 when not run
 * @param records records of the canonical output
 * @param sha256 the canonical checksum, empty when there is none
 * @param equal whether the output equals the reference run's (the reference is equal to itself)
 * @param note the first differing record, the failure's last line, or why the runner was skipped; empty otherwise
 */
public record StudyResult(
    String pipeline, String runner, Outcome outcome, double wallSeconds, long records, String sha256, boolean equal, String note) {

  /** What happened to a run. */
  public enum Outcome {
    /** Ran and produced a canonical output. */
    RAN,
    /** Started and failed, or its output could not be read. */
    FAILED,
    /** Not run: the runner is not available here. */
    SKIPPED
  }

  /** Records per wall second; 0 when not run. */
  public double recordsPerSecond() {
    return wallSeconds > 0 ? records / wallSeconds : 0;
  }

  /** The first 16 hex digits of the checksum, enough to tell outputs apart in a table. */
  public String shortChecksum() {
    return sha256.length() > 16 ? sha256.substring(0, 16) : sha256;
  }

  /** The table's verdict: ✓ equal to the reference, ✗ different or failed, – skipped. */
  public String mark() {
    return switch (outcome) {
      case RAN -> equal ? "✓" : "✗";
      case FAILED -> "✗";
      case SKIPPED -> "–";
    };
  }

  /** Whether this cell counts as a mismatch (a different answer or a failed run). */
  public boolean isMismatch() {
    return outcome == Outcome.FAILED || (outcome == Outcome.RAN && !equal);
  }

  static StudyResult skipped(String pipeline, String runner, String why) {
    return new StudyResult(pipeline, runner, Outcome.SKIPPED, 0, 0, "", false, why);
  }
}
