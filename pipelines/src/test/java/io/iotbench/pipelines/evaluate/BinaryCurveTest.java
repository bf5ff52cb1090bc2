package io.iotbench.pipelines.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BinaryCurveTest {
  /** The AUROC as the probability that a random positive outscores a random negative, ties counting half. */
  private static double pairwiseAuroc(double[] scores, int[] labels) {
    double wins = 0;
    long pairs = 0;
    for (int i = 0; i < scores.length; i++) {
      for (int j = 0; j < scores.length; j++) {
        if (labels[i] == 1 && labels[j] == 0) {
          pairs++;
          wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
        }
      }
    }
    return wins / pairs;
  }

  private static BinaryCurve curve(double[] scores, int[] labels) {
    TreeMap<Double, long[]> byScore = new TreeMap<>((a, b) -> Double.compare(b, a));
    for (int i = 0; i < scores.length; i++) {
      byScore.computeIfAbsent(scores[i], s -> new long[2])[labels[i]]++;
    }
    long[] positives = byScore.values().stream().mapToLong(c -> c[1]).toArray();
    long[] negatives = byScore.values().stream().mapToLong(c -> c[0]).toArray();
    return new BinaryCurve(positives, negatives);
  }

  @Test
  void theAreaUnderRocIsThePairwiseRankingProbabilityTiesIncluded() {
    SplittableRandom random = new SplittableRandom(1);
    double[] scores = new double[400];
    int[] labels = new int[400];
    for (int i = 0; i < scores.length; i++) {
      labels[i] = random.nextInt(2);
      // coarse scores make many ties; positives score higher on average
      scores[i] = Math.round((random.nextDouble() + 0.3 * labels[i]) * 20) / 20.0;
    }
    assertEquals(pairwiseAuroc(scores, labels), curve(scores, labels).auroc(), 1e-12);
  }

  @Test
  void smallCasesMatchSparkMllibsCurves() {
    // Spark: scores 0.9(1) 0.8(0) 0.7(1) 0.6(0): ROC (0,0) (0,.5) (.5,.5) (.5,1) (1,1) -> 0.75;
    // PR (0,1) (.5,1) (.5,.5) (1,2/3) (1,.5) -> 0.5*1 + 0 + 0.5*(.5+2/3)/2 = 0.7916...
    BinaryCurve c = new BinaryCurve(new long[] {1, 0, 1, 0}, new long[] {0, 1, 0, 1});
    assertEquals(0.75, c.auroc(), 1e-15);
    assertEquals(0.5 + 0.5 * (0.5 + 2.0 / 3) / 2, c.aupr(), 1e-15);
    BinaryCurve perfect = new BinaryCurve(new long[] {3, 0}, new long[] {0, 5});
    assertEquals(1.0, perfect.auroc(), 0);
    assertEquals(1.0, perfect.aupr(), 0);
    // everything tied: the diagonal
    assertEquals(0.5, new BinaryCurve(new long[] {4}, new long[] {6}).auroc(), 0);
  }

  @Test
  void thinningKeepsBothEndsAndAtMostAboutTheRequestedPoints() {
    double[] x = new double[10_001];
    double[] y = new double[10_001];
    for (int i = 0; i < x.length; i++) {
      x[i] = i / 10_000.0;
      y[i] = Math.sqrt(x[i]);
    }
    List<double[]> points = BinaryCurve.thin(x, y, 100);
    assertEquals(0.0, points.get(0)[0]);
    assertEquals(1.0, points.get(points.size() - 1)[0]);
    assertEquals(true, points.size() <= 102, "points " + points.size());
    List<double[]> all = BinaryCurve.thin(new double[] {0, 1}, new double[] {0, 1}, 100);
    assertEquals(2, new ArrayList<>(all).size());
  }
}
