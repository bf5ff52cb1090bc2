package io.iotbench.pipelines.common;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code --seed}, declared once for every command that draws random numbers (generate, prepare, cutoffs,
 * train), so it has one type, one default and one description however many of these commands run in one JVM
 * (see {@link Cli}).
 */
public interface SeedOptions extends PipelineOptions {
  /** The seed when {@code --seed} is not given. */
  long DEFAULT_SEED = 42;

  @Description(
      "Random seed: of the generated rows (generate), the train/test split (prepare), the randomized algorithms "
          + "(train) and the Monte Carlo simulation (cutoffs). The same seed gives the same rows and the same split "
          + "on every runner and every run.")
  @Default.Long(DEFAULT_SEED)
  long getSeed();

  void setSeed(long seed);
}
