package io.iotbench.pipelines.generate;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Generates labeled training rows in {@code partitions} independent seeded streams and writes one file per
 * partition into {@code output}; emits what each partition wrote. The same seed gives byte-identical files on
 * every runner and every run.
 */
public class GenerateTrainingFiles extends PTransform<PBegin, PCollection<PartitionFile>> {
  private final String output;
  private final long rowsPerPartition;
  private final int partitions;
  private final int sensors;
  private final double cutoff;
  private final long seed;
  private final Compression compression;
  private final String runId;

  /**
   * @param output the output folder (any FileSystems location)
   * @param rowsPerPartition rows in each partition's file
   * @param partitions number of partitions, and of files
   * @param sensors values per row
   * @param cutoff label 1 iff the row's score exceeds it
   * @param seed the run's seed; each partition derives its own stream from it
   * @param compression compression of the files
   * @param runId identifies the run for progress reporting
   */
  public GenerateTrainingFiles(
      String output,
      long rowsPerPartition,
      int partitions,
      int sensors,
      double cutoff,
      long seed,
      Compression compression,
      String runId) {
    this.output = TrainingFiles.normalize(output);
    this.rowsPerPartition = rowsPerPartition;
    this.partitions = partitions;
    this.sensors = sensors;
    this.cutoff = cutoff;
    this.seed = seed;
    this.compression = compression;
    this.runId = runId;
  }

  @Override
  public PCollection<PartitionFile> expand(PBegin input) {
    List<Integer> partitionIds = IntStream.range(0, partitions).boxed().collect(Collectors.toList());
    return input
        .apply("ListPartitions", Create.of(partitionIds))
        // Spreads the partitions over the workers: a Create's few elements would otherwise sit in one bundle.
        .apply("SpreadPartitions", Reshuffle.viaRandomKey())
        .apply(
            "WritePartitionFiles",
            ParDo.of(
                new WritePartitionFileFn(
                    output, sensors, cutoff, seed, partitions, rowsPerPartition, compression, runId)));
  }
}
