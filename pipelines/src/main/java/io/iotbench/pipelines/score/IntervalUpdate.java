package io.iotbench.pipelines.score;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * What one interval (fixed window) contributes for one device: the number of sensor events, whether the
 * end-of-stream sentinel arrived, and for each sensor heard from its latest value and that value's event
 * time. It is both the combiner's accumulator and its output, so the shuffle carries one small update per
 * window and device; after the window fires it also carries the window's bounds and whether the pane was
 * late. Sensors are 1..n; arrays are indexed by sensor, and a time of {@link #UNSET} means "not heard".
 */
public final class IntervalUpdate {
  /** Event time of a sensor that sent nothing. */
  public static final long UNSET = Long.MIN_VALUE;

  final long[] times; // event time in microseconds per sensor (index 0 unused)
  final double[] values;
  long count;
  boolean sentinel;
  long windowStart; // millis; set once the window fired
  long windowEnd;
  boolean late;

  /** An empty update for sensors 1..{@code sensors}. */
  public IntervalUpdate(int sensors) {
    times = new long[sensors + 1];
    values = new double[sensors + 1];
    Arrays.fill(times, UNSET);
  }

  public int sensors() {
    return times.length - 1;
  }

  public long count() {
    return count;
  }

  public boolean sentinel() {
    return sentinel;
  }

  public long windowStart() {
    return windowStart;
  }

  public long windowEnd() {
    return windowEnd;
  }

  public boolean late() {
    return late;
  }

  /** The event time (micros) of sensor {@code s}'s latest value here, or {@link #UNSET}. */
  public long time(int s) {
    return times[s];
  }

  public double value(int s) {
    return values[s];
  }

  /**
   * Keeps {@code value} for sensor {@code s} if it is newer than what is held. Equal times are broken by the
   * larger value so the result does not depend on arrival order (Beam gives no order within a window).
   */
  public void offer(int s, long timeMicros, double value) {
    long held = times[s];
    if (timeMicros > held || (timeMicros == held && Double.compare(value, values[s]) > 0)) {
      times[s] = timeMicros;
      values[s] = value;
    }
  }

  /** Folds {@code other} (same sensors) into this one. */
  public void merge(IntervalUpdate other) {
    for (int s = 1; s < times.length; s++) {
      if (other.times[s] != UNSET) {
        offer(s, other.times[s], other.values[s]);
      }
    }
    count += other.count;
    sentinel |= other.sentinel;
  }

  /** A deep copy (DoFns must not mutate their inputs). */
  public IntervalUpdate copy() {
    IntervalUpdate c = new IntervalUpdate(sensors());
    System.arraycopy(times, 0, c.times, 0, times.length);
    System.arraycopy(values, 0, c.values, 0, values.length);
    c.count = count;
    c.sentinel = sentinel;
    c.windowStart = windowStart;
    c.windowEnd = windowEnd;
    c.late = late;
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IntervalUpdate u
        && Arrays.equals(times, u.times)
        && Arrays.equals(values, u.values)
        && count == u.count
        && sentinel == u.sentinel
        && windowStart == u.windowStart
        && windowEnd == u.windowEnd
        && late == u.late;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(times) * 31 + Long.hashCode(windowEnd);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("IntervalUpdate{end=").append(windowEnd).append(", count=").append(count);
    for (int s = 1; s < times.length; s++) {
      if (times[s] != UNSET) {
        sb.append(", s").append(s).append('=').append(values[s]);
      }
    }
    return sb.append('}').toString();
  }

  /** Sparse coder: only the sensors heard from travel. */
  public static final class Coder extends AtomicCoder<IntervalUpdate> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(IntervalUpdate u, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      int n = u.sensors();
      data.writeInt(n);
      data.writeLong(u.count);
      data.writeByte((u.sentinel ? 1 : 0) | (u.late ? 2 : 0));
      data.writeLong(u.windowStart);
      data.writeLong(u.windowEnd);
      int heard = 0;
      for (int s = 1; s <= n; s++) {
        if (u.times[s] != UNSET) {
          heard++;
        }
      }
      data.writeInt(heard);
      for (int s = 1; s <= n; s++) {
        if (u.times[s] != UNSET) {
          data.writeInt(s);
          data.writeLong(u.times[s]);
          data.writeDouble(u.values[s]);
        }
      }
      data.flush();
    }

    @Override
    public IntervalUpdate decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      IntervalUpdate u = new IntervalUpdate(data.readInt());
      u.count = data.readLong();
      int flags = data.readByte();
      u.sentinel = (flags & 1) != 0;
      u.late = (flags & 2) != 0;
      u.windowStart = data.readLong();
      u.windowEnd = data.readLong();
      int heard = data.readInt();
      for (int i = 0; i < heard; i++) {
        int s = data.readInt();
        u.times[s] = data.readLong();
        u.values[s] = data.readDouble();
      }
      return u;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
