package io.iotbench.simulator.sink;

import io.iotbench.model.EventCsvCodec;
import io.iotbench.model.JsonEventCodec;
import io.iotbench.model.SensorEvent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Turns messages into the bytes a sink sends, using the model's codecs for the text itself. CSV is the
 * original line {@code 2018-01-13T21:37:30.830Z,77,Sensor 77,0.474536}, one reading per line, with the
 * device id as a fifth field when the stream has several devices ({@link EventCsvCodec}); JSON is one
 * message per device and instant in {@link JsonEventCodec}'s default fields, carrying all the readings
 * it is given ({@code {"sensor_id":1,"sensor_ts":1515879450830000,"sensor_0":0.47,"sensor_1":0.18}},
 * sensor k as {@code sensor_<k-1>}), with its {@code "sentinel":true} message for the end of stream.
 * Not thread-safe: each sink owns one.
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
  private int[] sensors = new int[0];
  private double[] values = new double[0];

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

  /** Appends the message's text (no line break) to {@code out}. */
  public void encode(List<SensorEvent> message, ByteArrayBuilder out) {
    out.append(toBytes(message));
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
    return utf8();
  }

  /**
   * The message's text as a new byte array. A message of one event is {@link #toBytes(SensorEvent)};
   * several readings need JSON and must share one device and time.
   *
   * @throws IllegalArgumentException for an empty message, several readings in CSV, or readings of
   *     different devices or times
   */
  public byte[] toBytes(List<SensorEvent> message) {
    int n = message.size();
    if (n == 1) {
      return toBytes(message.get(0));
    }
    if (n == 0 || format == Format.CSV) {
      throw new IllegalArgumentException(
          n == 0 ? "a message needs at least one reading" : "a CSV line carries one reading, not " + n);
    }
    if (sensors.length < n) {
      sensors = new int[n];
      values = new double[n];
    }
    SensorEvent first = message.get(0);
    for (int i = 0; i < n; i++) {
      SensorEvent e = message.get(i);
      if (e.isSentinel() || !e.deviceId().equals(first.deviceId()) || !e.eventTime().equals(first.eventTime())) {
        throw new IllegalArgumentException("the readings of one message share one device and time: " + message);
      }
      sensors[i] = e.sensor();
      values[i] = e.value();
    }
    text.setLength(0);
    text.append(json.format(first.deviceId(), first.eventTime(),
        sensors.length == n ? sensors : Arrays.copyOf(sensors, n), values.length == n ? values : Arrays.copyOf(values, n)));
    return utf8();
  }

  private byte[] utf8() {
    // For ASCII text (all CSV, nearly all JSON) the JDK does this with two vectorised array copies,
    // faster than a char-by-char loop; other text gets a real UTF-8 encoding.
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }
}
