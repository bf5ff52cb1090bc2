package io.iotbench.pipelines.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws a ROC curve (false positive rate against true positive rate) with the chance diagonal as a PNG, with
 * JFreeChart. Rendering is headless: training runs on servers without a display.
 */
public final class RocChart {
  /** PNG size in pixels. */
  static final int WIDTH = 800;
  static final int HEIGHT = 640;

  static {
    // Must hold before AWT loads; no display is needed to render into an image.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private RocChart() {}

  /**
   * Writes the chart of {@code points} ((FPR, TPR) pairs in curve order) to {@code out}.
   *
   * @param title the chart's title, e.g. the algorithm
   * @param auroc shown in the legend
   */
  public static void writePng(OutputStream out, List<double[]> points, String title, double auroc) throws IOException {
    XYSeries curve = new XYSeries(String.format(Locale.ROOT, "ROC (AUROC %.4f)", auroc), false, true);
    for (double[] p : points) {
      curve.add(p[0], p[1]);
    }
    XYSeries chance = new XYSeries("chance", false, true);
    chance.add(0.0, 0.0);
    chance.add(1.0, 1.0);
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(curve);
    data.addSeries(chance);
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title, "False positive rate", "True positive rate", data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    for (NumberAxis axis : new NumberAxis[] {(NumberAxis) plot.getDomainAxis(), (NumberAxis) plot.getRangeAxis()}) {
      // A little margin, so a near-perfect curve along the left and top edges is not hidden by the plot border.
      axis.setRange(-0.01, 1.01);
    }
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    renderer.setSeriesPaint(0, new Color(0x1f, 0x77, 0xb4));
    renderer.setSeriesStroke(0, new BasicStroke(2.5f));
    renderer.setSeriesPaint(1, Color.GRAY);
    renderer.setSeriesStroke(
        1, new BasicStroke(1.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 6f}, 0f));
    plot.setRenderer(renderer);
    ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
  }
}
