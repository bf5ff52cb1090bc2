package io.iotbench.pipelines.evaluate;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How well a binary classifier did on a labeled set: the areas under the ROC and precision-recall curves of
 * its probability of label 1 (as Spark's {@code BinaryClassificationMetrics} computes them, exact, without
 * binning), its accuracy and its confusion matrix. {@code train} and {@code evaluate} write it as
 * {@code metrics.json} with the same fields.
 *
 * @param rows rows scored
 * @param auroc area under the ROC curve
 * @param aupr area under the precision-recall curve
 * @param truePositives label 1 predicted 1
 * @param falsePositives label 0 predicted 1
 * @param trueNegatives label 0 predicted 0
 * @param falseNegatives label 1 predicted 0
 */
public record BinaryMetrics(
    long rows,
    double auroc,
    double aupr,
    long truePositives,
    long falsePositives,
    long trueNegatives,
    long falseNegatives)
    implements Serializable {

  /** Share of rows predicted right (0 for no rows). */
  public double accuracy() {
    return rows == 0 ? 0 : (double) (truePositives + trueNegatives) / rows;
  }

  /** Rows predicted wrong. */
  public long errors() {
    return falsePositives + falseNegatives;
  }

  /** The fields of {@code metrics.json}, in order; {@code extra} entries come first. */
  public Map<String, Object> toJsonMap(Map<String, Object> extra) {
    Map<String, Object> json = new LinkedHashMap<>(extra);
    json.put("rows", rows);
    json.put("auroc", auroc);
    json.put("aupr", aupr);
    json.put("accuracy", accuracy());
    json.put("errors", errors());
    Map<String, Object> confusion = new LinkedHashMap<>();
    confusion.put("truePositives", truePositives);
    confusion.put("falsePositives", falsePositives);
    confusion.put("trueNegatives", trueNegatives);
    confusion.put("falseNegatives", falseNegatives);
    json.put("confusionMatrix", confusion);
    return json;
  }

  /** The confusion matrix as CSV: a header, then one line per actual label. */
  public String confusionCsv() {
    return "actual,predicted_0,predicted_1\n"
        + "0," + trueNegatives + "," + falsePositives + "\n"
        + "1," + falseNegatives + "," + truePositives + "\n";
  }
}
