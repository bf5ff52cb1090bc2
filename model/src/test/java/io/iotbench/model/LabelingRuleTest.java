package io.iotbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LabelingRuleTest {

  @Test
  void scoreWeightsSensorIByI() {
    assertEquals(1.4, LabelingRule.score(new double[] {0.1, 0.2, 0.3}), 1e-12); // .1 + .4 + .9
    // sensor 1 weighs 1 and sensor 2 weighs 2 (the original Scala code's i+1 would give 2 and 3)
    assertEquals(1.0, LabelingRule.score(new double[] {1, 0}), 0);
    assertEquals(2.0, LabelingRule.score(new double[] {0, 1}), 0);
    assertEquals(0.0, LabelingRule.score(new double[0]), 0);
  }

  @Test
  void defaultCutoffIsTheExpectedScore() {
    assertEquals(1.5, LabelingRule.defaultCutoff(2), 0); // 0.25 * 2 * 3
    assertEquals(2525.0, LabelingRule.defaultCutoff(100), 0);
    assertEquals(2_500_025_000.0, LabelingRule.defaultCutoff(100_000), 0); // no int overflow
  }

  @Test
  void labelIsOneOnlyAboveTheCutoff() {
    double[] v = {0.1, 0.2, 0.3}; // score 1.4
    assertEquals(1, LabelingRule.label(v, 1.3));
    assertEquals(0, LabelingRule.label(v, 1.5));
    double[] exact = {0.5, 0.25}; // score exactly 1.0
    assertEquals(0, LabelingRule.label(exact, 1.0));
    assertEquals(1, LabelingRule.label(exact, Math.nextDown(1.0)));
  }
}
