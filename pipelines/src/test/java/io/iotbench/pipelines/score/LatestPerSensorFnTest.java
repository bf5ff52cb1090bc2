package io.iotbench.pipelines.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.model.SensorEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The combiner over events and over partial updates: merging per-bundle partials gives the one-pass result. */
class LatestPerSensorFnTest {
  private static SensorEvent event(long millis, int sensor, double value) {
    return new SensorEvent(ScoreFixtures.T0.plusMillis(millis), "1", sensor, value);
  }

  private static IntervalUpdate fold(List<SensorEvent> events) {
    LatestPerSensorFn<SensorEvent> fn = LatestPerSensorFn.ofEvents(3);
    IntervalUpdate acc = fn.createAccumulator();
    events.forEach(e -> fn.addInput(acc, e));
    return fn.extractOutput(acc);
  }

  @Test
  void mergedPartialsEqualOnePassOverTheEvents() {
    SensorEvent a = event(300, 1, 0.9);
    SensorEvent b = event(200, 1, 0.2);
    SensorEvent c = event(100, 2, 0.8);
    SensorEvent sentinel = event(400, -1, 0.0);
    IntervalUpdate whole = fold(List.of(a, b, c, sentinel));

    LatestPerSensorFn<IntervalUpdate> merge = LatestPerSensorFn.ofUpdates(3);
    IntervalUpdate acc = merge.createAccumulator();
    merge.addInput(acc, fold(List.of(b, sentinel)));
    merge.addInput(acc, fold(List.of(c, a)));
    IntervalUpdate merged = merge.extractOutput(acc);

    for (IntervalUpdate u : List.of(whole, merged)) {
      assertEquals(3, u.count());
      assertTrue(u.sentinel());
      assertEquals(0.9, u.value(1));
      assertEquals(0.8, u.value(2));
      assertEquals(IntervalUpdate.UNSET, u.time(3));
    }
    assertEquals(whole.time(1), merged.time(1));
    assertEquals(whole.time(2), merged.time(2));
    assertFalse(merge.mergeAccumulators(List.of(fold(List.of(b)), fold(List.of(a)))).sentinel());
  }
}
