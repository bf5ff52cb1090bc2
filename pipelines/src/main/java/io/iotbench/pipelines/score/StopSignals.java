package io.iotbench.pipelines.score;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGTERM and SIGINT (Ctrl-C) into a request to end the running scorer, which then drains like at any other
 * end condition: the JVM does not begin its shutdown (no shutdown hook races the pipeline; an exit during a Spark
 * streaming stop would deadlock), the monitor ends the run and the command exits by itself. A second signal asks
 * to stop without waiting for the drain. The previous handlers come back on {@link #close}. Where the JVM does
 * not allow the handlers (they are taken, e.g. by {@code -Xrs}), signals keep their default effect.
 */
final class StopSignals implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
  private static final List<String> NAMES = List.of("TERM", "INT");

  private final List<Signal> signals = new ArrayList<>();
  private final List<SignalHandler> previous = new ArrayList<>();
  private volatile String received;
  private volatile boolean forced;

  private StopSignals() {}

  /** Handles SIGTERM and SIGINT until closed. */
  static StopSignals install() {
    StopSignals s = new StopSignals();
    for (String name : NAMES) {
      try {
        Signal signal = new Signal(name);
        SignalHandler old = Signal.handle(signal, s::handle);
        s.signals.add(signal);
        s.previous.add(old);
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        LOG.debug("cannot handle SIG{}: {}", name, e.toString());
      }
    }
    return s;
  }

  /** No signal handling (tests of the monitor). */
  static StopSignals none() {
    return new StopSignals();
  }

  private void handle(Signal signal) {
    if (received == null) {
      received = "SIG" + signal.getName();
      LOG.warn("{} received: ending the run (writing its last outputs; a second signal stops at once)", received);
    } else {
      forced = true;
      LOG.warn("SIG{} received again: stopping without waiting for the last outputs", signal.getName());
    }
  }

  /** {@code SIGTERM} or {@code SIGINT} once one was received, else null. */
  String received() {
    return received;
  }

  /** Whether a second signal asked to stop without waiting for the drain. */
  boolean forced() {
    return forced;
  }

  /** For tests: as if the process had received {@code name}. */
  void raise(String name) {
    handle(new Signal(name));
  }

  @Override
  public void close() {
    for (int i = 0; i < signals.size(); i++) {
      try {
        Signal.handle(signals.get(i), previous.get(i));
      } catch (IllegalArgumentException e) {
        LOG.debug("cannot restore the handler of {}: {}", signals.get(i), e.toString());
      }
    }
  }
}
