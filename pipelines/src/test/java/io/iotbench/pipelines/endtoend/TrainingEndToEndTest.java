package io.iotbench.pipelines.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.model.scoring.Algorithm;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.evaluate.EvaluateModel;
import io.iotbench.pipelines.generate.GenerateTrainingData;
import io.iotbench.pipelines.prepare.PrepareTrainingSet;
import io.iotbench.pipelines.prepare.PreparedSet;
import io.iotbench.pipelines.testing.LocalSpark;
import io.iotbench.pipelines.testing.Runners;
import io.iotbench.pipelines.train.TrainModel;
import java.nio.file.Path;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * generate &rarr; prepare &rarr; train &rarr; evaluate on a small generated set, for each algorithm. Beam and MLlib
 * share one SparkContext: prepare runs on the SparkRunner with the test's Spark session's context, train fits on
 * that session, and evaluate scores with the portable model (DirectRunner, and SparkRunner on the same context).
 * Evaluate, without Spark MLlib, must report exactly the metrics train computed with MLlib on the same test set.
 */
class TrainingEndToEndTest {
  private static SparkSession spark;
  private static Path prepared;

  @TempDir static Path data;

  @BeforeAll
  static void generateAndPrepare() throws Exception {
    Path generated = data.resolve("generated");
    GenerateTrainingData.run(
        Cli.parse(
            Runners.args(Runners.DIRECT, "--rows=4200", "--sensors=20", "--partitions=3", "--output=" + generated),
            GenerateTrainingData.Options.class));
    spark = LocalSpark.start();
    prepared = data.resolve("prepared");
    PrepareTrainingSet.Options prepare =
        Cli.parse(new String[] {"--input=" + generated, "--output=" + prepared}, PrepareTrainingSet.Options.class);
    PipelineResult result = PrepareTrainingSet.run(LocalSpark.onSpark(prepare, spark));
    assertEquals(PipelineResult.State.DONE, result.getState());
    PreparedSet.Info info = PreparedSet.readInfo(prepared.toString());
    assertEquals(20, info.sensors());
    assertEquals(4200, info.trainRows() + info.testRows());
    assertEquals(0, info.rejectedRows());
  }

  @AfterAll
  static void stop() {
    LocalSpark.stop(spark);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void trainedModelsScoreTheTestSetIdenticallyInTheBeamEvaluation(Algorithm algorithm) throws Exception {
    Path model = data.resolve("model-" + algorithm.id());
    String[] params =
        switch (algorithm) {
          case LOGISTIC_REGRESSION -> new String[0];
          case RANDOM_FOREST -> new String[] {"--numTrees=10", "--maxDepth=6"};
          case GRADIENT_BOOSTED_TREES -> new String[] {"--maxIter=8", "--maxDepth=3"};
        };
    TrainModel.Outcome trained =
        TrainModel.run(
            Cli.parse(
                Runners.args(new String[] {"--input=" + prepared, "--model=" + model, "--algorithm=" + algorithm.id()}, params),
                TrainModel.Options.class),
            spark);
    double auroc = trained.best().metrics().auroc();
    if (algorithm == Algorithm.LOGISTIC_REGRESSION) {
      assertTrue(auroc >= 0.95, "logistic regression AUROC " + auroc);
    } else {
      assertTrue(auroc >= 0.8, algorithm + " AUROC " + auroc);
    }

    // Scored by the Beam pipeline with the portable model: the random forest on the shared SparkContext, the others
    // on the DirectRunner.
    Path evaluation = data.resolve("evaluation-" + algorithm.id());
    EvaluateModel.Options evaluate =
        Cli.parse(
            Runners.args(Runners.DIRECT, "--input=" + prepared, "--model=" + model, "--output=" + evaluation),
            EvaluateModel.Options.class);
    if (algorithm == Algorithm.RANDOM_FOREST) {
      LocalSpark.onSpark(evaluate, spark);
    }
    EvaluateModel.run(evaluate);
    Map<?, ?> metrics = EvaluateModel.readMetrics(evaluation.toString());
    assertEquals(trained.testRows(), ((Number) metrics.get("rows")).longValue());
    assertEquals(trained.best().metrics().errors(), ((Number) metrics.get("errors")).longValue());
    assertEquals(trained.best().metrics().accuracy(), ((Number) metrics.get("accuracy")).doubleValue(), 1e-12);
    assertEquals(auroc, ((Number) metrics.get("auroc")).doubleValue(), 1e-9);
    assertEquals(trained.best().metrics().aupr(), ((Number) metrics.get("aupr")).doubleValue(), 1e-9);
  }
}
