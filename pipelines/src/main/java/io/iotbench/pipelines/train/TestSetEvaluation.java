package io.iotbench.pipelines.train;

import static org.apache.spark.sql.functions.col;

import io.iotbench.pipelines.evaluate.BinaryCurve;
import io.iotbench.pipelines.evaluate.BinaryMetrics;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.functions;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The test-set metrics of one fitted model (AUROC, area under PR, accuracy, confusion matrix) and its ROC points,
 * thinned for drawing.
 *
 * @param metrics on the test set
 * @param roc (false positive rate, true positive rate) pairs in curve order
 */
record TestSetEvaluation(BinaryMetrics metrics, List<double[]> roc) {
  /** The most ROC points drawn; a test set has one per distinct score. */
  private static final int ROC_CHART_POINTS = 2000;

  static TestSetEvaluation of(ProbabilisticClassificationModel<?, ?> model, Dataset<Row> test) {
    Dataset<Row> predictions =
        model
            .transform(test)
            .select(
                functions.vector_to_array(col("probability"), "float64").getItem(1).alias("probability"),
                col("label"),
                col("prediction"))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      JavaRDD<Tuple2<Object, Object>> scoreAndLabels =
          predictions.toJavaRDD().map(row -> new Tuple2<Object, Object>(row.getDouble(0), row.getDouble(1)));
      // numBins 0: exact areas, one curve point per distinct score, as evaluate computes them too.
      BinaryClassificationMetrics curves = new BinaryClassificationMetrics(scoreAndLabels.rdd(), 0);
      double auroc = curves.areaUnderROC();
      double aupr = curves.areaUnderPR();
      List<Tuple2<Object, Object>> roc = curves.roc().toJavaRDD().collect();
      curves.unpersist();
      double[] fpr = new double[roc.size()];
      double[] tpr = new double[roc.size()];
      for (int i = 0; i < roc.size(); i++) {
        fpr[i] = (Double) roc.get(i)._1();
        tpr[i] = (Double) roc.get(i)._2();
      }
      long[][] confusion = new long[2][2];
      long rows = 0;
      for (Row row : predictions.groupBy("label", "prediction").count().collectAsList()) {
        confusion[row.getDouble(0) == 1.0 ? 1 : 0][row.getDouble(1) == 1.0 ? 1 : 0] += row.getLong(2);
        rows += row.getLong(2);
      }
      BinaryMetrics metrics =
          new BinaryMetrics(rows, auroc, aupr, confusion[1][1], confusion[0][1], confusion[0][0], confusion[1][0]);
      return new TestSetEvaluation(metrics, BinaryCurve.thin(fpr, tpr, ROC_CHART_POINTS));
    } finally {
      predictions.unpersist();
    }
  }
}
