package io.iotbench.pipelines.train;

import io.iotbench.model.support.CpuTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.param.ParamMap;

/**
 * Fits the plan's estimator once per run of its grid on the training set, evaluates every model on the test set,
 * and keeps the model with the best test AUROC (the first of equals).
 */
final class GridSearch {
  private GridSearch() {}

  /**
   * What a search found.
   *
   * @param runs every run, in training order
   * @param best the run with the best test AUROC
   * @param model the model of {@code best}
   * @param roc the ROC points of {@code best} on the test set
   */
  record Result(List<TrainModel.Run> runs, TrainModel.Run best, ProbabilisticClassificationModel<?, ?> model, List<double[]> roc) {}

  /**
   * Trains every run of {@code plan} on {@code sets}.
   *
   * @param onRun told of each run as soon as it is evaluated
   */
  static Result run(TrainModel.Plan plan, TrainingSets sets, Consumer<TrainModel.Run> onRun) {
    boolean several = plan.runs().size() > 1;
    if (several) {
      sets.persist();
    }
    try {
      List<TrainModel.Run> runs = new ArrayList<>();
      TrainModel.Run best = null;
      ProbabilisticClassificationModel<?, ?> bestModel = null;
      List<double[]> bestRoc = null;
      for (ParamMap params : plan.runs()) {
        long start = System.nanoTime();
        long cpuStart = CpuTime.processNanos();
        ProbabilisticClassificationModel<?, ?> fitted = plan.estimator().fit(sets.train(), params);
        double fitSeconds = (System.nanoTime() - start) / 1e9;
        double fitCpuSeconds = (CpuTime.processNanos() - cpuStart) / 1e9;
        TestSetEvaluation evaluation = TestSetEvaluation.of(fitted, sets.test());
        TrainModel.Run run =
            new TrainModel.Run(
                runs.size() + 1,
                Hyperparameters.values(plan.algorithm(), plan.estimator(), params),
                evaluation.metrics(),
                fitSeconds,
                fitCpuSeconds);
        runs.add(run);
        onRun.accept(run);
        if (best == null || run.metrics().auroc() > best.metrics().auroc()) {
          best = run;
          bestModel = fitted;
          bestRoc = evaluation.roc();
        }
      }
      return new Result(List.copyOf(runs), best, bestModel, bestRoc);
    } finally {
      if (several) {
        sets.unpersist();
      }
    }
  }
}
