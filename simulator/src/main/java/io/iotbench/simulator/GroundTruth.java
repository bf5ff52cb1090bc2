package io.iotbench.simulator;

import io.iotbench.model.LabelingRule;
import io.iotbench.model.SensorEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The true state of every device, interval by interval, as the simulator knows it: each device's sensor vector
 * (every sensor starts at 0.5 and holds the last value sent for it, by event time) at the end of each fixed
 * interval of event time, and the label the documented rule gives it ({@link LabelingRule}: 1 when
 * sum(i * v_i) &gt; cutoff). Intervals are aligned to the epoch like the scorer's fixed windows, so a row's
 * {@code window_end} names the same interval as a decision's {@code windowEnd}.
 *
 * <p>Written as CSV, one row per device and interval from the first event's interval to the last one's, devices in
 * id order: {@code device,window_start,window_end,events,label} (times ISO-8601 UTC; {@code events}: readings of
 * the device whose event time falls in the interval). Readings sent late (out of order, with their original time)
 * count where their time puts them: a window is written only once no reading can still come for it, that is once
 * a reading {@code holdMillis} (the simulator's {@code --maxDelay} when it sends late, else 0) past its end was
 * recorded, or at {@link #close}. Sentinels are not readings.
 */
public final class GroundTruth implements AutoCloseable {
  static final String HEADER = "device,window_start,window_end,events,label";

  private final List<String> devices;
  private final long intervalMillis;
  private final double cutoff;
  private final long holdMillis;
  private final Writer out;
  private final Map<String, double[]> vectors = new TreeMap<>();
  private final TreeMap<Long, List<SensorEvent>> pending = new TreeMap<>();
  private long next = Long.MIN_VALUE; // the first window not yet written
  private long newest = Long.MIN_VALUE;
  private long rows;

  public GroundTruth(int sensors, List<String> devices, long intervalMillis, double cutoff, long holdMillis, Writer out) {
    if (intervalMillis <= 0 || holdMillis < 0) {
      throw new IllegalArgumentException("interval must be positive and hold not negative");
    }
    this.devices = List.copyOf(devices);
    this.intervalMillis = intervalMillis;
    this.cutoff = cutoff;
    this.holdMillis = holdMillis;
    this.out = out;
    for (String d : devices) {
      double[] v = new double[sensors];
      Arrays.fill(v, 0.5);
      vectors.put(d, v);
    }
    write(HEADER);
  }

  /** Rows written so far. */
  public long rows() {
    return rows;
  }

  /** Records one message as it is sent. */
  public void record(List<SensorEvent> message) {
    for (SensorEvent e : message) {
      if (e.isSentinel()) {
        continue;
      }
      long t = e.eventTime().toEpochMilli();
      long window = Math.floorDiv(t, intervalMillis);
      if (next == Long.MIN_VALUE) {
        next = window;
      }
      if (window < next) {
        throw new IllegalStateException("a reading at " + e.eventTime() + " came after its interval was written (late by more than the hold)");
      }
      pending.computeIfAbsent(window, w -> new ArrayList<>()).add(e);
      newest = Math.max(newest, t);
    }
    if (next != Long.MIN_VALUE) {
      writeUpTo(Math.floorDiv(newest - holdMillis, intervalMillis));
    }
  }

  /** Writes the windows before {@code end} (exclusive). */
  private void writeUpTo(long end) {
    for (; next < end; next++) {
      List<SensorEvent> readings = pending.remove(next);
      Map<String, Long> counts = new TreeMap<>();
      if (readings != null) {
        readings.sort(Comparator.comparing(SensorEvent::eventTime)); // stable: a message's readings keep their order
        for (SensorEvent e : readings) {
          double[] v = vectors.get(e.deviceId());
          if (v == null) {
            throw new IllegalArgumentException("device " + e.deviceId() + " is not one of " + devices);
          }
          v[e.sensor() - 1] = e.value();
          counts.merge(e.deviceId(), 1L, Long::sum);
        }
      }
      Instant start = Instant.ofEpochMilli(next * intervalMillis);
      Instant end2 = start.plusMillis(intervalMillis);
      for (String d : devices) {
        write(d + "," + start + "," + end2 + "," + counts.getOrDefault(d, 0L) + "," + LabelingRule.label(vectors.get(d), cutoff));
        rows++;
      }
    }
  }

  private void write(String line) {
    try {
      out.write(line);
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes every window up to the newest reading's and closes the writer. */
  @Override
  public void close() throws IOException {
    try {
      if (next != Long.MIN_VALUE) {
        writeUpTo(Math.floorDiv(newest, intervalMillis) + 1);
      }
    } finally {
      out.close();
    }
  }
}
