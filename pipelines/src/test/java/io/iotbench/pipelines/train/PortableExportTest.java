package io.iotbench.pipelines.train;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.model.scoring.Algorithm;
import io.iotbench.model.scoring.PortableModel;
import io.iotbench.model.scoring.Prediction;
import io.iotbench.model.scoring.Scorer;
import io.iotbench.pipelines.prepare.PreparedSet;
import io.iotbench.pipelines.testing.LocalSpark;
import io.iotbench.pipelines.testing.TrainingFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The portable model agrees with MLlib on every test row: the same label, and the probability of label 1
 * within 1e-9; and MLlib's own save/load round trip gives the same predictions.
 */
class PortableExportTest {
  private static SparkSession spark;
  private static Dataset<Row> train;
  private static Dataset<Row> test;

  @TempDir static Path data;
  @TempDir Path temp;

  @BeforeAll
  static void start() throws Exception {
    // Before Spark starts, so prepare runs on the DirectRunner without a second SparkContext.
    Path prepared = TrainingFixtures.prepare(data, TrainingFixtures.generatedLines(2500, 8, 21));
    spark = LocalSpark.start();
    train = TrainingSets.load(spark, prepared.toString(), PreparedSet.TRAIN).cache();
    test = TrainingSets.load(spark, prepared.toString(), PreparedSet.TEST).cache();
  }

  @AfterAll
  static void stop() {
    LocalSpark.stop(spark);
  }

  private static Map<String, Number> smallParams(Algorithm algorithm) {
    return switch (algorithm) {
      case LOGISTIC_REGRESSION -> Map.of();
      case RANDOM_FOREST -> Map.of("numTrees", 7, "maxDepth", 5);
      case GRADIENT_BOOSTED_TREES -> Map.of("maxIter", 6, "maxDepth", 3);
    };
  }

  private static ProbabilisticClassificationModel<?, ?> fit(Algorithm algorithm) {
    ProbabilisticClassifier<?, ?, ?> estimator = Hyperparameters.estimator(algorithm, 7);
    ParamMap params = new ParamMap();
    smallParams(algorithm).forEach((name, value) -> params.put(estimator.getParam(name), value));
    return estimator.fit(train, params);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void everyTestRowGetsMllibsLabelAndProbability(Algorithm algorithm) throws Exception {
    ProbabilisticClassificationModel<?, ?> fitted = fit(algorithm);
    PortableModel exported = PortableExport.of(fitted, Map.of("sparkVersion", spark.version()));
    // Through the file format, as the pipelines load it.
    Scorer scorer = PortableModel.parse(exported.toBytes(), "test").scorer();
    assertEquals(algorithm, scorer.algorithm());
    assertEquals(8, scorer.numFeatures());

    List<Row> rows =
        fitted.transform(test)
            .select(col("features"), col("prediction"), functions.vector_to_array(col("probability"), "float64").getItem(1))
            .collectAsList();
    assertTrue(rows.size() > 600, "test rows " + rows.size());
    double maxDifference = 0;
    int ones = 0;
    for (Row row : rows) {
      double[] x = ((Vector) row.get(0)).toArray();
      Prediction p = scorer.score(x);
      assertEquals((int) row.getDouble(1), p.label(), () -> algorithm + " label of " + java.util.Arrays.toString(x));
      maxDifference = Math.max(maxDifference, Math.abs(p.probability() - row.getDouble(2)));
      ones += p.label();
    }
    assertTrue(maxDifference <= 1e-9, algorithm + " probabilities differ by up to " + maxDifference);
    assertTrue(ones > rows.size() / 4 && ones < rows.size() * 3 / 4, "ones " + ones);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void mllibsOwnSaveAndLoadGivesTheSamePredictions(Algorithm algorithm) throws Exception {
    ProbabilisticClassificationModel<?, ?> fitted = fit(algorithm);
    String path = temp.resolve("mllib").toString();
    ((MLWritable) fitted).write().overwrite().save(path);
    assertTrue(Files.exists(temp.resolve("mllib/metadata")));
    ProbabilisticClassificationModel<?, ?> loaded =
        switch (algorithm) {
          case LOGISTIC_REGRESSION -> LogisticRegressionModel.load(path);
          case RANDOM_FOREST -> RandomForestClassificationModel.load(path);
          case GRADIENT_BOOSTED_TREES -> GBTClassificationModel.load(path);
        };
    List<Row> before = fitted.transform(test).select("prediction", "probability").collectAsList();
    List<Row> after = loaded.transform(test).select("prediction", "probability").collectAsList();
    assertEquals(before.size(), after.size());
    for (int i = 0; i < before.size(); i++) {
      assertEquals(before.get(i).getDouble(0), after.get(i).getDouble(0));
      double[] p = ((Vector) before.get(i).get(1)).toArray();
      double[] q = ((Vector) after.get(i).get(1)).toArray();
      assertEquals(p[1], q[1], 1e-12);
    }
    // And the portable export of the loaded model equals that of the fitted one.
    assertEquals(
        new String(PortableExport.of(fitted, Map.of()).toBytes()), new String(PortableExport.of(loaded, Map.of()).toBytes()));
  }
}
