package io.iotbench.model;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * One reading of one sensor of one device at one instant, as the simulator sends it and the scorer
 * receives it. Sensors are numbered from 1; the original benchmark ends a stream with one event for
 * sensor {@value #SENTINEL_SENSOR} (see {@link #sentinel}), which carries no reading. Single-device
 * streams (the original format) use device {@value #DEFAULT_DEVICE}.
 */
public record SensorEvent(Instant eventTime, String deviceId, int sensor, double value)
    implements Serializable {

  /** The sensor number of the end-of-stream event, as the original simulator sends it. */
  public static final int SENTINEL_SENSOR = -1;

  /** The device of events whose format carries no device id. */
  public static final String DEFAULT_DEVICE = "1";

  public SensorEvent {
    Objects.requireNonNull(eventTime, "eventTime");
    Objects.requireNonNull(deviceId, "deviceId");
  }

  /** True for the end-of-stream event. */
  public boolean isSentinel() {
    return sensor == SENTINEL_SENSOR;
  }

  /** The end-of-stream event of {@code deviceId}; its value is 0, as the original writes it. */
  public static SensorEvent sentinel(Instant t, String deviceId) {
    return new SensorEvent(t, deviceId, SENTINEL_SENSOR, 0.0);
  }
}
