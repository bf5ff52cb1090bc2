package io.iotbench.pipelines.score;

import org.apache.beam.sdk.PipelineResult;

/**
 * How a scorer run ended.
 *
 * @param result the pipeline's result, for its metrics and state
 * @param reason why it ended: {@code end of input}, {@code sentinel}, {@code --maxEvents}, {@code --maxRuntime},
 *     or {@code pipeline <state>} when the pipeline ended on its own
 * @param stoppedAtEnd whether an end condition held and the run was stopped for it, however the stop went (a
 *     graceful stop can time out on a loaded machine; the run itself reached its end)
 * @param eventSeconds how long events kept arriving, from the poll before the first to the poll that saw the
 *     last (for a bounded run, the whole run, whose counters come only at its end); 0 if none came
 * @param sourceFailure why the source failed (its connection was lost for longer than the outage limit, or it was
 *     down when the run reached its end), or null if it stayed healthy; such a run failed, however it stopped
 */
public record RunOutcome(PipelineResult result, String reason, boolean stoppedAtEnd, double eventSeconds,
    String sourceFailure) {

  /** A run whose source stayed healthy. */
  public RunOutcome(PipelineResult result, String reason, boolean stoppedAtEnd, double eventSeconds) {
    this(result, reason, stoppedAtEnd, eventSeconds, null);
  }

  /**
   * Whether the run failed: its source failed, or the pipeline did; a run stopped at its end did not, whatever state
   * the runner reports after the stop.
   */
  public boolean failed() {
    return sourceFailure != null || !stoppedAtEnd && result.getState() == PipelineResult.State.FAILED;
  }
}
