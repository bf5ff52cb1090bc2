package io.iotbench.pipelines.train;

import io.iotbench.model.scoring.Algorithm;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.classification.RandomForestClassifier;

/**
 * The MLlib estimator of each algorithm with the parameters of one training run: MLlib's own defaults for
 * everything not given (the original benchmark trains logistic regression with its defaults), a fixed seed for
 * the randomized tree algorithms.
 */
final class MllibEstimators {
  private MllibEstimators() {}

  /** The estimator for {@code algorithm} with {@code params} (names of {@link ParamSpec}) set. */
  static ProbabilisticClassifier<?, ?, ?> create(Algorithm algorithm, Map<String, Number> params, long seed) {
    return switch (algorithm) {
      case LOGISTIC_REGRESSION -> {
        LogisticRegression lr = new LogisticRegression();
        ifSet(params, ParamSpec.MAX_ITER, v -> lr.setMaxIter(v.intValue()));
        ifSet(params, ParamSpec.REG_PARAM, v -> lr.setRegParam(v.doubleValue()));
        ifSet(params, ParamSpec.ELASTIC_NET_PARAM, v -> lr.setElasticNetParam(v.doubleValue()));
        yield lr;
      }
      case RANDOM_FOREST -> {
        RandomForestClassifier rf = new RandomForestClassifier().setSeed(seed);
        ifSet(params, ParamSpec.NUM_TREES, v -> rf.setNumTrees(v.intValue()));
        ifSet(params, ParamSpec.MAX_DEPTH, v -> rf.setMaxDepth(v.intValue()));
        yield rf;
      }
      case GRADIENT_BOOSTED_TREES -> {
        GBTClassifier gbt = new GBTClassifier().setSeed(seed);
        ifSet(params, ParamSpec.MAX_ITER, v -> gbt.setMaxIter(v.intValue()));
        ifSet(params, ParamSpec.MAX_DEPTH, v -> gbt.setMaxDepth(v.intValue()));
        ifSet(params, ParamSpec.STEP_SIZE, v -> gbt.setStepSize(v.doubleValue()));
        yield gbt;
      }
    };
  }

  /** Every {@link ParamSpec} of the algorithm with the value the estimator will use (given or MLlib's default). */
  static Map<String, Number> effectiveParams(Algorithm algorithm, ProbabilisticClassifier<?, ?, ?> estimator) {
    Map<String, Number> params = new LinkedHashMap<>();
    switch (algorithm) {
      case LOGISTIC_REGRESSION -> {
        LogisticRegression lr = (LogisticRegression) estimator;
        params.put(ParamSpec.MAX_ITER.id(), lr.getMaxIter());
        params.put(ParamSpec.REG_PARAM.id(), lr.getRegParam());
        params.put(ParamSpec.ELASTIC_NET_PARAM.id(), lr.getElasticNetParam());
      }
      case RANDOM_FOREST -> {
        RandomForestClassifier rf = (RandomForestClassifier) estimator;
        params.put(ParamSpec.NUM_TREES.id(), rf.getNumTrees());
        params.put(ParamSpec.MAX_DEPTH.id(), rf.getMaxDepth());
      }
      case GRADIENT_BOOSTED_TREES -> {
        GBTClassifier gbt = (GBTClassifier) estimator;
        params.put(ParamSpec.MAX_ITER.id(), gbt.getMaxIter());
        params.put(ParamSpec.MAX_DEPTH.id(), gbt.getMaxDepth());
        params.put(ParamSpec.STEP_SIZE.id(), gbt.getStepSize());
      }
    }
    return params;
  }

  private interface Setter {
    void set(Number value);
  }

  private static void ifSet(Map<String, Number> params, ParamSpec spec, Setter setter) {
    Number value = params.get(spec.id());
    if (value != null) {
      setter.set(value);
    }
  }
}
