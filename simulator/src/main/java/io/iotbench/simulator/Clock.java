package io.iotbench.simulator;

import java.util.concurrent.locks.LockSupport;

/**
 * The time source of the simulator: a monotonic nanosecond clock to pace by, the wall clock for the
 * events' timestamps, and a way to wait. Tests replace it with a fake clock, so pacing is tested
 * without sleeping.
 */
public interface Clock {

  /** Monotonic time in nanoseconds, as {@link System#nanoTime()}. */
  long nanoTime();

  /** Wall-clock time in milliseconds since the epoch, as {@link System#currentTimeMillis()}. */
  long currentTimeMillis();

  /** Returns once {@link #nanoTime()} has reached {@code deadline} (at once if it has already). */
  void sleepUntil(long deadline) throws InterruptedException;

  /** The real clock. Sleeping parks the thread: waking a little late is corrected by the schedule. */
  Clock SYSTEM =
      new Clock() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
          return System.currentTimeMillis();
        }

        @Override
        public void sleepUntil(long deadline) throws InterruptedException {
          for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
              throw new InterruptedException();
            }
          }
        }
      };
}
