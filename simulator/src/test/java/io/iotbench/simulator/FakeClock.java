package io.iotbench.simulator;

import java.util.function.LongSupplier;

/** A clock that only moves when told to: sleeping jumps to the deadline (plus a chosen oversleep). */
final class FakeClock implements Clock {

  /** 2018-01-13T21:37:30.830Z, the original's example timestamp. */
  static final long START_EPOCH_MILLIS = 1_515_879_450_830L;

  private long nanos = 7_000_000_000L;
  private final long nanosAtStart = nanos;
  private LongSupplier oversleep = () -> 0;
  private long sleeps;

  @Override
  public long nanoTime() {
    return nanos;
  }

  @Override
  public long currentTimeMillis() {
    return START_EPOCH_MILLIS + (nanos - nanosAtStart) / 1_000_000;
  }

  @Override
  public void sleepUntil(long deadline) {
    if (deadline > nanos) {
      nanos = deadline + oversleep.getAsLong();
      sleeps++;
    }
  }

  /** Time spent by the code under test, e.g. a sink's cost per event. */
  void advance(long n) {
    nanos += n;
  }

  /** Every sleep wakes up this much late (a real OS never wakes exactly on time). */
  void oversleep(LongSupplier late) {
    this.oversleep = late;
  }

  long sleeps() {
    return sleeps;
  }

  long elapsed() {
    return nanos - nanosAtStart;
  }
}
