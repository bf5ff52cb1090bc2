package io.iotbench.runners.portability;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.labels.CategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The study's bar chart: wall seconds per run, one group per pipeline, one bar per runner, each bar labelled with
 * its seconds and "DIFFERS" or "FAILED" when it does not match the reference. Drawn headless (no display here).
 */
public final class StudyChart {
  // Okabe-Ito colours: distinguishable with colour-blindness and readable on white (JFreeChart's default yellow is not).
  private static final Color[] PALETTE = {
    new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xCC79A7), new Color(0x56B4E9), new Color(0xD55E00)
  };

  private StudyChart() {}

  /** Writes the chart of {@code results} as a PNG of {@code width} × {@code height} pixels. */
  public static void write(List<StudyResult> results, Path png, int width, int height) throws IOException {
    System.setProperty("java.awt.headless", "true");
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    for (StudyResult r : results) {
      if (r.outcome() != StudyResult.Outcome.SKIPPED) {
        dataset.addValue(r.wallSeconds(), r.runner(), r.pipeline());
      }
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            "Portability study: wall seconds per run (lower is faster)", "pipeline", "wall seconds", dataset,
            PlotOrientation.VERTICAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    for (int i = 0; i < dataset.getRowCount(); i++) {
      renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
    }
    renderer.setDefaultItemLabelGenerator(new Labels(results));
    renderer.setDefaultItemLabelsVisible(true);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, width, height);
  }

  /** "12.3 s", with the verdict when the run does not match. */
  private static final class Labels implements CategoryItemLabelGenerator {
    private final List<StudyResult> results;

    Labels(List<StudyResult> results) {
      this.results = results;
    }

    @Override
    public String generateRowLabel(CategoryDataset dataset, int row) {
      return dataset.getRowKey(row).toString();
    }

    @Override
    public String generateColumnLabel(CategoryDataset dataset, int column) {
      return dataset.getColumnKey(column).toString();
    }

    @Override
    public String generateLabel(CategoryDataset dataset, int row, int column) {
      String runner = dataset.getRowKey(row).toString();
      String pipeline = dataset.getColumnKey(column).toString();
      for (StudyResult r : results) {
        if (r.runner().equals(runner) && r.pipeline().equals(pipeline)) {
          String seconds = String.format(Locale.ROOT, "%.1f s", r.wallSeconds());
          return switch (r.outcome()) {
            case FAILED -> seconds + " FAILED";
            case RAN -> r.equal() ? seconds : seconds + " DIFFERS";
            case SKIPPED -> "";
          };
        }
      }
      return "";
    }
  }
}
