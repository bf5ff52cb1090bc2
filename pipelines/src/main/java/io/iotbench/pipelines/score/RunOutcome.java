package io.iotbench.pipelines.score;

import org.apache.beam.sdk.PipelineResult;

/**
 * How a scorer run ended.
 *
 * @param result the pipeline's result, for its metrics and state
 * @param reason why it ended: {@code end of input}, {@code sentinel}, {@code --maxEvents}, {@code --maxRuntime},
 *     {@code SIGTERM} or {@code SIGINT}, or {@code pipeline <state>} when the pipeline ended on its own
 * @param stoppedAtEnd whether an end condition held and the run was stopped for it, however the stop went (a
 *     graceful stop can time out on a loaded machine; the run itself reached its end)
 * @param eventSeconds how long events kept arriving, from the poll before the first to the poll that saw the
 *     last (for a bounded run, the whole run, whose counters come only at its end); 0 if none came
 * @param sourceFailure why the source failed (its connection was lost for longer than the outage limit, or it was
 *     down when the run reached its end), or null if it stayed healthy; such a run failed, however it stopped
 * @param drain how the end-of-run drain went, or null for a run that was not drained (a bounded run, a run whose
 *     pipeline ended by itself or failed, Beam's KafkaIO source)
 */
public record RunOutcome(PipelineResult result, String reason, boolean stoppedAtEnd, double eventSeconds,
    String sourceFailure, Drain drain) {

  /**
   * The drain of a streaming run at its end: its sources were told to end, and the run waited at most
   * {@code --drainTimeout} for its last decisions and dead letters to be written.
   *
   * @param completed whether everything was written within the bound (else the run was stopped anyway)
   * @param seconds how long the drain took
   * @param timeoutSeconds the bound ({@code --drainTimeout})
   */
  public record Drain(boolean completed, double seconds, double timeoutSeconds) {}

  /** A run whose source stayed healthy, not drained. */
  public RunOutcome(PipelineResult result, String reason, boolean stoppedAtEnd, double eventSeconds) {
    this(result, reason, stoppedAtEnd, eventSeconds, null, null);
  }

  /** A run that was not drained. */
  public RunOutcome(PipelineResult result, String reason, boolean stoppedAtEnd, double eventSeconds, String sourceFailure) {
    this(result, reason, stoppedAtEnd, eventSeconds, sourceFailure, null);
  }

  /**
   * Whether the run failed: its source failed, the pipeline did, or its drain did not complete within
   * {@code --drainTimeout} (its last outputs may be missing); a run stopped at its end did not, whatever state the
   * runner reports after the stop.
   */
  public boolean failed() {
    return sourceFailure != null || drain != null && !drain.completed()
        || !stoppedAtEnd && result.getState() == PipelineResult.State.FAILED;
  }
}
