package io.iotbench.pipelines.evaluate;

import java.util.ArrayList;
import java.util.List;

/**
 * The ROC and precision-recall curves of scores, computed as Spark MLlib's {@code BinaryClassificationMetrics}
 * does with no binning, so that {@code evaluate} (Beam, no Spark) reports the same areas as {@code train}: one
 * point per distinct score, from the highest down, at the cumulative counts of rows scored at least that high;
 * ROC = (0,0), (FPR, TPR) points, (1,1); PR = (0, precision at the first point), (recall, precision) points;
 * areas by the trapezoid rule. Precision is 1 where nothing is predicted positive; recall and FPR are 0 when
 * there are no positives or negatives.
 */
public final class BinaryCurve {
  private final double auroc;
  private final double aupr;

  /**
   * @param positives per distinct score, from the highest score down: rows of label 1
   * @param negatives the same for rows of label 0
   */
  public BinaryCurve(long[] positives, long[] negatives) {
    int n = positives.length;
    long totalPositives = 0;
    long totalNegatives = 0;
    for (int i = 0; i < n; i++) {
      totalPositives += positives[i];
      totalNegatives += negatives[i];
    }
    double[] fpr = new double[n + 2];
    double[] tpr = new double[n + 2];
    double[] recall = new double[n + 1];
    double[] precision = new double[n + 1];
    long tp = 0;
    long fp = 0;
    for (int i = 0; i < n; i++) {
      tp += positives[i];
      fp += negatives[i];
      fpr[i + 1] = totalNegatives == 0 ? 0.0 : (double) fp / totalNegatives;
      tpr[i + 1] = totalPositives == 0 ? 0.0 : (double) tp / totalPositives;
      recall[i + 1] = tpr[i + 1];
      precision[i + 1] = tp + fp == 0 ? 1.0 : (double) tp / (tp + fp);
    }
    fpr[n + 1] = 1.0;
    tpr[n + 1] = 1.0;
    recall[0] = 0.0;
    precision[0] = n == 0 ? 1.0 : precision[1];
    auroc = area(fpr, tpr, n + 2);
    aupr = area(recall, precision, n + 1);
  }

  private static double area(double[] x, double[] y, int points) {
    double sum = 0;
    for (int i = 1; i < points; i++) {
      sum += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2.0;
    }
    return sum;
  }

  public double auroc() {
    return auroc;
  }

  public double aupr() {
    return aupr;
  }

  /** Evenly thins a curve to at most about {@code maxPoints} points, keeping both ends. */
  public static List<double[]> thin(double[] x, double[] y, int maxPoints) {
    int n = x.length;
    int step = Math.max(1, (n + maxPoints - 1) / Math.max(1, maxPoints));
    List<double[]> points = new ArrayList<>();
    for (int i = 0; i < n; i += step) {
      points.add(new double[] {x[i], y[i]});
    }
    if (n > 0 && (n - 1) % step != 0) {
      points.add(new double[] {x[n - 1], y[n - 1]});
    }
    return points;
  }
}
