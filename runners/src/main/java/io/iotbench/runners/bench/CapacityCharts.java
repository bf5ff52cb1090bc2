package io.iotbench.runners.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The capacity benchmark's charts, drawn headless with JFreeChart: the p99 decision latency against the offered
 * rate (one line per runner and device count, the SLO's latency bound as a horizontal line), and a run's lag over
 * time (decided and committed lag, the measured span marked).
 */
final class CapacityCharts {
  // Okabe-Ito colours, as the portability study's chart.
  private static final Color[] PALETTE = {
    new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xCC79A7), new Color(0x56B4E9),
    new Color(0xD55E00), new Color(0xF0E442), Color.BLACK
  };

  private CapacityCharts() {}

  /** p99 latency (s) against offered rate (events/s), one line per search; runs without a p99 are left out. */
  static void latencyVsRate(List<CapacityReport.Search> searches, Slo slo, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYSeriesCollection data = new XYSeriesCollection();
    for (CapacityReport.Search s : searches) {
      XYSeries series = new XYSeries(s.runner() + ", " + s.devices() + " device(s)", true, true);
      s.runs().stream().filter(f -> Double.isFinite(f.p99()))
          .sorted(Comparator.comparingDouble(RateFigures::offeredRate))
          .forEach(f -> series.addOrUpdate(f.offeredRate(), f.p99()));
      data.addSeries(series);
    }
    JFreeChart chart = ChartFactory.createXYLineChart("Decision latency p99 against offered rate",
        "offered rate (events/s)", "p99 decision latency (s)", data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = style(chart);
    ValueMarker bound = new ValueMarker(slo.maxLatencySeconds(), Color.RED, new BasicStroke(1.5f));
    bound.setLabel(String.format(Locale.ROOT, "SLO p99 <= %.1f s", slo.maxLatencySeconds()));
    bound.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
    bound.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
    plot.addRangeMarker(bound);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 600);
  }

  /** A run's lag over time (seconds since its first sample), with the measured span from {@code measureFrom}. */
  static void lagOverTime(RateFigures run, long measureFromMillis, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYSeries decided = new XYSeries("produced - decided (verdict)");
    XYSeries committed = new XYSeries("produced - committed (consumer group)");
    long first = run.samples().isEmpty() ? 0 : run.samples().get(0).millis();
    for (LagSample s : run.samples()) {
      double t = (s.millis() - first) / 1000.0;
      decided.add(t, s.lag());
      committed.add(t, s.committedLag());
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(decided);
    data.addSeries(committed);
    JFreeChart chart = ChartFactory.createXYLineChart(String.format(Locale.ROOT, "Lag of %s, %d device(s) at %,.0f events/s",
        run.runner(), run.devices(), run.offeredRate()), "seconds since the load started", "lag (events)", data,
        PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = style(chart);
    ValueMarker start = new ValueMarker((measureFromMillis - first) / 1000.0, Color.GRAY, new BasicStroke(1f));
    start.setLabel("measured span");
    start.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
    start.setLabelTextAnchor(TextAnchor.TOP_LEFT);
    plot.addDomainMarker(start);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 600);
  }

  private static XYPlot style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < plot.getDataset().getSeriesCount(); i++) {
      renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    plot.setRenderer(renderer);
    return plot;
  }
}
