package io.iotbench.simulator;

import io.iotbench.model.SensorEvent;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Decides which message (one or more readings of one device at one instant) goes out next and when,
 * without touching a clock: the caller passes the time (nanoseconds since the start) and waits until
 * {@link #nextDue} itself. That keeps the stream a pure function of the {@link SimulationSpec} and the
 * times passed in, so the pacing, lateness and seeding are unit-tested with a fake clock.
 *
 * <p><b>Messages.</b> With {@code readingsPerMessage} k, each message carries k readings of one device
 * stamped with one time: for k = 1 one random sensor (the original's stream), for k = sensors every
 * sensor in order 1..n (the workshop's message), in between k distinct random sensors in ascending
 * order. The rate counts readings, so messages are due at {@code rate / k} per second on average.
 *
 * <p><b>Pacing.</b> With a rate, message k is generated at the sum of the first k lognormal waits,
 * an absolute schedule: a late wake-up or a slow sink delays the events behind it but never shifts the
 * schedule, so the average rate does not drift. Without a rate, every event is due at once and is
 * generated at the time passed in.
 *
 * <p><b>Lateness.</b> A generated message is held back with probability {@code latePercent/100} for a
 * uniform delay in (0, maxDelay]; it keeps the timestamp of its generation, so it arrives after events
 * generated later (out of order). Held messages go out when their delay has passed, also after the
 * last regular event, before the sentinels.
 *
 * <p><b>Randomness.</b> Content (device, sensor, value), waits and lateness come from three
 * independent streams split from one {@link SplittableRandom}: the same seed gives the same events
 * in the same order, and changing the rate or lateness does not change which readings are sent.
 * Devices and sensors are uniform over 1..devices and 1..sensors, values uniform in [0, 1).
 */
public final class EventScheduler {

  /** Returned by {@link #nextDue} when the stream has ended. */
  public static final long END = Long.MAX_VALUE;

  private final SimulationSpec spec;
  private final long startEpochMillis;
  private final String[] deviceIds;
  private final SplittableRandom content;
  private final SplittableRandom lateness;
  private final LognormalWaits waits;
  private final double lateFraction;
  private final long maxDelayNanos;
  private final PriorityQueue<Held> held = new PriorityQueue<>();

  private long generated;
  private long heldCount;
  private long nextGenerationNanos;
  private int sentinelsLeft;
  private final int[] sensorOrder;
  private List<SensorEvent> pending;
  private long pendingDue;
  private long lastDue;

  private record Held(long releaseNanos, long sequence, List<SensorEvent> message) implements Comparable<Held> {
    @Override
    public int compareTo(Held o) {
      int c = Long.compare(releaseNanos, o.releaseNanos);
      return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
  }

  /**
   * @param spec the stream
   * @param startEpochMillis the wall-clock time of nanosecond 0, for the events' timestamps
   */
  public EventScheduler(SimulationSpec spec, long startEpochMillis) {
    this.spec = spec;
    this.startEpochMillis = startEpochMillis;
    this.deviceIds = new String[spec.devices()];
    for (int i = 0; i < deviceIds.length; i++) {
      deviceIds[i] = Integer.toString(i + 1);
    }
    SplittableRandom root = new SplittableRandom(spec.seed());
    this.content = root.split();
    SplittableRandom timing = root.split();
    this.lateness = root.split();
    this.waits = spec.rate() > 0 ? new LognormalWaits(spec.rate() / spec.readingsPerMessage(), timing) : null;
    this.sensorOrder = new int[spec.sensors()];
    for (int i = 0; i < sensorOrder.length; i++) {
      sensorOrder[i] = i + 1;
    }
    this.lateFraction = spec.latePercent() / 100.0;
    this.maxDelayNanos = spec.maxDelay().toNanos();
    this.sentinelsLeft = spec.sentinel() ? spec.devices() : 0;
  }

  /** The device ids, "1".."devices". */
  public String deviceId(int index) {
    return deviceIds[index];
  }

  /**
   * When the next event is due, in nanoseconds since the start ({@code <= now}: send it now), or
   * {@link #END}. Calling it again without {@link #next} returns the same time.
   */
  public long nextDue(long now) {
    while (pending == null) {
      long dueRegular = generated < spec.total() ? (waits != null ? nextGenerationNanos : now) : END;
      long dueHeld = held.isEmpty() ? END : held.peek().releaseNanos();
      if (dueHeld != END && dueHeld <= dueRegular) {
        pending = held.poll().message();
        pendingDue = dueHeld;
      } else if (dueRegular != END) {
        List<SensorEvent> message = generate(dueRegular);
        if (lateFraction > 0 && lateness.nextDouble() < lateFraction) {
          long delay = 1 + lateness.nextLong(maxDelayNanos);
          held.add(new Held(dueRegular + delay, heldCount++, message));
        } else {
          pending = message;
          pendingDue = dueRegular;
        }
      } else if (sentinelsLeft > 0) {
        long at = waits != null ? lastDue : Math.max(lastDue, now);
        pending = List.of(SensorEvent.sentinel(instant(at), deviceIds[spec.devices() - sentinelsLeft]));
        pendingDue = at;
        sentinelsLeft--;
      } else {
        return END;
      }
    }
    return pendingDue;
  }

  /**
   * The message that {@link #nextDue} announced, its readings sharing one device and time (a sentinel
   * is a message of its own); call when that time has come.
   */
  public List<SensorEvent> nextMessage() {
    if (pending == null) {
      throw new IllegalStateException("call nextDue first; after END there is no next event");
    }
    List<SensorEvent> message = pending;
    pending = null;
    lastDue = Math.max(lastDue, pendingDue);
    return message;
  }

  /** {@link #nextMessage} for a stream of one reading per message: its one event. */
  public SensorEvent next() {
    List<SensorEvent> message = nextMessage();
    if (message.size() != 1) {
      throw new IllegalStateException("a message of " + message.size() + " readings: use nextMessage()");
    }
    return message.get(0);
  }

  /** Events (readings) generated so far (sent or held), not counting sentinels. */
  public long generated() {
    return generated;
  }

  /** Messages currently held back. */
  public int heldBack() {
    return held.size();
  }

  private List<SensorEvent> generate(long atNanos) {
    String device = deviceIds.length == 1 ? deviceIds[0] : deviceIds[content.nextInt(deviceIds.length)];
    Instant time = instant(atNanos);
    int k = spec.readingsPerMessage();
    List<SensorEvent> message;
    if (k == 1) {
      int sensor = 1 + content.nextInt(spec.sensors());
      message = List.of(new SensorEvent(time, device, sensor, content.nextDouble()));
    } else {
      int n = sensorOrder.length;
      if (k < n) {
        // A partial Fisher-Yates shuffle: the first k places hold k distinct random sensors.
        for (int i = 0; i < k; i++) {
          int j = i + content.nextInt(n - i);
          int swap = sensorOrder[i];
          sensorOrder[i] = sensorOrder[j];
          sensorOrder[j] = swap;
        }
        Arrays.sort(sensorOrder, 0, k);
      }
      SensorEvent[] readings = new SensorEvent[k];
      for (int i = 0; i < k; i++) {
        readings[i] = new SensorEvent(time, device, sensorOrder[i], content.nextDouble());
      }
      message = List.of(readings);
    }
    generated += k;
    if (waits != null) {
      nextGenerationNanos += waits.nextNanos();
    }
    return message;
  }

  private Instant instant(long nanosSinceStart) {
    return Instant.ofEpochMilli(startEpochMillis + nanosSinceStart / 1_000_000);
  }
}
