package io.iotbench.pipelines.score;

import io.iotbench.model.SensorEvent;
import java.time.Instant;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * Combines one window's input of one device into an {@link IntervalUpdate}: the latest value of each sensor by
 * event time, the number of sensor events and whether the sentinel came. The accumulator, its merge and the
 * output are the same whatever the input; only adding one input differs: {@link #ofEvents} folds in sensor
 * events, {@link #ofUpdates} merges updates that were already combined per bundle.
 *
 * @param <InputT> {@link SensorEvent} or {@link IntervalUpdate}
 */
public abstract class LatestPerSensorFn<InputT> extends CombineFn<InputT, IntervalUpdate, IntervalUpdate> {
  private static final long serialVersionUID = 1L;
  private final int sensors;

  private LatestPerSensorFn(int sensors) {
    this.sensors = sensors;
  }

  /** The combiner over sensor events of sensors 1..{@code sensors}. */
  public static LatestPerSensorFn<SensorEvent> ofEvents(int sensors) {
    return new OfEvents(sensors);
  }

  /** The combiner over partial updates of sensors 1..{@code sensors}. */
  public static LatestPerSensorFn<IntervalUpdate> ofUpdates(int sensors) {
    return new OfUpdates(sensors);
  }

  @Override
  public IntervalUpdate createAccumulator() {
    return new IntervalUpdate(sensors);
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
  public Coder<IntervalUpdate> getAccumulatorCoder(CoderRegistry registry, Coder<InputT> input) {
    return IntervalUpdate.Coder.of();
  }

  @Override
  public Coder<IntervalUpdate> getDefaultOutputCoder(CoderRegistry registry, Coder<InputT> input) {
    return IntervalUpdate.Coder.of();
  }

  static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }

  /** Adds one sensor event: the sentinel is flagged, any other event counted and offered as its sensor's value. */
  private static final class OfEvents extends LatestPerSensorFn<SensorEvent> {
    private static final long serialVersionUID = 1L;

    OfEvents(int sensors) {
      super(sensors);
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
  }

  /** Adds one partial update by merging it. */
  private static final class OfUpdates extends LatestPerSensorFn<IntervalUpdate> {
    private static final long serialVersionUID = 1L;

    OfUpdates(int sensors) {
      super(sensors);
    }

    @Override
    public IntervalUpdate addInput(IntervalUpdate acc, IntervalUpdate partial) {
      acc.merge(partial);
      return acc;
    }
  }
}
