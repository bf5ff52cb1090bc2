package io.iotbench.simulator;

import io.iotbench.model.SensorEvent;
import io.iotbench.simulator.sink.EventSink;
import java.util.ArrayList;
import java.util.List;

/** Keeps every event and message with the fake time it was sent at; optionally costs time per message. */
final class RecordingSink implements EventSink {

  final List<SensorEvent> events = new ArrayList<>();
  final List<List<SensorEvent>> messages = new ArrayList<>();
  final List<Long> sentAtNanos = new ArrayList<>();
  private final FakeClock clock;
  private final long costNanos;
  int idles;
  int flushes;
  boolean opened;
  boolean closed;

  RecordingSink(FakeClock clock, long costNanos) {
    this.clock = clock;
    this.costNanos = costNanos;
  }

  @Override
  public void open() {
    opened = true;
  }

  @Override
  public void send(List<SensorEvent> message) {
    messages.add(message);
    events.addAll(message);
    sentAtNanos.add(clock.nanoTime());
    clock.advance(costNanos);
  }

  @Override
  public void idle() {
    idles++;
  }

  @Override
  public void flush() {
    flushes++;
  }

  @Override
  public String describe() {
    return "a recording";
  }

  @Override
  public void close() {
    closed = true;
  }
}
