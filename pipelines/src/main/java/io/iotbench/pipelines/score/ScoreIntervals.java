package io.iotbench.pipelines.score;

import io.iotbench.model.SensorEvent;
import io.iotbench.model.scoring.Scorer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Turns timestamped sensor events into one {@link Decision} per interval and device, as two transforms applied
 * one after the other. {@link #bundleUpdates()}: fixed windows of the interval with allowed lateness, each
 * bundle's events folded into one {@link IntervalUpdate} per device and window. {@link #scoreUpdates()}: the
 * updates merged per device and window, then a stateful DoFn keyed by device in the global window merges each
 * interval into the device's {@link DeviceHistory} and scores the vector with the portable model. They are two
 * transforms because the per-bundle updates have a second consumer, the empty-interval report. The state lives
 * in the global window because Beam scopes state per key and window: inside the fixed window it would start
 * from 0.5 every interval.
 *
 * <p>A device silent for the idle timeout (event time) is released: an event-time timer, set again on every
 * update of the device, clears its state and counts it in {@code devicesExpired}; a device that comes back
 * starts from a fresh history (every sensor 0.5). Beam 2.62's SparkRunner rejects timers in streaming, so there
 * the same rule is applied when the device's next update arrives (see docs/design-notes.md,
 * "SparkRunner streaming defects and fixes"): the decisions are the same, but the state of a device that never
 * comes back stays.
 */
public final class ScoreIntervals {
  /** The counter of device states released (or restarted) after the idle timeout. */
  public static final String DEVICES_EXPIRED = "devicesExpired";

  private final Duration interval;
  private final Duration allowedLateness;
  private final int sensors;
  private final String model;
  private final IntervalNumbering numbering;
  private final Duration deviceIdleTimeout;
  private final boolean expiryTimers;

  /**
   * @param deviceIdleTimeout event time after a device's newest interval at which its state is released
   * @param expiryTimers release idle devices with an event-time timer; false on runners without timers in
   *     streaming (a device's idleness is then only noticed when it comes back)
   */
  public ScoreIntervals(
      Duration interval, Duration allowedLateness, int sensors, String model, IntervalNumbering numbering,
      Duration deviceIdleTimeout, boolean expiryTimers) {
    this.interval = interval;
    this.allowedLateness = allowedLateness;
    this.sensors = sensors;
    this.model = model;
    this.numbering = numbering;
    this.deviceIdleTimeout = deviceIdleTimeout;
    this.expiryTimers = expiryTimers;
  }

  /** Updates are kept for exact reprocessing this long behind the newest interval: lateness plus slack for Spark. */
  long retentionMillis() {
    return allowedLateness.getMillis() + 5 * interval.getMillis();
  }

  /**
   * Before the shuffle: events keyed by device, in fixed windows of the interval, folded into one
   * {@link IntervalUpdate} per bundle, device and window. Few elements: a second consumer of these (the empty
   * interval report) costs little, where one of the events would make the SparkRunner cache every event.
   */
  public PTransform<PCollection<SensorEvent>, PCollection<KV<String, IntervalUpdate>>> bundleUpdates() {
    return new BundleUpdates(interval, allowedLateness, sensors);
  }

  /** From {@link #bundleUpdates()}: merge per window and device, then score per device in order. */
  public PTransform<PCollection<KV<String, IntervalUpdate>>, PCollection<Decision>> scoreUpdates() {
    return new ScoreUpdates(
        new IntervalScorer(sensors, model, numbering, retentionMillis(), deviceIdleTimeout.getMillis()), expiryTimers);
  }

