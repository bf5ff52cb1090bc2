package io.iotbench.pipelines.score;

import io.iotbench.model.SensorEvent;
import java.time.Instant;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * Combines one window's events of one device into an {@link IntervalUpdate}: the latest value of each
 * sensor by event time, the number of sensor events and whether the sentinel came. Being a combiner, it
 * runs before the shuffle, which then carries one update per window and device instead of every event.
 */
public final class LatestPerSensorFn extends CombineFn<SensorEvent, IntervalUpdate, IntervalUpdate> {
  private static final long serialVersionUID = 1L;
  private final int sensors;

  public LatestPerSensorFn(int sensors) {
    this.sensors = sensors;
  }

  @Override
  public IntervalUpdate createAccumulator() {
    return new IntervalUpdate(sensors);
  }

  @Override
  public IntervalUpdate addInput(IntervalUpdate acc, SensorEvent e) {
    if (e.isSentinel()) {
      acc.sentinel = true;
    } else {
      acc.count++;
      acc.offer(e.sensor(), micros(e.eventTime()), e.value());
    }
    return acc;
  }

  @Override
  public IntervalUpdate mergeAccumulators(Iterable<IntervalUpdate> accumulators) {
    IntervalUpdate merged = createAccumulator();
    for (IntervalUpdate a : accumulators) {
      merged.merge(a);
    }
    return merged;
  }

  @Override
  public IntervalUpdate extractOutput(IntervalUpdate acc) {
    return acc;
  }

  @Override
  public Coder<IntervalUpdate> getAccumulatorCoder(CoderRegistry registry, Coder<SensorEvent> input)
      throws CannotProvideCoderException {
    return IntervalUpdate.Coder.of();
  }

  @Override
  public Coder<IntervalUpdate> getDefaultOutputCoder(CoderRegistry registry, Coder<SensorEvent> input)
      throws CannotProvideCoderException {
    return IntervalUpdate.Coder.of();
  }

  static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }
}
