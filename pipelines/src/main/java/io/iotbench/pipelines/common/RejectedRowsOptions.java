package io.iotbench.pipelines.common;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code --maxRejectedFraction}, declared once for the commands that read labeled rows (prepare, evaluate), so it
 * has one type and one default however many of them run in one JVM (see {@link Cli}).
 */
public interface RejectedRowsOptions extends PipelineOptions {
  /** The share of rejected rows above which a run fails, when not given. */
  double DEFAULT_MAX_REJECTED_FRACTION = 0.5;

  @Description(
      "The run fails (exit 1, after writing its dead letters) when every row is rejected or more than this share "
          + "of the rows read, within [0, 1]; the error line names the likely cause.")
  @Default.Double(DEFAULT_MAX_REJECTED_FRACTION)
  double getMaxRejectedFraction();

  void setMaxRejectedFraction(double fraction);
}
