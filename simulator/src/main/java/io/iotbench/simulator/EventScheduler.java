package io.iotbench.simulator;

import io.iotbench.model.SensorEvent;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Decides which event goes out next and when, without touching a clock: the caller passes the time
 * (nanoseconds since the start) and waits until {@link #nextDue} itself. That keeps the stream a pure
 * function of the {@link SimulationSpec} and the times passed in, so the pacing, lateness and seeding
 * are unit-tested with a fake clock.
 *
 * <p><b>Pacing.</b> With a rate, event k is generated at the sum of the first k lognormal waits,
 * an absolute schedule: a late wake-up or a slow sink delays the events behind it but never shifts the
 * schedule, so the average rate does not drift. Without a rate, every event is due at once and is
 * generated at the time passed in.
 *
 * <p><b>Lateness.</b> A generated event is held back with probability {@code latePercent/100} for a
 * uniform delay in (0, maxDelay]; it keeps the timestamp of its generation, so it arrives after events
 * generated later (out of order). Held events go out when their delay has passed, also after the
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
  private SensorEvent pending;
  private long pendingDue;
  private long lastDue;

  private record Held(long releaseNanos, long sequence, SensorEvent event) implements Comparable<Held> {
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
    this.waits = spec.rate() > 0 ? new LognormalWaits(spec.rate(), timing) : null;
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
        pending = held.poll().event();
        pendingDue = dueHeld;
      } else if (dueRegular != END) {
        SensorEvent event = generate(dueRegular);
        if (lateFraction > 0 && lateness.nextDouble() < lateFraction) {
          long delay = 1 + lateness.nextLong(maxDelayNanos);
          held.add(new Held(dueRegular + delay, heldCount++, event));
        } else {
          pending = event;
          pendingDue = dueRegular;
        }
      } else if (sentinelsLeft > 0) {
        long at = waits != null ? lastDue : Math.max(lastDue, now);
        pending = SensorEvent.sentinel(instant(at), deviceIds[spec.devices() - sentinelsLeft]);
        pendingDue = at;
        sentinelsLeft--;
      } else {
        return END;
      }
    }
    return pendingDue;
  }

  /** The event that {@link #nextDue} announced; call when that time has come. */
  public SensorEvent next() {
    if (pending == null) {
      throw new IllegalStateException("call nextDue first; after END there is no next event");
    }
    SensorEvent event = pending;
    pending = null;
    lastDue = Math.max(lastDue, pendingDue);
    return event;
  }

  /** Events generated so far (sent or held), not counting sentinels. */
  public long generated() {
    return generated;
  }

  /** Events currently held back. */
  public int heldBack() {
    return held.size();
  }

  private SensorEvent generate(long atNanos) {
    String device = deviceIds.length == 1 ? deviceIds[0] : deviceIds[content.nextInt(deviceIds.length)];
    int sensor = 1 + content.nextInt(spec.sensors());
    double value = content.nextDouble();
    generated++;
    if (waits != null) {
      nextGenerationNanos += waits.nextNanos();
    }
    return new SensorEvent(instant(atNanos), device, sensor, value);
  }

  private Instant instant(long nanosSinceStart) {
    return Instant.ofEpochMilli(startEpochMillis + nanosSinceStart / 1_000_000);
  }
}
