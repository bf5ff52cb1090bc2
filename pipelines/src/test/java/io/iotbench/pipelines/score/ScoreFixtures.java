package io.iotbench.pipelines.score;

import io.iotbench.model.scoring.LogisticRegressionScorer;
import io.iotbench.model.scoring.PortableModel;
import io.iotbench.model.scoring.Prediction;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.testing.Runners;
import io.iotbench.pipelines.train.ModelFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** Shared fixtures: a 3-sensor model whose decisions are easy to reason about, event lines, options. */
final class ScoreFixtures {
  /** Interval 1 starts here. */
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final double[] COEFFICIENTS = {1, 1, 1};
  static final double INTERCEPT = -2.0;
  /** Attention iff s1 + s2 + s3 > 2 (all 0.5 at start: 1.5, OK). */
  static final LogisticRegressionScorer SCORER = new LogisticRegressionScorer(COEFFICIENTS, INTERCEPT, 0.5);

  private ScoreFixtures() {}

  /** Publishes the model folder {@code dir} (model.json and its marker) with {@code features} coefficients of 1. */
  static Path writeModel(Path dir, int features) throws IOException {
    double[] c = new double[features];
    java.util.Arrays.fill(c, 1.0);
    ModelFolder.writePortable(dir.toString(), PortableModel.logisticRegression(c, INTERCEPT, 0.5, Map.of()));
    return dir;
  }

  /** A CSV line at T0 + {@code millis}. */
  static String csv(long millis, int sensor, double value) {
    return T0.plusMillis(millis) + "," + sensor + ",Sensor " + sensor + "," + value;
  }

  /** A CSV line with a device field. */
  static String csv(long millis, int sensor, double value, String device) {
    return csv(millis, sensor, value) + "," + device;
  }

  static String sentinel(long millis) {
    return T0.plusMillis(millis) + ",-1,Sensor -1,0.0";
  }

  static org.joda.time.Instant at(long millis) {
    return new org.joda.time.Instant(T0.toEpochMilli() + millis);
  }

  /** The expected decision of interval {@code n} (1-based) for the vector {@code s1, s2, s3}. */
  static Decision decision(String device, int n, long events, double[] vector, boolean late, boolean outOfOrder, boolean revised) {
    Prediction p = SCORER.score(vector);
    return new Decision(T0.toEpochMilli() + n * 1000L, n, device, events, p.probability(), p.label(), late, outOfOrder, revised, false);
  }

  static ScoreSensorStream.Options options(String[] runner, Path model, String... args) {
    String[] all = Runners.args(runner, Runners.args(new String[] {"--model=" + model, "--sensors=3", "--interval=1"}, args));
    return Cli.parse(all, ScoreSensorStream.Options.class);
  }

  static IntervalNumbering numbering() {
    return new IntervalNumbering(T0.toEpochMilli(), 1000);
  }
}
