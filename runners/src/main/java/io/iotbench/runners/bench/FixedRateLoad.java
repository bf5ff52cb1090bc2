package io.iotbench.runners.bench;

import io.iotbench.simulator.Clock;
import io.iotbench.simulator.Simulate;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/**
 * The capacity benchmark's load: {@code iotbench simulate --sink=kafka --rate=R} on a thread of this JVM (a child
 * JVM with the launcher's classpath took seconds to start, which a short run cannot afford), sending at the fixed
 * rate on its absolute schedule whatever the scorer does, until {@link #close()} stops it. Stopping goes through the
 * simulator's clock, which it reads between events even when it is behind schedule and never sleeps.
 */
final class FixedRateLoad implements AutoCloseable {
  private final Thread thread;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private volatile boolean stopped;
  private volatile int status = -1;

  private FixedRateLoad(List<String> args) {
    Clock stoppable = new Clock() {
      @Override
      public long nanoTime() {
        if (stopped) {
          throw new CancellationException("stopped");
        }
        return System.nanoTime();
      }

      @Override
      public long currentTimeMillis() {
        return System.currentTimeMillis();
      }

      @Override
      public void sleepUntil(long deadline) throws InterruptedException {
        Clock.SYSTEM.sleepUntil(deadline);
      }
    };
    thread = new Thread(() -> status = Simulate.run(args.toArray(String[]::new), OutputStream.nullOutputStream(),
        new PrintStream(OutputStream.nullOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8), stoppable),
        "iotbench-load");
    thread.setDaemon(true);
  }

  /** Starts sending {@code total} events at {@code rate} events/s of 100 sensors and {@code devices} devices. */
  static FixedRateLoad start(String bootstrapServers, String topic, double rate, long total, int devices) {
    FixedRateLoad load = new FixedRateLoad(List.of("--sink=kafka", "--bootstrapServers=" + bootstrapServers,
        "--topic=" + topic, "--rate=" + rate, "--total=" + total, "--sensors=100", "--devices=" + devices,
        "--sentinel=false"));
    load.thread.start();
    return load;
  }

  /** Why the simulator ended before it was stopped, or null while it runs (or ended well). */
  String failure() {
    return !thread.isAlive() && status != 0 && !stopped ? "simulate exited " + status + ": " + errorText() : null;
  }

  private String errorText() {
    String text = err.toString(StandardCharsets.UTF_8).strip();
    return text.substring(text.lastIndexOf('\n') + 1);
  }

  /**
   * Stops the simulator and waits (at most 30 s) for its thread. Not by interrupting it: an interrupt would also
   * break its Kafka producer's close.
   */
  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(TimeUnit.SECONDS.toMillis(30));
  }
}
