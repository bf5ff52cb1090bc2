package io.iotbench.runners.query;

import io.iotbench.model.scoring.LogisticRegressionScorer;
import io.iotbench.model.scoring.PortableModel;
import io.iotbench.model.scoring.Scorer;
import io.iotbench.pipelines.decisions.DecisionsTable;
import io.iotbench.pipelines.score.ModelLoader;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The question the operators ask: which machines are likely to break. For each device with an {@code attention}
 * decision in the newest {@code last} intervals of the table, newest first: its newest such interval (window end,
 * probability), how many of the {@code last} intervals asked for attention, and the three sensors that moved the
 * score most away from where a device starts (every sensor at 0.5):
 * <ul>
 *   <li>logistic regression: the sensor's term of the margin, coefficient × (value − 0.5), largest first;
 *   <li>tree ensembles (no coefficients): how much the probability drops when that sensor alone is put back to 0.5,
 *       p(x) − p(x with sensor i = 0.5), largest first — the same rule the linear case follows on the margin.
 * </ul>
 * The model is the row's {@code model} folder unless one is given.
 */
final class AttentionReport {
  static final int TOP = 3;
  private static final double START = 0.5;

  private AttentionReport() {}

  /** The report's rows. */
  static ResultTable run(Connection c, String table, int last, String modelOverride) throws SQLException, IOException, QueryException {
    ResultTable rows;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(DecisionsTable.attentionQuery(table, last))) {
      rows = ResultTable.read(rs);
    }
    List<Integer> sensorColumns = new ArrayList<>();
    for (int i = 1; rows.indexOf(DecisionsTable.sensorColumn(i)) >= 0; i++) {
      sensorColumns.add(rows.indexOf(DecisionsTable.sensorColumn(i)));
    }
    for (String needed : List.of("device", "interval", "window_end", "probability", "model", "attention_intervals")) {
      if (rows.indexOf(needed) < 0) {
        throw new QueryException("table " + table + " has no column " + needed + ": not a decisions table (docs/decisions-table.md)");
      }
    }
    Map<String, Scorer> models = new HashMap<>();
    List<Object[]> out = new ArrayList<>();
    for (Object[] row : rows.rows()) {
      String model = modelOverride != null ? modelOverride : String.valueOf(row[rows.indexOf("model")]);
      Scorer scorer = models.get(model);
      if (scorer == null) {
        PortableModel m = ModelLoader.load(model);
        scorer = m.scorer();
        models.put(model, scorer);
      }
      double[] x = new double[sensorColumns.size()];
      for (int i = 0; i < x.length; i++) {
        Object v = row[sensorColumns.get(i)];
        x[i] = v == null ? START : ((Number) v).doubleValue();
      }
      out.add(new Object[] {
        row[rows.indexOf("device")],
        row[rows.indexOf("interval")],
        row[rows.indexOf("window_end")],
        row[rows.indexOf("probability")],
        row[rows.indexOf("attention_intervals")] + " of " + last,
        topSensors(scorer, x)
      });
    }
    return new ResultTable(List.of("device", "interval", "window_end", "probability", "attention", "top_sensors"), out);
  }

  /** The {@link #TOP} sensors that moved the score most, as {@code sensor_17 +2.310, ...}. */
  static String topSensors(Scorer scorer, double[] x) {
    if (x.length != scorer.numFeatures()) {
      throw new IllegalArgumentException("the model has " + scorer.numFeatures() + " features but the row " + x.length + " sensors");
    }
    double[] effect = effects(scorer, x);
    Integer[] order = new Integer[x.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -effect[i]).thenComparingInt(i -> i));
    List<String> top = new ArrayList<>();
    for (int k = 0; k < Math.min(TOP, order.length); k++) {
      int i = order[k];
      top.add(String.format(Locale.ROOT, "%s %+.3f", DecisionsTable.sensorColumn(i + 1), effect[i]));
    }
    return String.join(", ", top);
  }

  /** Each sensor's effect on the score (see the class comment). */
  static double[] effects(Scorer scorer, double[] x) {
    double[] effect = new double[x.length];
    if (scorer instanceof LogisticRegressionScorer lr) {
      double[] w = lr.coefficients();
      for (int i = 0; i < x.length; i++) {
        effect[i] = w[i] * (x[i] - START);
      }
      return effect;
    }
    double p = scorer.probability(x);
    double[] moved = x.clone();
    for (int i = 0; i < x.length; i++) {
      moved[i] = START;
      effect[i] = p - scorer.probability(moved);
      moved[i] = x[i];
    }
    return effect;
  }
}
