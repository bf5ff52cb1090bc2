package io.iotbench.simulator.sink;

import io.iotbench.model.SensorEvent;
import java.io.IOException;
import java.util.List;

/**
 * Where simulated events go: standard output, the clients of a TCP server, a Kafka topic or an MQTT
 * topic. The simulator calls {@link #open} once (which fails fast, naming the address, if the
 * destination cannot be reached), {@link #send} per message from a single thread, {@link #idle} before
 * it waits for the next event, {@link #flush} at the end and {@link #close}. Sinks may buffer between
 * {@code idle} calls.
 */
public interface EventSink extends AutoCloseable {

  /**
   * Connects, binds or waits for clients.
   *
   * @throws SinkUnavailableException if the destination cannot be reached; its message names it
   */
  void open() throws IOException;

  /**
   * Sends (or buffers) one message: one or more readings of one device with one time, or one
   * sentinel. A sink sends it as one record (line, Kafka record or MQTT message).
   */
  void send(List<SensorEvent> message) throws IOException;

  /** Sends (or buffers) a message of one event. */
  default void send(SensorEvent event) throws IOException {
    send(List.of(event));
  }

  /** The simulator is about to wait: hand over what is buffered so a slow stream is not delayed. */
  default void idle() throws IOException {}

  /** Returns once everything sent so far has been delivered (written, or acknowledged by a broker). */
  void flush() throws IOException;

  /** For messages: {@code Kafka topic sensor-events at 127.0.0.1:9092}. Never contains secrets. */
  String describe();

  @Override
  void close() throws IOException;
}
