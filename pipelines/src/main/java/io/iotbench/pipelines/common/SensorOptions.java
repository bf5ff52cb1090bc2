package io.iotbench.pipelines.common;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code --sensors}, declared once for every command that reads or writes rows of sensor values (generate,
 * prepare, cutoffs, score), so it has one type, one default and one description however many of these
 * commands run in one JVM (see {@link Cli}).
 */
public interface SensorOptions extends PipelineOptions {
  /** The number of sensors when {@code --sensors} is not given. */
  int DEFAULT_SENSORS = 100;

  @Description(
      "Number of sensors, i.e. values per row. prepare infers it from the first valid row when the option is "
          + "not given or is 0.")
  @Default.Integer(DEFAULT_SENSORS)
  int getSensors();

  void setSensors(int sensors);
}
