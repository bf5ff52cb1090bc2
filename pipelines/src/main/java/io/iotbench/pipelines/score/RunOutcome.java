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
 */
public record RunOutcome(PipelineResult result, String reason, boolean stoppedAtEnd, double eventSeconds) {
  /** Whether the pipeline failed; a run stopped at its end did not, whatever state the runner reports after the stop. */
  public boolean failed() {
    return !stoppedAtEnd && result.getState() == PipelineResult.State.FAILED;
  }
}
