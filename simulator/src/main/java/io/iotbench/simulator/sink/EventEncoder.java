package io.iotbench.simulator.sink;

import io.iotbench.model.EventCsvCodec;
import io.iotbench.model.JsonEventCodec;
import io.iotbench.model.SensorEvent;
import java.nio.charset.StandardCharsets;

/**
 * Turns events into the bytes a sink sends, using the model's codecs for the text itself. CSV is the
 * original line {@code 2018-01-13T21:37:30.830Z,77,Sensor 77,0.474536}, with the device id as a fifth
 * field when the stream has several devices ({@link EventCsvCodec}); JSON is one message per event in
 * {@link JsonEventCodec}'s default fields, with its {@code "sentinel":true} message for the end of
 * stream. Not thread-safe: each sink owns one.
 */
public final class EventEncoder {

  /** The wire formats of {@code --format}. */
  public enum Format {
    CSV,
    JSON
  }

  private final Format format;
  private final boolean withDevice;
  private final JsonEventCodec json = new JsonEventCodec(JsonEventCodec.Fields.defaults());
  private final StringBuilder text = new StringBuilder(96);
  private final int[] oneSensor = new int[1];
  private final double[] oneValue = new double[1];

  /**
   * @param format CSV or JSON
   * @param withDevice for CSV, whether lines carry the device id (streams of several devices)
   */
  public EventEncoder(Format format, boolean withDevice) {
    this.format = format;
    this.withDevice = withDevice;
  }

  public Format format() {
    return format;
  }

  /** Appends the event's text (no line break) to {@code out}. */
  public void encode(SensorEvent event, ByteArrayBuilder out) {
    out.append(toBytes(event));
  }

  /** The event's text as a new byte array: message sinks send one array per record. */
  public byte[] toBytes(SensorEvent event) {
    text.setLength(0);
    if (format == Format.CSV) {
      EventCsvCodec.append(text, event, withDevice);
    } else if (event.isSentinel()) {
      text.append(json.formatSentinel(event.deviceId(), event.eventTime()));
    } else {
      oneSensor[0] = event.sensor();
      oneValue[0] = event.value();
      text.append(json.format(event.deviceId(), event.eventTime(), oneSensor, oneValue));
    }
    // For ASCII text (all CSV, nearly all JSON) the JDK does this with two vectorised array copies,
    // faster than a char-by-char loop; other text gets a real UTF-8 encoding.
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }
}