  /** See {@link ScoreIntervals#bundleUpdates()}. */
  private static final class BundleUpdates
      extends PTransform<PCollection<SensorEvent>, PCollection<KV<String, IntervalUpdate>>> {
    private static final long serialVersionUID = 1L;
    private final Duration interval;
    private final Duration allowedLateness;
    private final int sensors;

    BundleUpdates(Duration interval, Duration allowedLateness, int sensors) {
      this.interval = interval;
      this.allowedLateness = allowedLateness;
      this.sensors = sensors;
    }

    @Override
    public PCollection<KV<String, IntervalUpdate>> expand(PCollection<SensorEvent> events) {
      return events
          .apply("KeyByDevice",
              MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), events.getTypeDescriptor()))
                  .via((SensorEvent e) -> KV.of(e.deviceId(), e)))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), SensorEventCoder.of()))
          .apply("WindowIntoIntervals",
              Window.<KV<String, SensorEvent>>into(FixedWindows.of(interval))
                  .triggering(AfterWatermark.pastEndOfWindow().withLateFirings(AfterPane.elementCountAtLeast(1)))
                  .withAllowedLateness(allowedLateness)
                  // The SparkRunner keeps firing a closed window's expired timers (apache/beam#9567, BEAM-5690):
                  // with Beam's default FIRE_ALWAYS every micro-batch emitted an empty on-time pane per window
                  // until the end of the run.
                  .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY)
                  .discardingFiredPanes())
          .apply("PreCombinePerBundle", ParDo.of(new PreCombinePerBundleFn(sensors)))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), IntervalUpdate.Coder.of()));
    }
  }

  /** See {@link ScoreIntervals#scoreUpdates()}. */
  private static final class ScoreUpdates
      extends PTransform<PCollection<KV<String, IntervalUpdate>>, PCollection<Decision>> {
    private static final long serialVersionUID = 1L;
    private final IntervalScorer scorer;
    private final boolean expiryTimers;

    ScoreUpdates(IntervalScorer scorer, boolean expiryTimers) {
      this.scorer = scorer;
      this.expiryTimers = expiryTimers;
    }

    @Override
    public PCollection<Decision> expand(PCollection<KV<String, IntervalUpdate>> partials) {
      PCollection<KV<String, IntervalUpdate>> updates = partials
          .apply("LatestValuePerSensor", Combine.perKey(LatestPerSensorFn.ofUpdates(scorer.sensors)))
          .apply("StampInterval", ParDo.of(new StampIntervalFn()))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), IntervalUpdate.Coder.of()))
          .apply("IntoGlobalWindow", Window.into(new GlobalWindows()));
      if (updates.isBounded() == PCollection.IsBounded.BOUNDED) {
        // A bounded stream (a replayed recording) fires every window at once, in whatever order the runner
        // shuffles them; scoring each device's intervals in event-time order gives every runner the decisions
        // of the live, in-order run, without revisions.
        return updates
            .apply("GroupIntervalsByDevice", GroupByKey.create())
            .apply("ScoreIntervalsInOrder", ParDo.of(new ScoreSortedIntervalsFn(scorer)))
            .setCoder(Decision.Coder.of());
      }
      // The same step name either way, so that a run's metrics and stages read the same on every runner.
      return updates
          .apply("ScoreWithDeviceState",
              expiryTimers ? ParDo.of(new ScoreIntervalFn(scorer)) : ParDo.of(new ScoreIntervalWithoutTimerFn(scorer)))
          .setCoder(Decision.Coder.of());
    }
  }

  /**
   * Combiner lifting done by hand: folds each bundle's events into one {@link IntervalUpdate} per device and
   * window before the shuffle. The DirectRunner does not lift combiners; its GroupByKey buffers every event
   * of a window in a bag that it copies for every bundle, which is quadratic in the events per window. Runners
   * that lift combiners lose nothing: the merge after the shuffle is the same combiner.
   */
  static final class PreCombinePerBundleFn extends DoFn<KV<String, SensorEvent>, KV<String, IntervalUpdate>> {
    private static final long serialVersionUID = 1L;
    private final LatestPerSensorFn<SensorEvent> combiner;
    private transient Map<KV<String, BoundedWindow>, Partial> partials;

    /** One bundle's update of one device and window, with the earliest event timestamp it covers. */
    private static final class Partial {
      final IntervalUpdate update;
      Instant earliest;

      Partial(IntervalUpdate update, Instant earliest) {
        this.update = update;
        this.earliest = earliest;
      }
    }

    PreCombinePerBundleFn(int sensors) {
      this.combiner = LatestPerSensorFn.ofEvents(sensors);
    }

    @StartBundle
    public void startBundle() {
      partials = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element KV<String, SensorEvent> event, @Timestamp Instant timestamp, BoundedWindow window) {
      Partial p = partials.computeIfAbsent(KV.of(event.getKey(), window),
          k -> new Partial(combiner.createAccumulator(), timestamp));
      combiner.addInput(p.update, event.getValue());
      if (timestamp.isBefore(p.earliest)) {
        p.earliest = timestamp;
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      for (Map.Entry<KV<String, BoundedWindow>, Partial> e : partials.entrySet()) {
        Partial p = e.getValue();
        context.output(KV.of(e.getKey().getKey(), p.update), p.earliest, e.getKey().getValue());
      }
      partials.clear();
    }
  }

  /** Records the fired window's bounds and lateness in the update, before the window is dropped. */
  static final class StampIntervalFn extends DoFn<KV<String, IntervalUpdate>, KV<String, IntervalUpdate>> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(
        @Element KV<String, IntervalUpdate> update, BoundedWindow window, PaneInfo pane,
        OutputReceiver<KV<String, IntervalUpdate>> out) {
      IntervalWindow w = (IntervalWindow) window;
      IntervalUpdate u = update.getValue().copy();
      u.windowStart = w.start().getMillis();
      u.windowEnd = w.end().getMillis();
      u.late = pane.getTiming() == PaneInfo.Timing.LATE;
      out.output(KV.of(update.getKey(), u));
    }
  }

  /**
   * What the scoring DoFns share: the settings, the model (read once per DoFn instance, in {@code @Setup}),
   * merging one interval into a device's history with its decisions counted, and the idle rule.
   */
  static final class IntervalScorer implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final Counter scored = Metrics.counter(ScoreIntervalFn.class, "scored");
    private final Counter devicesExpired = Metrics.counter(ScoreIntervalFn.class, DEVICES_EXPIRED);
    final int sensors;
    private final String model;
    private final IntervalNumbering numbering;
    private final long retentionMillis;
    final long idleTimeoutMillis;
    private transient Scorer scorer;

    IntervalScorer(int sensors, String model, IntervalNumbering numbering, long retentionMillis, long idleTimeoutMillis) {
      this.sensors = sensors;
      this.model = model;
      this.numbering = numbering;
      this.retentionMillis = retentionMillis;
      this.idleTimeoutMillis = idleTimeoutMillis;
    }

    /**
     * The history to merge {@code update} into: {@code h}, or a fresh one (counted as an expired device) when
     * there is none or the device went idle before this update.
     */
    DeviceHistory historyFor(DeviceHistory h, IntervalUpdate update) {
      if (h != null && h.idleBefore(update.windowEnd, idleTimeoutMillis)) {
        devicesExpired.inc();
        h = null;
      }
      return h != null ? h : new DeviceHistory(sensors);
    }

    /** Counts a history released by the expiry timer. */
    void expired() {
      devicesExpired.inc();
    }

    void setup() throws IOException {
      scorer = ModelLoader.loadFor(model, sensors).scorer();
    }

    void apply(DeviceHistory h, String device, IntervalUpdate update, DoFn.OutputReceiver<Decision> out) {
      for (Decision d : h.apply(device, update, scorer, numbering, retentionMillis)) {
        scored.inc();
        out.output(d);
      }
    }
  }

  /**
   * Keyed by device, in the global window: merges the interval into the device's history and scores it, and
   * sets the device's expiry timer to the idle timeout after its newest interval; the timer clears the state.
   * The timer's time is the only thing it keeps (no state of its own besides the history).
   */
  static final class ScoreIntervalFn extends DoFn<KV<String, IntervalUpdate>, Decision> {
    private static final long serialVersionUID = 1L;

    @StateId("history")
    private final StateSpec<ValueState<DeviceHistory>> historySpec = StateSpecs.value(DeviceHistory.Coder.of());

    @TimerId("expiry")
    private final TimerSpec expirySpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    private final IntervalScorer scorer;

    ScoreIntervalFn(IntervalScorer scorer) {
      this.scorer = scorer;
    }

    @Setup
    public void setup() throws IOException {
      scorer.setup();
    }

    @ProcessElement
    public void process(
        @Element KV<String, IntervalUpdate> update,
        @StateId("history") ValueState<DeviceHistory> history,
        @TimerId("expiry") Timer expiry,
        OutputReceiver<Decision> out) {
      DeviceHistory h = scorer.historyFor(history.read(), update.getValue());
      scorer.apply(h, update.getKey(), update.getValue(), out);
      history.write(h);
      // Setting the timer again replaces the previous one: one pending timer per device.
      expiry.set(new Instant(h.idleAt(scorer.idleTimeoutMillis, GlobalWindow.INSTANCE.maxTimestamp().getMillis())));
    }

    @OnTimer("expiry")
    public void onExpiry(@StateId("history") ValueState<DeviceHistory> history) {
      if (history.read() != null) {
        history.clear();
        scorer.expired();
      }
    }
  }

  /**
   * {@link ScoreIntervalFn} for runners without timers in streaming (Beam 2.62's SparkRunner): the idle rule is
   * applied when the device's next update arrives, which gives the same decisions; the state of a device that
   * never comes back is not released.
   */
  static final class ScoreIntervalWithoutTimerFn extends DoFn<KV<String, IntervalUpdate>, Decision> {
    private static final long serialVersionUID = 1L;

    @StateId("history")
    private final StateSpec<ValueState<DeviceHistory>> historySpec = StateSpecs.value(DeviceHistory.Coder.of());

    private final IntervalScorer scorer;

    ScoreIntervalWithoutTimerFn(IntervalScorer scorer) {
      this.scorer = scorer;
    }

    @Setup
    public void setup() throws IOException {
      scorer.setup();
    }

    @ProcessElement
    public void process(
        @Element KV<String, IntervalUpdate> update,
        @StateId("history") ValueState<DeviceHistory> history,
        OutputReceiver<Decision> out) {
      DeviceHistory h = scorer.historyFor(history.read(), update.getValue());
      scorer.apply(h, update.getKey(), update.getValue(), out);
      history.write(h);
    }
  }

  /**
   * Bounded input: one device's intervals at once, scored in event-time order through a fresh history, so the
   * decisions do not depend on the order the runner delivered the windows in.
   */
  static final class ScoreSortedIntervalsFn extends DoFn<KV<String, Iterable<IntervalUpdate>>, Decision> {
    private static final long serialVersionUID = 1L;

    private final IntervalScorer scorer;

    ScoreSortedIntervalsFn(IntervalScorer scorer) {
      this.scorer = scorer;
    }

    @Setup
    public void setup() throws IOException {
      scorer.setup();
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<IntervalUpdate>> intervals, OutputReceiver<Decision> out) {
      List<IntervalUpdate> sorted = new ArrayList<>();
      intervals.getValue().forEach(sorted::add);
      sorted.sort(Comparator.comparingLong((IntervalUpdate u) -> u.windowEnd));
      DeviceHistory h = null;
      for (IntervalUpdate u : sorted) {
        h = scorer.historyFor(h, u);
        scorer.apply(h, intervals.getKey(), u, out);
      }
    }
  }
}
