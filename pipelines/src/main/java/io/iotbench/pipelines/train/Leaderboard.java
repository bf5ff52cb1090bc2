package io.iotbench.pipelines.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The training runs of one {@code train} command ranked by AUROC on the test set (best first; equal AUROCs keep
 * the order they ran in), as CSV and as a Markdown table: rank, run, the parameters, AUROC, AUPR, accuracy and
 * fit time.
 */
final class Leaderboard {
  private final List<TrainModel.Run> ranked;
  private final List<String> params;

  Leaderboard(List<TrainModel.Run> runs) {
    ranked = new ArrayList<>(runs);
    ranked.sort(Comparator.comparingDouble((TrainModel.Run r) -> r.metrics().auroc()).reversed());
    params = runs.isEmpty() ? List.of() : new ArrayList<>(runs.get(0).params().keySet());
  }

  String csv() {
    StringBuilder sb = new StringBuilder("rank,run");
    for (String p : params) {
      sb.append(',').append(p);
    }
    sb.append(",auroc,aupr,accuracy,fit_seconds\n");
    int rank = 1;
    for (TrainModel.Run r : ranked) {
      sb.append(rank++).append(',').append(r.number());
      for (String p : params) {
        sb.append(',').append(r.params().get(p));
      }
      sb.append(String.format(
          Locale.ROOT, ",%.6f,%.6f,%.6f,%.3f%n", r.metrics().auroc(), r.metrics().aupr(), r.metrics().accuracy(), r.fitSeconds()));
    }
    return sb.toString();
  }

  String markdown(String title) {
    StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n| rank | run |");
    StringBuilder rule = new StringBuilder("\n|---:|---:|");
    for (String p : params) {
      sb.append(' ').append(p).append(" |");
      rule.append("---:|");
    }
    sb.append(" AUROC | AUPR | accuracy | fit (s) |");
    rule.append("---:|---:|---:|---:|\n");
    sb.append(rule);
    int rank = 1;
    for (TrainModel.Run r : ranked) {
      sb.append("| ").append(rank++).append(" | ").append(r.number()).append(" |");
      for (String p : params) {
        sb.append(' ').append(r.params().get(p)).append(" |");
      }
      sb.append(String.format(
          Locale.ROOT, " %.4f | %.4f | %.4f | %.2f |%n", r.metrics().auroc(), r.metrics().aupr(), r.metrics().accuracy(), r.fitSeconds()));
    }
    return sb.toString();
  }
}
