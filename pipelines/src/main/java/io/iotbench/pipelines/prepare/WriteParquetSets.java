package io.iotbench.pipelines.prepare;

import io.iotbench.model.TrainingRow;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes the training and test rows of a {@link SplitTrainingAndTestRows} result as Parquet files of
 * {@link PreparedSet#SCHEMA} into {@code train/} and {@code test/} of the prepared folder, named
 * {@code part-SSSSS-of-NNNNN.parquet}. The runner chooses the number of files (forcing a count would add a
 * shuffle of every row). Rows become Avro records inside the write step, so no record ever needs a coder.
 */
public class WriteParquetSets extends PTransform<PCollectionTuple, PDone> {
  private final String prepared;

  /** @param prepared the prepared folder */
  public WriteParquetSets(String prepared) {
    this.prepared = prepared;
  }

  @Override
  public PDone expand(PCollectionTuple sets) {
    write(sets.get(SplitTrainingAndTestRows.TRAIN), PreparedSet.TRAIN);
    write(sets.get(SplitTrainingAndTestRows.TEST), PreparedSet.TEST);
    return PDone.in(sets.getPipeline());
  }

  @SuppressWarnings("deprecation") // withIgnoreWindowing: see below
  private void write(PCollection<TrainingRow> rows, String name) {
    rows.apply(
        "Write" + Character.toUpperCase(name.charAt(0)) + name.substring(1) + "Parquet",
        FileIO.<TrainingRow>write()
            .via(
                Contextful.fn(PreparedSet::toRecord),
                // No withConfiguration: the sink would carry a Hadoop Configuration, and deserializing one parses
                // Hadoop's default XML each time (the DirectRunner spent 20 s on it for 200 rows). parquet-avro's
                // default two-level list layout is what Spark and parquet-avro read back.
                ParquetIO.sink(PreparedSet.SCHEMA))
            .to(PreparedSet.folder(prepared, name))
            .withPrefix("part")
            .withSuffix(".parquet")
            // Batch data in the global window needs no windowed writes, and on Beam 2.62's SparkRunner they lose
            // files: windowed WriteFiles finalizes each bundle of results separately after a void-key Reshuffle,
            // which the SparkRunner spreads over partitions, so each partition names its files "shard i of n" of
            // its own and they overwrite each other (4 input files: 1 of 4 output files survived). The
            // non-windowed path, which TextIO.write() also takes, finalizes all results together.
            .withIgnoreWindowing());
  }
}
