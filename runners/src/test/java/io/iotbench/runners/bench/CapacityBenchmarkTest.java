package io.iotbench.runners.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.model.scoring.PortableModel;
import io.iotbench.pipelines.score.Decision;
import io.iotbench.pipelines.score.DecisionsTopic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapacityBenchmarkTest {
  private static final Slo SLO = new Slo(2.0, 0.01);

  private static List<LagSample> lagLine(long startMillis, int seconds, double intercept, double slope) {
    List<LagSample> samples = new ArrayList<>();
    for (int i = 0; i <= seconds; i++) {
      long produced = 1000L * i;
      samples.add(new LagSample(startMillis + 1000L * i, produced, 0, produced - Math.round(intercept + slope * i)));
    }
    return samples;
  }

  @Test
  void theLagSlopeIsTheLeastSquaresLineOverTheMeasuredSpanOnly() {
    List<LagSample> samples = new ArrayList<>(lagLine(0, 60, 500, 0));
    // A warm-up that drained a backlog (lag falling fast) before the span: it must not count.
    samples.replaceAll(s -> s.millis() < 10_000 ? s.withScored(s.produced() - (10_000 - s.millis())) : s);
    assertEquals(0.0, LagTrend.slope(samples, 10_000, 60_000), 1e-9);
    assertEquals(25.0, LagTrend.slope(lagLine(0, 60, 500, 25), 10_000, 60_000), 1e-9);
    assertEquals(1000.0, LagTrend.producedRate(samples, 10_000, 60_000), 1e-9);
    assertTrue(Double.isNaN(LagTrend.slope(samples, 70_000, 80_000)));
  }

  @Test
  void theSloNeedsTheP99AndTheLagSlopeAndTheOfferedRate() {
    assertEquals(2.0, Slo.scorerDefault().maxLatencySeconds(), 1e-9); // score's --maxOutOfOrderness default 1 s + 1 s
    assertNull(SLO.miss(10_000, 9_990, 2.0, 100)); // slope exactly 1% of the rate
    assertEquals("lag slope 101.0 > 100.0 events/s per s", SLO.miss(10_000, 9_990, 1.0, 101));
    assertEquals("p99 2.01 s > 2.00 s", SLO.miss(10_000, 9_990, 2.01, 0));
    assertEquals("generator reached only 9000 events/s", SLO.miss(10_000, 9_000, 1.0, 0));
    assertEquals("p99 NaN s > 2.00 s", SLO.miss(10_000, 10_000, Double.NaN, 0)); // no decisions: missed
  }

  private static RateFigures fake(double rate, double capacity) {
    boolean met = rate <= capacity;
    return new RateFigures("spark", 1, rate, rate, 0.5, met ? 1.0 : 9.0, 2.0, met ? 0 : rate / 2, 0, 10, 4.0,
        met ? null : "p99 9.00 s > 2.00 s", List.of());
  }

  @Test
  void theSearchRampsUpByTwoThenBisectsToWithinFivePercent() throws Exception {
    List<Double> measured = new ArrayList<>();
    List<RateFigures> runs = RateSearch.search(1000, 0.05, 20, rate -> {
      measured.add(rate);
      return fake(rate, 6000);
    });
    // 6,000 met and 6,250 missed are within 5% of each other: the search stops there.
    assertEquals(List.of(1000.0, 2000.0, 4000.0, 8000.0, 6000.0, 7000.0, 6500.0, 6250.0), measured);
    assertEquals(6000.0, RateSearch.capacity(runs));
    assertEquals(6000.0, RateSearch.atCapacity(runs).offeredRate());
  }

  @Test
  void theSearchRampsDownWhenTheStartMissesAndStopsAtMaxSteps() throws Exception {
    List<Double> measured = new ArrayList<>();
    List<RateFigures> runs = RateSearch.search(8000, 0.05, 3, rate -> {
      measured.add(rate);
      return fake(rate, 1500);
    });
    assertEquals(List.of(8000.0, 4000.0, 2000.0), measured);
    assertEquals(0.0, RateSearch.capacity(runs));
    assertNull(RateSearch.atCapacity(runs));
  }

  private static DecisionsTopic.Published published(long windowEndMillis, String device, long events, long appendedMillis) {
    return new DecisionsTopic.Published(
        new Decision(windowEndMillis, windowEndMillis / 1000, device, events, 0.5, 0, false, false, false, false),
        appendedMillis);
  }

  @Test
  void latenciesAreAppendTimeMinusWindowEndAndAMissingWindowCountsUntilTheStop() {
    List<DecisionsTopic.Published> decisions = List.of(
        published(9_000, "1", 10, 10_500), // before the span
        published(10_000, "1", 10, 11_200),
        published(11_000, "1", 10, 12_500),
        published(11_000, "2", 10, 12_600),
        // window 12 000 never decided
        published(13_000, "1", 10, 14_000),
        published(14_000, "1", 10, 20_000)); // after the span
    SpanLatencies l = SpanLatencies.of(decisions, 10_000, 13_000, 16_000, 1000);
    assertEquals(List.of(1.2, 1.5, 1.6, 1.0, 4.0), l.seconds());
    assertEquals(4, l.decisions());
    assertEquals(1, l.missingWindows());
    assertEquals(1.5, l.p50());
    assertEquals(4.0, l.p99());
    assertEquals(4.0, l.max());
  }

  @Test
  void theFirstDecisionIsTheEarliestAppendAfterTheLoadStarted() {
    List<DecisionsTopic.Published> decisions = List.of(published(12_000, "1", 10, 19_250),
        published(11_000, "1", 10, 17_500), published(13_000, "2", 10, 21_000));
    assertEquals(7.5, CapacityRun.firstDecisionSeconds(decisions, 10_000));
    assertTrue(Double.isNaN(CapacityRun.firstDecisionSeconds(List.of(), 10_000)));
  }

  @Test
  void scoredEventsCountTheNewestDecisionPerDeviceAndInterval() {
    List<LagSample> raw = List.of(new LagSample(1_000, 50, 0, 0), new LagSample(2_000, 100, 0, 0),
        new LagSample(3_000, 150, 0, 0));
    Decision first = new Decision(1_000, 1, "1", 40, 0.5, 0, false, false, false, false);
    Decision revised = new Decision(1_000, 1, "1", 45, 0.5, 0, true, false, true, false);
    Decision second = new Decision(2_000, 2, "1", 50, 0.5, 0, false, false, false, false);
    List<LagSample> s = SpanLatencies.withScored(raw, List.of(new DecisionsTopic.Published(second, 2_900),
        new DecisionsTopic.Published(first, 1_500), new DecisionsTopic.Published(revised, 2_000)));
    assertEquals(List.of(0L, 45L, 95L), s.stream().map(LagSample::scored).toList());
    assertEquals(List.of(50L, 55L, 55L), s.stream().map(LagSample::lag).toList());
  }

  private static List<CapacityReport.Search> searches() {
    RateFigures met = new RateFigures("spark", 1, 20_000, 19_990.4, 0.8, 1.25, 1.5, 3.2, 150, 60, 6.5, null,
        List.of());
    RateFigures missed = new RateFigures("spark", 1, 40_000, 39_000, 5, 9, 12, 900, 950, 60, 41.25,
        "p99 9.00 s > 2.00 s", List.of());
    RateFigures stalled = RateFigures.failed("flink", 1, 20_000, Double.NaN, "did not join its consumer group within 180 s",
        List.of());
    return List.of(new CapacityReport.Search("spark", 1, List.of(met, missed)),
        new CapacityReport.Search("flink", 1, List.of(stalled)),
        new CapacityReport.Search("baseline", 1, List.of(new RateFigures("baseline", 1, 50_000, 50_000, 0.2, 1.1, 1.2, 0, 0,
            60, 1.5, null, List.of()))));
  }

  @Test
  void theCsvHasOneRowPerMeasuredRate() {
    assertEquals(List.of(CapacityReport.CSV_HEADER,
        "spark,1,20000.0,19990.4,0.800,1.250,1.500,3.20,150.00,60,6.500,true,",
        "spark,1,40000.0,39000.0,5.000,9.000,12.000,900.00,950.00,60,41.250,false,\"p99 9.00 s > 2.00 s\"",
        "flink,1,20000.0,NaN,NaN,NaN,NaN,NaN,NaN,0,NaN,false,\"did not join its consumer group within 180 s\"",
        "baseline,1,50000.0,50000.0,0.200,1.100,1.200,0.00,0.00,60,1.500,true,"), CapacityReport.csv(searches()));
  }

  @Test
  void theResultLineHoldsTheCapacityAndItsLatenciesPerRunnerAndDeviceCount() {
    assertEquals("RESULT spark_d1_capacity_events_per_s=20000 spark_d1_p50_latency_s=0.800 spark_d1_p99_latency_s=1.250"
        + " flink_d1_capacity_events_per_s=0 flink_d1_p50_latency_s=NaN flink_d1_p99_latency_s=NaN"
        + " baseline_d1_capacity_events_per_s=50000 baseline_d1_p50_latency_s=0.200 baseline_d1_p99_latency_s=1.100",
        CapacityReport.resultLine(searches()));
  }

  @Test
  void theTableShowsEachRateAndTheVerdict() {
    List<CapacityReport.Search> s = searches();
    assertEquals("runner    devices  offered/s achieved/s    p50 s    p99 s    max s    lag slope    1st s  SLO",
        CapacityReport.header());
    assertEquals("spark           1     20,000     19,990     0.80     1.25     1.50          3.2      6.5  met",
        CapacityReport.row(s.get(0).runs().get(0)));
    assertEquals("spark, 1 device(s): capacity 20,000 events/s (p50 0.80 s, p99 1.25 s)", CapacityReport.capacityLine(s.get(0)));
    assertEquals("flink, 1 device(s): no measured rate met the SLO", CapacityReport.capacityLine(s.get(1)));
  }

  @Test
  void theChartsAreWrittenAsPngFiles(@TempDir Path dir) throws Exception {
    Path latency = dir.resolve("latency.png");
    CapacityCharts.latencyVsRate(searches(), SLO, latency);
    RateFigures run = new RateFigures("spark", 1, 1000, 1000, 1, 1, 1, 0, 0, 10, 2.0, null, lagLine(0, 30, 100, 0));
    Path lag = dir.resolve("lag.png");
    CapacityCharts.lagOverTime(run, 10_000, lag);
    for (Path png : List.of(latency, lag)) {
      byte[] bytes = Files.readAllBytes(png);
      assertTrue(bytes.length > 1000, png + ": " + bytes.length + " bytes");
      assertEquals((byte) 0x89, bytes[0]);
      assertEquals("PNG", new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII));
    }
  }

  @Test
  void theBaselineDecidesAnIntervalOnceTheWatermarkPassesItsEndWithTheLastValuePerSensor() {
    double[] w = new double[3];
    Arrays.fill(w, 1.0);
    PortableModel model = PortableModel.logisticRegression(w, -1.5, 0.5, Map.of());
    BaselineScorer.Intervals intervals = new BaselineScorer.Intervals(3, 1000, 1000, model.scorer(), 0);
    List<Decision> out = new ArrayList<>();
    intervals.accept("1970-01-01T00:00:00.100Z,1,Sensor 1,0.9");
    intervals.accept("1970-01-01T00:00:00.900Z,1,Sensor 1,0.1"); // the last value of sensor 1 in interval 1
    intervals.accept("1970-01-01T00:00:00.500Z,2,Sensor 2,0.7");
    intervals.accept("not an event");
    intervals.fire(out::add);
    assertTrue(out.isEmpty(), "the watermark (0.9 s - 1 s) has not passed 1 s");
    intervals.accept("1970-01-01T00:00:02.000Z,3,Sensor 3,0.2");
    intervals.fire(out::add);
    assertEquals(1, out.size());
    Decision d = out.get(0);
    assertEquals(1000, d.windowEndMillis());
    assertEquals(1, d.interval());
    assertEquals("1", d.device());
    assertEquals(3, d.events());
    // features 0.1, 0.7 and the initial 0.5: 1.3 - 1.5 < 0, label 0
    assertEquals(1 / (1 + Math.exp(0.2)), d.probability(), 1e-9);
    assertEquals(0, d.label());
    intervals.accept("1970-01-01T00:00:00.950Z,1,Sensor 1,0.3"); // interval 1 is decided: late
    intervals.accept("1970-01-01T00:00:04.000Z,1,Sensor 1,0.3");
    intervals.fire(out::add);
    assertEquals(2, out.size());
    assertEquals(3000, out.get(1).windowEndMillis());
    assertFalse(out.get(1).attention()); // 0.1 carried, 0.7 carried, 0.2: 1.0 - 1.5 < 0
    assertEquals("parsed=6 bad=1 late=1 decisions=2", intervals.counters());
  }
}
