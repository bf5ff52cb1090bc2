package io.iotbench.pipelines.generate;

import java.io.Serializable;
import org.apache.beam.sdk.io.Compression;

/**
 * What one generate run produces, resolved from its options: where, how many rows in how many partitions, and
 * how each row is made. Shipped to the workers with the DoFn.
 *
 * @param output the folder the files are written to, normalized (see {@link TrainingFiles#normalize}): the
 *     temporary sibling of the output folder in a command run
 * @param rowsPerPartition rows in each partition's file
 * @param partitions number of partitions, and of files
 * @param sensors values per row
 * @param cutoff label 1 iff the row's score exceeds it
 * @param seed the run's seed; each partition derives its own stream from it
 * @param compression compression of the files
 * @param runId identifies the run for progress reporting
 */
public record GenerateSpec(
    String output,
    long rowsPerPartition,
    int partitions,
    int sensors,
    double cutoff,
    long seed,
    Compression compression,
    String runId)
    implements Serializable {

  /** The spec of a run with validated {@code options}. */
  public static GenerateSpec of(GenerateTrainingData.Options options, String runId) {
    return of(options, TrainingFiles.normalize(options.getOutput()), runId);
  }

  /** The spec of a run with validated {@code options} that writes into {@code folder} instead of its output. */
  public static GenerateSpec of(GenerateTrainingData.Options options, String folder, String runId) {
    return new GenerateSpec(
        folder,
        GenerateTrainingData.rowsPerPartition(options),
        options.getPartitions(),
        options.getSensors(),
        options.getCutoff(),
        options.getSeed(),
        OutputCompression.parse(options.getCompression()),
        runId);
  }

  /** Rows over all partitions. */
  public long totalRows() {
    return rowsPerPartition * partitions;
  }
}
