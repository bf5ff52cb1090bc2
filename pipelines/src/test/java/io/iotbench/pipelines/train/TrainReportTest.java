package io.iotbench.pipelines.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.model.scoring.Algorithm;
import io.iotbench.pipelines.evaluate.BinaryMetrics;
import io.iotbench.pipelines.testing.ConsoleCapture;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainReportTest {
  /** The original's time prefix, to the second. */
  private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ: ";

  private static TrainModel.Run run(int number, double auroc) {
    Map<String, Number> params = new LinkedHashMap<>();
    params.put("numTrees", 5);
    params.put("maxDepth", number);
    return new TrainModel.Run(number, params, new BinaryMetrics(100, auroc, 0.5, 40, 10, 45, 5), 1.234, 2.0);
  }

  @Test
  void aGridReportsEveryRunTheBestAndTheResult() throws Exception {
    TrainReport report = new TrainReport(Algorithm.RANDOM_FOREST, 2);
    ConsoleCapture console = new ConsoleCapture();
    console.capture(() -> {
      report.begin("/data/model", "/data/prepared");
      report.start(new TrainingSets(null, null, 400, 180, 100), "/data/prepared", "3.5.5", "local[2]");
      report.run(run(1, 0.9));
      report.run(run(2, 0.95));
      report.end(run(2, 0.95), "/data/model");
      return null;
    });
    List<String> out = console.outLines();
    assertEquals(9, out.size(), String.join("\n", out));
    assertTrue(out.get(0).matches(TIME + "Training random forest model and storing as /data/model using data from /data/prepared"), out.get(0));
    assertEquals(
        List.of(
            "Training random-forest on 400 rows (180 labeled 1), testing on 100 rows, from /data/prepared with Spark 3.5.5 at local[2], 2 runs",
            "run 1/2 numTrees=5 maxDepth=1: AUROC 0.900000, AUPR 0.500000, accuracy 0.850000, fit 1.23 s",
            "run 2/2 numTrees=5 maxDepth=2: AUROC 0.950000, AUPR 0.500000, accuracy 0.850000, fit 1.23 s",
            "Best: run 2 numTrees=5 maxDepth=2",
            "Confusion matrix on the test set: actual 0 -> predicted 0: 45, 1: 10; actual 1 -> predicted 0: 5, 1: 40",
            "Saved random-forest model to /data/model (MLlib format in /data/model/mllib/, portable model.json, "
                + "metrics.json, roc.png, leaderboard.csv)"),
        out.subList(1, 7));
    assertTrue(out.get(7).matches(TIME + "Trained random forest model and stored as /data/model"), out.get(7));
    assertEquals("RESULT auroc=0.950000 aupr=0.500000 accuracy=0.850000", out.get(8));
  }

  @Test
  void aSingleRunHasNoRunCountAndNoBestLine() throws Exception {
    TrainReport report = new TrainReport(Algorithm.LOGISTIC_REGRESSION, 1);
    ConsoleCapture console = new ConsoleCapture();
    console.capture(() -> {
      report.begin("/m", "/p");
      report.start(new TrainingSets(null, null, 400, 180, 100), "/p", "3.5.5", "local[2]");
      report.end(run(1, 0.9), "/m");
      return null;
    });
    List<String> out = console.outLines();
    assertTrue(out.get(0).matches(TIME + "Training logistic regression model and storing as /m using data from /p"), out.get(0));
    assertEquals("Training logistic-regression on 400 rows (180 labeled 1), testing on 100 rows, from /p with Spark 3.5.5 at local[2]", out.get(1));
    assertEquals("Confusion matrix on the test set: actual 0 -> predicted 0: 45, 1: 10; actual 1 -> predicted 0: 5, 1: 40", out.get(2));
    assertTrue(out.get(4).matches(TIME + "Trained logistic regression model and stored as /m"), out.get(4));
    assertEquals(6, out.size());
  }

  @Test
  void everyAlgorithmHasItsWords() {
    assertEquals("logistic regression", TrainReport.words(Algorithm.LOGISTIC_REGRESSION));
    assertEquals("random forest", TrainReport.words(Algorithm.RANDOM_FOREST));
    assertEquals("gradient-boosted trees", TrainReport.words(Algorithm.GRADIENT_BOOSTED_TREES));
  }
}
