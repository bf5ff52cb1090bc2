package io.iotbench.runners.bench;

/**
 * One second's sample of a capacity run: the wall time (epoch milliseconds), the events produced so far (the end
 * offsets of the events topic), the offsets the scorer's consumer group has committed, and the events the scorer's
 * decisions published by then account for.
 */
record LagSample(long millis, long produced, long committed, long scored) {
  /** Events produced and not yet decided: the lag the capacity verdict uses. */
  long lag() {
    return produced - scored;
  }

  /** Events produced and not yet committed by the scorer's consumer group. */
  long committedLag() {
    return produced - committed;
  }

  /** This sample with {@code scored} set. */
  LagSample withScored(long scoredEvents) {
    return new LagSample(millis, produced, committed, scoredEvents);
  }
}
