package io.iotbench.pipelines.train;

import static org.apache.spark.sql.functions.col;

import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.common.storage.HadoopStorage;
import io.iotbench.pipelines.prepare.PreparedSet;
import java.io.IOException;
import java.util.Locale;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The training and test sets of a prepared folder as MLlib wants them (label as a double, features as a
 * vector), checked before any fit: both sets exist, the folder is complete (its marker), the training set has rows of both labels, the test set is
 * not empty.
 *
 * @param train the training set
 * @param test the test set
 * @param trainRows rows in the training set
 * @param trainOnes rows of the training set labeled 1
 * @param testRows rows in the test set
 */
record TrainingSets(Dataset<Row> train, Dataset<Row> test, long trainRows, long trainOnes, long testRows) {

  /**
   * Reads and checks the prepared folder {@code input}.
   *
   * @param option the {@code --input} value as given, for error lines
   * @throws InvalidOptionException naming {@code --input} if the folder is not prepared or a set is unusable
   */
  static TrainingSets read(SparkSession spark, String option, String input) throws IOException {
    requireSet(option, input, PreparedSet.TRAIN);
    requireSet(option, input, PreparedSet.TEST);
    PreparedSet.requireComplete("input", option, input);
    Dataset<Row> train = load(spark, input, PreparedSet.TRAIN);
    Dataset<Row> test = load(spark, input, PreparedSet.TEST);
    long[] labels = labelCounts(train);
    long trainRows = labels[0] + labels[1];
    InvalidOptionException.check(
        trainRows > 0,
        "input",
        option,
        "the training set is empty (no rows in " + PreparedSet.folder(input, PreparedSet.TRAIN) + ")");
    InvalidOptionException.check(
        labels[0] > 0 && labels[1] > 0,
        "input",
        option,
        String.format(
            Locale.ROOT,
            "the training set has a single class (all %d rows are labeled %d); a classifier needs rows of both labels",
            trainRows,
            labels[0] > 0 ? 0 : 1));
    long testRows = test.count();
    InvalidOptionException.check(
        testRows > 0, "input", option, "the test set is empty; prepare it with --testFraction above 0");
    return new TrainingSets(train, test, trainRows, labels[1], testRows);
  }

  /** A prepared set as MLlib wants it: label (double) and features (vector). */
  static Dataset<Row> load(SparkSession spark, String input, String set) {
    return spark
        .read()
        .parquet(HadoopStorage.hadoopPath(PreparedSet.folder(input, set)))
        .select(col("label"), functions.array_to_vector(col("features")).alias("features"));
  }

  /** Keeps both sets in memory, for several fits that would each read the Parquet files again. */
  void persist() {
    train.persist(StorageLevel.MEMORY_AND_DISK());
    test.persist(StorageLevel.MEMORY_AND_DISK());
  }

  void unpersist() {
    train.unpersist();
    test.unpersist();
  }

  private static void requireSet(String option, String input, String set) throws IOException {
    if (PreparedSet.match(PreparedSet.parquetGlob(input, set)).isEmpty()) {
      throw new InvalidOptionException(
          "--input=" + option + ": not a prepared folder: no Parquet files in " + PreparedSet.folder(input, set)
              + " (run iotbench prepare first)");
    }
  }

  /** Rows labeled 0 and labeled 1; reads the label column only. */
  private static long[] labelCounts(Dataset<Row> set) {
    long[] counts = new long[2];
    for (Row row : set.groupBy("label").count().collectAsList()) {
      counts[row.getDouble(0) == 1.0 ? 1 : 0] += row.getLong(1);
    }
    return counts;
  }
}
