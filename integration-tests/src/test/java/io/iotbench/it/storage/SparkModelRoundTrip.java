package io.iotbench.it.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.storage.HadoopStorage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.runners.spark.translation.SparkContextFactory;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What {@code train} does with a store, without {@code train} itself: Spark SQL writes and reads a Parquet set and
 * MLlib saves and loads a fitted model at a Beam location mapped by {@link HadoopStorage} ({@code s3://} to
 * {@code s3a://} with the pipeline's endpoint, region, path style and credential chain; {@code hdfs://} as is), and
 * Beam FileSystems then sees the files Spark wrote at the Beam location. Everything is compared with the same steps
 * on local disk.
 */
final class SparkModelRoundTrip {

  private SparkModelRoundTrip() {}

  /**
   * The JVM's one local Spark session, over the SparkContext that Beam's SparkRunner reuses in tests
   * (beam.spark.test.reuseSparkContext): Beam creates it, or finds it, and getOrCreate() wraps it. Created the other
   * way round, the SparkRunner would try a second SparkContext and fail. Never stopped, for the same reason.
   */
  static SparkSession spark() {
    SparkPipelineOptions options = PipelineOptionsFactory.fromArgs(StoredFiles.SPARK).as(SparkPipelineOptions.class);
    SparkContextFactory.getSparkContext(options);
    return SparkSession.builder().getOrCreate();
  }

  static Dataset<Row> rows(SparkSession spark) {
    Random random = new Random(5);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      double a = random.nextDouble();
      double b = random.nextDouble();
      rows.add(RowFactory.create(a + 2 * b > 1.5 ? 1.0 : 0.0, Vectors.dense(a, b)));
    }
    StructType schema = new StructType(new StructField[] {
        new StructField("label", DataTypes.DoubleType, false, Metadata.empty()),
        new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty())});
    return spark.createDataFrame(rows, schema);
  }

  /** Prepared rows and the fitted model's parameters after the round trip through {@code location}. */
  record Result(long rows, double[] coefficients, double intercept, String metadata) {}

  /** Writes, reads back, fits, saves, loads: everything at {@code location} (a Beam location) with {@code options}. */
  static Result run(String location, List<String> options) throws Exception {
    SparkSession spark = spark();
    PipelineOptions parsed = Cli.parse(StoredFiles.args(new String[0], options), PipelineOptions.class);
    HadoopStorage.configure(spark.sparkContext().hadoopConfiguration(), parsed);

    String prepared = HadoopStorage.hadoopPath(location + "/prepared");
    rows(spark).write().mode(SaveMode.Overwrite).parquet(prepared);
    Dataset<Row> train = spark.read().parquet(prepared);
    long count = train.count();

    LogisticRegressionModel fitted = new LogisticRegression().setMaxIter(20).setRegParam(0.01).fit(train);
    String mllib = HadoopStorage.hadoopPath(location + "/model/mllib");
    fitted.write().overwrite().save(mllib);
    LogisticRegressionModel loaded = LogisticRegressionModel.load(mllib);
    assertArrayEquals(fitted.coefficients().toArray(), loaded.coefficients().toArray(), 0.0);

    // Beam, reading the Beam location, sees the model Spark wrote through Hadoop.
    Map<String, byte[]> metadata = StoredFiles.read(location + "/model/mllib/metadata", options);
    assertTrue(metadata.containsKey("part-00000"), metadata.keySet().toString());
    String json = new String(metadata.get("part-00000"), StandardCharsets.UTF_8);
    return new Result(count, loaded.coefficients().toArray(), loaded.intercept(), json.substring(0, json.indexOf(',')));
  }

  static void assertSame(Result expected, Result actual) {
    assertEquals(200, expected.rows());
    assertEquals(expected.rows(), actual.rows());
    assertArrayEquals(expected.coefficients(), actual.coefficients(), 1e-9);
    assertEquals(expected.intercept(), actual.intercept(), 1e-9);
    assertEquals("{\"class\":\"org.apache.spark.ml.classification.LogisticRegressionModel\"", expected.metadata());
    assertEquals(expected.metadata(), actual.metadata());
  }
}
