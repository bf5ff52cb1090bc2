package io.iotbench.simulator;

import io.iotbench.model.SensorEvent;
import io.iotbench.simulator.sink.EventSink;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;

/**
 * Runs one simulation: asks the {@link EventScheduler} for each message, waits on the {@link Clock}
 * until it is due, hands it to the {@link EventSink} and reports progress in events (readings). The sink must be open; the
 * caller closes it. Everything time-related goes through the clock, so tests run hours of paced
 * stream in milliseconds.
 */
public final class Simulator {

  /** Before a wait at least this long the sink hands over what it buffered (a paced stream is live). */
  static final long IDLE_FLUSH_NANOS = 1_000_000;

  /** Progress interval when there is no rate to take it from. */
  static final long MAX_RATE_PROGRESS_EVERY = 1_000_000;

  private final SimulationSpec spec;
  private final EventSink sink;
  private final Clock clock;
  private final Progress progress;

  /** What a run did: events (readings) sent (without sentinels), sentinels sent, and the time taken. */
  public record Result(long sent, long sentinels, long elapsedNanos) {
    public double seconds() {
      return elapsedNanos / 1e9;
    }

    /** Events per second, sentinels included. */
    public double eventsPerSecond() {
      return (sent + sentinels) / Math.max(1e-9, seconds());
    }
  }

  private GroundTruth truth;

  public Simulator(SimulationSpec spec, EventSink sink, Clock clock, Progress progress) {
    this.spec = spec;
    this.sink = sink;
    this.clock = clock;
    this.progress = progress;
  }

  /** Records every message sent into {@code groundTruth} too (the caller closes it). */
  public Simulator recordingTruth(GroundTruth groundTruth) {
    this.truth = groundTruth;
    return this;
  }

  /** How often progress is reported: every {@code rate} events (every second), 1,000,000 at max rate. */
  static long progressEvery(double rate) {
    return rate > 0 ? Math.max(1, Math.round(rate)) : MAX_RATE_PROGRESS_EVERY;
  }

  /** Sends the whole stream and flushes the sink; the time includes the flush (all delivered). */
  public Result run() throws IOException {
    long start = clock.nanoTime();
    EventScheduler scheduler = new EventScheduler(spec, clock.currentTimeMillis());
    long every = progressEvery(spec.rate());
    long sent = 0;
    long sentinels = 0;
    long now = 0;
    try {
      while (true) {
        long due = scheduler.nextDue(now);
        if (due == EventScheduler.END) {
          break;
        }
        if (due > now) {
          now = clock.nanoTime() - start;
          if (due > now) {
            if (due - now >= IDLE_FLUSH_NANOS) {
              sink.idle();
            }
            clock.sleepUntil(start + due);
            now = clock.nanoTime() - start;
          }
        }
        List<SensorEvent> message = scheduler.nextMessage();
        sink.send(message);
        if (truth != null) {
          truth.record(message);
        }
        if (message.get(0).isSentinel()) {
          sentinels++;
        } else {
          long before = sent;
          sent += message.size();
          if (sent / every != before / every) {
            progress.sent(sent);
          }
        }
        if (spec.rate() == 0) {
          // Unpaced: the time only stamps events and releases held ones, so reading it per event is enough.
          now = clock.nanoTime() - start;
        }
      }
      sink.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted after " + sent + " events");
    }
    Result result = new Result(sent, sentinels, clock.nanoTime() - start);
    progress.finished(sent, sink.describe(), result.seconds());
    return result;
  }
}
