package io.iotbench.pipelines.score;

import io.iotbench.model.scoring.Prediction;
import io.iotbench.model.scoring.Scorer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * The state the scorer keeps per device, in the global window: the last value and its event time for every
 * sensor (all start at {@link #INITIAL_VALUE}, as in the original) and the updates of the most recent
 * intervals. Keeping recent intervals, not just one vector, is what lets it give an interval that arrives
 * late or out of order (the SparkRunner delivers several windows of one micro-batch in any order) the same
 * decision in-order processing would have given: the vector "as of" an interval's end is the base vector
 * plus the retained updates up to that interval, and a value is only replaced by one with a newer event
 * time, so an older window never overwrites a newer value. Intervals older than the retention are folded
 * into the base vector; an update older than that is merged (newer values still win) and flagged late.
 */
public final class DeviceHistory {
  /** The value of a sensor not heard from yet (the original starts every sensor at 0.5). */
  public static final double INITIAL_VALUE = 0.5;

  private final double[] baseValues;
  private final long[] baseTimes;
  private long baseHorizon = Long.MIN_VALUE; // windows ending at or before this are in the base
  private long maxWindowEnd = Long.MIN_VALUE;
  private final TreeMap<Long, Retained> retained = new TreeMap<>();

  /** One retained interval: its merged update and the probability last emitted for it. */
  static final class Retained {
    final IntervalUpdate update;
    double emittedProbability;
    int emittedLabel;

    Retained(IntervalUpdate update, double p, int label) {
      this.update = update;
      this.emittedProbability = p;
      this.emittedLabel = label;
    }
  }

  public DeviceHistory(int sensors) {
    baseValues = new double[sensors + 1];
    baseTimes = new long[sensors + 1];
    Arrays.fill(baseValues, INITIAL_VALUE);
    Arrays.fill(baseTimes, IntervalUpdate.UNSET);
  }

  public int sensors() {
    return baseValues.length - 1;
  }

  /** The end (millis) of the newest interval merged so far, or {@link Long#MIN_VALUE} for a fresh history. */
  public long lastWindowEnd() {
    return maxWindowEnd;
  }

  /**
   * When this device counts as idle: {@code idleTimeoutMillis} of event time after the end of its newest
   * interval, capped at {@code latest} (the expiry timer may not be set later than its window allows).
   */
  public long idleAt(long idleTimeoutMillis, long latest) {
    if (maxWindowEnd == Long.MIN_VALUE) {
      return latest;
    }
    long at = maxWindowEnd + idleTimeoutMillis;
    return at < maxWindowEnd || at > latest ? latest : at; // overflow or past the cap
  }

  /**
   * Whether an interval ending at {@code windowEnd} arrives after this device went idle: its element time (the
   * window's last millisecond) is at or after {@link #idleAt}, so an event-time timer set there would have
   * fired before it, whatever order the runner delivers the two in.
   */
  public boolean idleBefore(long windowEnd, long idleTimeoutMillis) {
    return maxWindowEnd != Long.MIN_VALUE && windowEnd - 1 >= idleAt(idleTimeoutMillis, Long.MAX_VALUE);
  }

  /**
   * Merges one fired window's update and returns the decisions it causes: the decision for its interval,
   * plus a revised decision for every later retained interval whose score it changed.
   *
   * @param retentionMillis how far behind the newest interval updates are kept for exact reprocessing
   */
  public List<Decision> apply(
      String device, IntervalUpdate u, Scorer scorer, IntervalNumbering numbering, long retentionMillis) {
    List<Decision> out = new ArrayList<>(1);
    long w = u.windowEnd;
    boolean outOfOrder = w < maxWindowEnd;
    long interval = numbering.intervalOf(u.windowStart);
    if (w <= baseHorizon) {
      // Too old to reconstruct its vector: merge it (newer values still win) and score the current vector.
      mergeInto(baseValues, baseTimes, u);
      double[] vector = vectorAsOf(Long.MAX_VALUE);
      Prediction p = scorer.score(features(vector));
      out.add(new Decision(w, interval, device, u.count, p.probability(), p.label(), true, outOfOrder, false, u.sentinel));
      return out;
    }
    Retained entry = retained.get(w);
    boolean seenBefore = entry != null;
    if (entry == null) {
      IntervalUpdate copy = u.copy();
      entry = new Retained(copy, Double.NaN, -1);
      retained.put(w, entry);
    } else {
      entry.update.merge(u);
      entry.update.late |= u.late;
    }
    maxWindowEnd = Math.max(maxWindowEnd, w);

    double[] vector = baseValues.clone();
    long[] times = baseTimes.clone();
    for (Map.Entry<Long, Retained> e : retained.entrySet()) {
      Retained r = e.getValue();
      mergeInto(vector, times, r.update);
      if (e.getKey() < w) {
        continue;
      }
      Prediction p = scorer.score(features(vector));
      if (e.getKey() == w) {
        out.add(new Decision(w, interval, device, r.update.count, p.probability(), p.label(),
            u.late, outOfOrder, seenBefore, r.update.sentinel));
      } else if (Double.compare(p.probability(), r.emittedProbability) != 0 || p.label() != r.emittedLabel) {
        IntervalUpdate ru = r.update;
        out.add(new Decision(ru.windowEnd, numbering.intervalOf(ru.windowStart), device, ru.count,
            p.probability(), p.label(), ru.late, true, true, ru.sentinel));
      }
      r.emittedProbability = p.probability();
      r.emittedLabel = p.label();
    }
    foldOlderThan(maxWindowEnd - retentionMillis);
    return out;
  }

  private void foldOlderThan(long horizon) {
    while (!retained.isEmpty() && retained.firstKey() < horizon) {
      Map.Entry<Long, Retained> first = retained.pollFirstEntry();
      mergeInto(baseValues, baseTimes, first.getValue().update);
      baseHorizon = Math.max(baseHorizon, first.getKey());
    }
  }

  /** The vector after the base and every retained interval ending at or before {@code windowEnd}. */
  double[] vectorAsOf(long windowEnd) {
    double[] vector = baseValues.clone();
    long[] times = baseTimes.clone();
    for (Retained r : retained.headMap(windowEnd, true).values()) {
      mergeInto(vector, times, r.update);
    }
    return vector;
  }

  /** Takes each sensor's value from {@code u} unless {@code times} holds a newer one: old never overwrites new. */
  private static void mergeInto(double[] values, long[] times, IntervalUpdate u) {
    for (int s = 1; s < values.length; s++) {
      long ut = u.times[s];
      if (ut != IntervalUpdate.UNSET && ut >= times[s]) {
        values[s] = u.values[s];
        times[s] = ut;
      }
    }
  }

  private static double[] features(double[] vector) {
    return Arrays.copyOfRange(vector, 1, vector.length);
  }

  /** Number of intervals held for exact reprocessing (for tests). */
  int retainedIntervals() {
    return retained.size();
  }

  /** Coder for the state cell (explicit, no Java serialization): the base vector sparse, then the retained intervals. */
  public static final class Coder extends AtomicCoder<DeviceHistory> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(DeviceHistory h, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      int n = h.sensors();
      data.writeInt(n);
      // Sparse like IntervalUpdate's coder: a sensor never heard from is 0.5 with no time, and most devices
      // have sent few sensors since their retained intervals were folded in.
      int heard = 0;
      for (int s = 1; s <= n; s++) {
        if (h.baseTimes[s] != IntervalUpdate.UNSET) {
          heard++;
        }
      }
      data.writeInt(heard);
      for (int s = 1; s <= n; s++) {
        if (h.baseTimes[s] != IntervalUpdate.UNSET) {
          data.writeInt(s);
          data.writeDouble(h.baseValues[s]);
          data.writeLong(h.baseTimes[s]);
        }
      }
      data.writeLong(h.baseHorizon);
      data.writeLong(h.maxWindowEnd);
      data.writeInt(h.retained.size());
      data.flush();
      for (Retained r : h.retained.values()) {
        IntervalUpdate.Coder.of().encode(r.update, out);
        data.writeDouble(r.emittedProbability);
        data.writeInt(r.emittedLabel);
        data.flush();
      }
    }

    @Override
    public DeviceHistory decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      DeviceHistory h = new DeviceHistory(data.readInt());
      int heard = data.readInt();
      for (int i = 0; i < heard; i++) {
        int s = data.readInt();
        h.baseValues[s] = data.readDouble();
        h.baseTimes[s] = data.readLong();
      }
      h.baseHorizon = data.readLong();
      h.maxWindowEnd = data.readLong();
      int size = data.readInt();
      for (int i = 0; i < size; i++) {
        IntervalUpdate u = IntervalUpdate.Coder.of().decode(in);
        double p = data.readDouble();
        int label = data.readInt();
        h.retained.put(u.windowEnd, new Retained(u, p, label));
      }
      return h;
    }
  }
}
