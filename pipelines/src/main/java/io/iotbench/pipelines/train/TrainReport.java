package io.iotbench.pipelines.train;

import io.iotbench.model.scoring.Algorithm;
import io.iotbench.model.scoring.PortableModel;
import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.pipelines.evaluate.BinaryMetrics;
import java.time.Instant;
import java.util.Locale;

/**
 * The console report of {@code train}: the original's first line ({@code <time>: Training logistic regression model
 * and storing as M using data from D}), then ours: what it trains on, a line per run, the best run of a grid, the confusion
 * matrix, where the model folder went; then the original's {@code <time>: Trained logistic regression model and stored
 * as M} and {@code RESULT auroc=... aupr=... accuracy=...}. The algorithm reads as words there: logistic regression,
 * random forest, gradient-boosted trees.
 */
final class TrainReport {
  private final Algorithm algorithm;
  private final int runs;

  /**
   * @param algorithm the algorithm trained
   * @param runs how many runs the command trains
   */
  TrainReport(Algorithm algorithm, int runs) {
    this.algorithm = algorithm;
    this.runs = runs;
  }

  /** The algorithm in the original's words: {@code logistic regression}, {@code random forest}, {@code gradient-boosted trees}. */
  static String words(Algorithm algorithm) {
    return switch (algorithm) {
      case LOGISTIC_REGRESSION -> "logistic regression";
      case RANDOM_FOREST -> "random forest";
      case GRADIENT_BOOSTED_TREES -> "gradient-boosted trees";
    };
  }

  /** The original's first line, before the data is read. */
  void begin(String model, String input) {
    ConsoleReport.line(ConsoleReport.stampSeconds(Instant.now(),
        "Training " + words(algorithm) + " model and storing as " + model + " using data from " + input));
  }

  void start(TrainingSets sets, String input, String sparkVersion, String master) {
    ConsoleReport.line(
        String.format(
            Locale.ROOT,
            "Training %s on %d rows (%d labeled 1), testing on %d rows, from %s with Spark %s at %s%s",
            algorithm,
            sets.trainRows(),
            sets.trainOnes(),
            sets.testRows(),
            input,
            sparkVersion,
            master,
            runs > 1 ? ", " + runs + " runs" : ""));
  }

  void run(TrainModel.Run run) {
    ConsoleReport.line(
        String.format(
            Locale.ROOT,
            "run %d/%d %s: AUROC %.6f, AUPR %.6f, accuracy %.6f, fit %.2f s",
            run.number(),
            runs,
            Hyperparameters.describe(run.params()),
            run.metrics().auroc(),
            run.metrics().aupr(),
            run.metrics().accuracy(),
            run.fitSeconds()));
  }

  /** The closing lines, once the model folder {@code model} is saved. */
  void end(TrainModel.Run best, String model) {
    BinaryMetrics m = best.metrics();
    if (runs > 1) {
      ConsoleReport.line("Best: run " + best.number() + " " + Hyperparameters.describe(best.params()));
    }
    ConsoleReport.line(
        String.format(
            Locale.ROOT,
            "Confusion matrix on the test set: actual 0 -> predicted 0: %d, 1: %d; actual 1 -> predicted 0: %d, 1: %d",
            m.trueNegatives(),
            m.falsePositives(),
            m.falseNegatives(),
            m.truePositives()));
    ConsoleReport.line(
        "Saved " + algorithm + " model to " + model + " (MLlib format in " + ModelFolder.mllibPath(model)
            + ", portable " + PortableModel.FILE_NAME + ", " + ModelFolder.METRICS + ", " + ModelFolder.ROC + ", "
            + ModelFolder.LEADERBOARD_CSV + ")");
    ConsoleReport.line(ConsoleReport.stampSeconds(Instant.now(),
        "Trained " + words(algorithm) + " model and stored as " + model));
    ConsoleReport.line(String.format(Locale.ROOT, "RESULT auroc=%.6f aupr=%.6f accuracy=%.6f", m.auroc(), m.aupr(), m.accuracy()));
  }
}
