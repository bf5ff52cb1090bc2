package io.iotbench.pipelines.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-device state on its own: order independence, retention, the never-overwrite-newer rule, its coder. */
class DeviceHistoryTest {
  private static final long T0 = ScoreFixtures.T0.toEpochMilli();

  private static IntervalUpdate update(int n, double... sensorTimeValue) {
    IntervalUpdate u = new IntervalUpdate(3);
    u.windowStart = T0 + (n - 1) * 1000L;
    u.windowEnd = T0 + n * 1000L;
    for (int i = 0; i < sensorTimeValue.length; i += 3) {
      u.offer((int) sensorTimeValue[i], (long) ((T0 + sensorTimeValue[i + 1]) * 1000), sensorTimeValue[i + 2]);
      u.count++;
    }
    return u;
  }

  /** The newest decision per interval, as a consumer that keeps the latest revision sees it. */
  private static Map<Long, Decision> newest(List<Decision> decisions) {
    Map<Long, Decision> m = new LinkedHashMap<>();
    for (Decision d : decisions) {
      m.put(d.interval(), d);
    }
    return m;
  }

  private static List<Decision> apply(List<IntervalUpdate> order, long retention) {
    DeviceHistory h = new DeviceHistory(3);
    List<Decision> out = new ArrayList<>();
    for (IntervalUpdate u : order) {
      out.addAll(h.apply("1", u, ScoreFixtures.SCORER, ScoreFixtures.numbering(), retention));
    }
    return out;
  }

  @Test
  void windowsArrivingOutOfOrderEndWithTheInOrderDecisions() {
    IntervalUpdate i1 = update(1, 1, 100, 0.9, 3, 200, 0.9);
    IntervalUpdate i2 = update(2, 1, 1100, 0.1);
    IntervalUpdate i3 = update(3, 2, 2100, 0.8);
    IntervalUpdate i4 = update(4, 3, 3100, 0.2);
    List<Decision> inOrder = apply(List.of(i1, i2, i3, i4), 10_000);
    assertEquals(4, inOrder.size());
    for (List<IntervalUpdate> order : List.of(List.of(i3, i1, i4, i2), List.of(i4, i3, i2, i1), List.of(i2, i1, i3, i4))) {
      Map<Long, Decision> got = newest(apply(order, 10_000));
      for (Decision expected : inOrder) {
        Decision d = got.get(expected.interval());
        assertEquals(expected.probability(), d.probability(), 0.0, "interval " + expected.interval() + " in " + order);
        assertEquals(expected.label(), d.label());
        assertEquals(expected.events(), d.events());
      }
    }
  }

  @Test
  void anOlderWindowNeverOverwritesANewerValueEvenBeyondRetention() {
    DeviceHistory h = new DeviceHistory(3);
    h.apply("1", update(5, 1, 4100, 0.1), ScoreFixtures.SCORER, ScoreFixtures.numbering(), 0);
    h.apply("1", update(6, 2, 5100, 0.2), ScoreFixtures.SCORER, ScoreFixtures.numbering(), 0);
    // Interval 1 arrives long after it was folded away: s1 = 0.99 is older than s1 = 0.1 and must not win.
    List<Decision> late = h.apply("1", update(1, 1, 100, 0.99, 3, 150, 0.7), ScoreFixtures.SCORER, ScoreFixtures.numbering(), 0);
    assertEquals(1, late.size());
    assertTrue(late.get(0).late() && late.get(0).outOfOrder());
    double[] v = h.vectorAsOf(Long.MAX_VALUE);
    assertEquals(0.1, v[1]);
    assertEquals(0.2, v[2]);
    assertEquals(0.7, v[3]); // never heard after: the old value is still the newest
  }

  @Test
  void retentionBoundsTheState() {
    DeviceHistory h = new DeviceHistory(3);
    for (int n = 1; n <= 50; n++) {
      h.apply("1", update(n, 1, n * 1000L - 900, 0.5), ScoreFixtures.SCORER, ScoreFixtures.numbering(), 3000);
    }
    assertTrue(h.retainedIntervals() <= 4, "retained " + h.retainedIntervals());
  }

