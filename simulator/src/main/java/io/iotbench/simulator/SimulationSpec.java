package io.iotbench.simulator;

import java.time.Duration;

/**
 * What stream to simulate, independent of where it goes: how many sensors and devices, the average
 * rate (0 = as fast as the sink takes events), how many events, the seed, the share of messages held
 * back and for how long at most, whether the stream ends with sentinel events, and how many readings
 * one message carries. An event is one sensor reading everywhere: the rate and the total count
 * readings, and a message of k readings counts k events (the scorer's "sensor events" too).
 *
 * @param sensors sensors per device, numbered 1..sensors
 * @param rate average events per second over all devices; 0 for no pacing
 * @param total events to send, not counting sentinels
 * @param devices devices, with ids "1".."devices"
 * @param seed seed of every random choice (content, waits, lateness)
 * @param latePercent percentage (0..100) of messages held back before they are sent
 * @param maxDelay the longest an event is held back (each held event waits uniformly in (0, maxDelay])
 * @param sentinel whether to end the stream with one sentinel per device
 * @param readingsPerMessage readings of one device at one instant sent as one message, 1..sensors;
 *     {@code total} must be a multiple of it
 */
public record SimulationSpec(
    int sensors,
    double rate,
    long total,
    int devices,
    long seed,
    double latePercent,
    Duration maxDelay,
    boolean sentinel,
    int readingsPerMessage) {

  public SimulationSpec {
    if (sensors < 1) {
      throw new IllegalArgumentException("sensors must be >= 1: " + sensors);
    }
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("rate must be >= 0: " + rate);
    }
    if (total < 0) {
      throw new IllegalArgumentException("total must be >= 0: " + total);
    }
    if (devices < 1) {
      throw new IllegalArgumentException("devices must be >= 1: " + devices);
    }
    if (!(latePercent >= 0 && latePercent <= 100)) {
      throw new IllegalArgumentException("latePercent must be within 0..100: " + latePercent);
    }
    if (maxDelay.isNegative() || (latePercent > 0 && maxDelay.isZero())) {
      throw new IllegalArgumentException("maxDelay must be > 0 when events are held back: " + maxDelay);
    }
    if (readingsPerMessage < 1 || readingsPerMessage > sensors) {
      throw new IllegalArgumentException("readingsPerMessage must be within 1.." + sensors + ": " + readingsPerMessage);
    }
    if (total % readingsPerMessage != 0) {
      throw new IllegalArgumentException(
          "total must be a multiple of readingsPerMessage (" + readingsPerMessage + "): " + total);
    }
  }

  /** Messages to send, not counting sentinels. */
  public long messages() {
    return total / readingsPerMessage;
  }

  /** The defaults of {@code iotbench simulate}, with the given rate and total. */
  public static SimulationSpec of(int sensors, double rate, long total) {
    return new SimulationSpec(sensors, rate, total, 1, 42, 0, Duration.ofSeconds(5), true, 1);
  }

  public SimulationSpec withDevices(int d) {
    return new SimulationSpec(sensors, rate, total, d, seed, latePercent, maxDelay, sentinel, readingsPerMessage);
  }

  public SimulationSpec withSeed(long s) {
    return new SimulationSpec(sensors, rate, total, devices, s, latePercent, maxDelay, sentinel, readingsPerMessage);
  }

  public SimulationSpec withLateness(double percent, Duration max) {
    return new SimulationSpec(sensors, rate, total, devices, seed, percent, max, sentinel, readingsPerMessage);
  }

  public SimulationSpec withSentinel(boolean s) {
    return new SimulationSpec(sensors, rate, total, devices, seed, latePercent, maxDelay, s, readingsPerMessage);
  }

  public SimulationSpec withReadingsPerMessage(int k) {
    return new SimulationSpec(sensors, rate, total, devices, seed, latePercent, maxDelay, sentinel, k);
  }
}
