package io.iotbench.pipelines.testing;

import org.apache.beam.runners.spark.SparkContextOptions;
import org.apache.beam.runners.spark.SparkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * One local Spark session shared by the tests of a class (start it in {@code @BeforeAll}, {@link #stop} it in
 * {@code @AfterAll}), and the way Beam pipelines of that class run on the same SparkContext: a JVM has one
 * SparkContext, so the SparkRunner must be given the session's context instead of creating its own (docs/design-notes.md, "Tests").
 */
public final class LocalSpark {
  private LocalSpark() {}

  /** A {@code local[2]} session with the UI off; joins a SparkContext that is already running in this JVM. */
  public static SparkSession start() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("iotbench-tests")
        .config("spark.ui.enabled", "false")
        // Small data: a few shuffle partitions instead of 200 empty tasks per aggregation.
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
  }

  /** Stops the session and its SparkContext; the SparkRunner of later tests starts its own again. */
  public static void stop(SparkSession spark) {
    if (spark != null) {
      spark.stop();
    }
  }

  /** {@code options} set to run on the SparkRunner with {@code spark}'s SparkContext. */
  public static <T extends PipelineOptions> T onSpark(T options, SparkSession spark) {
    SparkContextOptions spark3 = options.as(SparkContextOptions.class);
    spark3.setRunner(SparkRunner.class);
    spark3.setSparkMaster(spark.sparkContext().master());
    spark3.setUsesProvidedSparkContext(true);
    spark3.setProvidedSparkContext(JavaSparkContext.fromSparkContext(spark.sparkContext()));
    return options;
  }
}