  @Test
  void coderRoundTripKeepsTheState() throws Exception {
    DeviceHistory h = new DeviceHistory(3);
    h.apply("1", update(1, 1, 100, 0.9), ScoreFixtures.SCORER, ScoreFixtures.numbering(), 10_000);
    h.apply("1", update(2, 3, 1100, 0.8), ScoreFixtures.SCORER, ScoreFixtures.numbering(), 10_000);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DeviceHistory.Coder.of().encode(h, bytes);
    DeviceHistory copy = DeviceHistory.Coder.of().decode(new ByteArrayInputStream(bytes.toByteArray()));
    assertEquals(java.util.Arrays.toString(h.vectorAsOf(Long.MAX_VALUE)), java.util.Arrays.toString(copy.vectorAsOf(Long.MAX_VALUE)));
    // the copy continues exactly like the original
    IntervalUpdate next = update(3, 2, 2100, 0.99);
    assertEquals(h.apply("1", next, ScoreFixtures.SCORER, ScoreFixtures.numbering(), 10_000),
        copy.apply("1", next, ScoreFixtures.SCORER, ScoreFixtures.numbering(), 10_000));
  }

  @Test
  void coderKeepsAFoldedBaseSparse() throws Exception {
    DeviceHistory h = new DeviceHistory(100);
    io.iotbench.model.scoring.Scorer scorer = new io.iotbench.model.scoring.LogisticRegressionScorer(new double[100], 0, 0.5);
    for (int n = 1; n <= 10; n++) {
      h.apply("1", update100(n, 7, n * 1000L - 900, 0.1 * n), scorer, ScoreFixtures.numbering(), 2000);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DeviceHistory.Coder.of().encode(h, bytes);
    // one sensor heard in the base and a few retained intervals, not 100 sensors x 16 bytes
    assertTrue(bytes.size() < 400, "encoded " + bytes.size() + " bytes");
    DeviceHistory copy = DeviceHistory.Coder.of().decode(new ByteArrayInputStream(bytes.toByteArray()));
    assertEquals(java.util.Arrays.toString(h.vectorAsOf(Long.MAX_VALUE)), java.util.Arrays.toString(copy.vectorAsOf(Long.MAX_VALUE)));
    assertEquals(h.lastWindowEnd(), copy.lastWindowEnd());
  }

  @Test
  void aDeviceIsIdleFromTheTimeoutAfterItsNewestInterval() {
    DeviceHistory h = new DeviceHistory(3);
    assertEquals(false, h.idleBefore(Long.MAX_VALUE, 1000));
    h.apply("1", update(1, 1, 100, 0.9), ScoreFixtures.SCORER, ScoreFixtures.numbering(), 10_000);
    long end = h.lastWindowEnd();
    assertEquals(end + 1000, h.idleAt(1000, Long.MAX_VALUE));
    assertEquals(end + 500, h.idleAt(1000, end + 500));
    assertEquals(Long.MAX_VALUE - 1, h.idleAt(Long.MAX_VALUE, Long.MAX_VALUE - 1), "no overflow");
    // an interval whose last millisecond is at the idle time comes after the timer; one before it does not
    assertEquals(true, h.idleBefore(end + 1001, 1000));
    assertEquals(false, h.idleBefore(end + 1000, 1000));
  }

  @Test
  void aDeviceWithOneEventEncodesSmallWhateverTheSensors() throws Exception {
    DeviceHistory h = new DeviceHistory(100);
    io.iotbench.model.scoring.Scorer scorer = new io.iotbench.model.scoring.LogisticRegressionScorer(new double[100], 0, 0.5);
    h.apply("1", update100(1, 42, 100, 0.7), scorer, ScoreFixtures.numbering(), 2000);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DeviceHistory.Coder.of().encode(h, bytes);
    assertTrue(bytes.size() <= 100, "encoded " + bytes.size() + " bytes");
  }

  private static IntervalUpdate update100(int n, int sensor, long millis, double value) {
    IntervalUpdate u = new IntervalUpdate(100);
    u.offer(sensor, (ScoreFixtures.T0.toEpochMilli() + millis) * 1000, value);
    u.count = 1;
    u.windowStart = ScoreFixtures.T0.toEpochMilli() + (n - 1) * 1000L;
    u.windowEnd = u.windowStart + 1000;
    return u;
  }
}
