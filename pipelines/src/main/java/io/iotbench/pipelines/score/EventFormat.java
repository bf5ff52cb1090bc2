package io.iotbench.pipelines.score;

import io.iotbench.model.EventCsvCodec;
import io.iotbench.model.JsonEventCodec;
import io.iotbench.model.SensorEvent;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The wire format of the event stream, {@code --format=csv|json}: the original's CSV line (optionally with
 * a device field) or one JSON message per device and instant (the codecs in {@code io.iotbench.model}).
 * Which records are usable, and their event times, is decided by {@link RecordRules} on top of {@link #parse}.
 */
public enum EventFormat implements Serializable {
  CSV,
  JSON;

  private static final JsonEventCodec JSON_CODEC = new JsonEventCodec(JsonEventCodec.Fields.defaults());

  /** The format named by {@code --format}. */
  public static EventFormat named(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new io.iotbench.pipelines.common.InvalidOptionException(
          "--format=" + name + ": expected csv or json");
    }
  }

  /**
   * The events of one record: one for a CSV line, one per reading for a JSON message.
   *
   * @throws io.iotbench.model.RecordFormatException if the record is malformed
   */
  public List<SensorEvent> parse(String record) {
    return this == CSV ? List.of(EventCsvCodec.parse(record)) : JSON_CODEC.parse(record);
  }

  /** Beam's timestamps are millisecond Joda instants; {@code t} must fit a long of milliseconds (the rules' range does). */
  public static org.joda.time.Instant toJoda(Instant t) {
    return new org.joda.time.Instant(t.toEpochMilli());
  }
}
