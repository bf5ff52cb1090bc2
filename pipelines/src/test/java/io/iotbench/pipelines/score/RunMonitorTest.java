package io.iotbench.pipelines.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.score.source.EndOfRun;
import io.iotbench.pipelines.testing.Runners;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.joda.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end conditions of an unbounded run, polled with made-up clock readings (nanoseconds from the start), the
 * drain at the end, and the exit code of a run stopped at its end. A run that drains ends at once when its end
 * condition holds; one on Beam's KafkaIO source (which cannot be told to end) waits a grace period first: with
 * {@code --interval=1} and the default out-of-orderness of 1 s, 3 s.
 */
class RunMonitorTest {
  private static final long MS = 1_000_000L;

  @TempDir Path temp;

  private RunMonitor monitor(String... args) {
    return new RunMonitor(ScoreFixtures.options(Runners.DIRECT, temp.resolve("model"), args), 0);
  }

  private RunMonitor kafkaIoMonitor(String... args) {
    return monitor(Runners.args(new String[] {"--source=kafka", "--kafkaSource=kafkaio"}, args));
  }

  @AfterEach
  void clearSignal() {
    EndOfRun.clear();
  }

  @Test
  void aDrainingRunEndsAtOnceAtItsEndCondition() {
    RunMonitor sentinels = monitor("--devices=2");
    assertFalse(sentinels.poll(100 * MS, 5, () -> 1));
    assertTrue(sentinels.poll(200 * MS, 5, () -> 2));
    assertEquals("sentinel", sentinels.reason());
    RunMonitor events = monitor("--maxEvents=10", "--source=file", "--replay=unbounded", "--inputFile=x");
    assertFalse(events.poll(100 * MS, 9, () -> 0));
    assertTrue(events.poll(200 * MS, 10, () -> 0));
    assertEquals("--maxEvents", events.reason());
  }

  @Test
  void stopsHalfTheGraceAfterEveryDevicesSentinel() {
    RunMonitor m = kafkaIoMonitor("--devices=2");
    assertFalse(m.poll(100 * MS, 5, () -> 1));
    assertFalse(m.poll(200 * MS, 5, () -> 2));
    assertEquals("sentinel", m.reason());
    assertFalse(m.poll(1699 * MS, 5, () -> 2));
    assertTrue(m.poll(1700 * MS, 5, () -> 2));
  }

  @Test
  void stopsTheGraceAfterMaxEvents() {
    RunMonitor m = kafkaIoMonitor("--maxEvents=10", "--stopOnSentinel=false");
    assertFalse(m.poll(100 * MS, 9, () -> 0));
    assertFalse(m.poll(200 * MS, 10, () -> 0));
    assertEquals("--maxEvents", m.reason());
    assertFalse(m.poll(3199 * MS, 10, () -> 0));
    assertTrue(m.poll(3200 * MS, 10, () -> 0));
  }

  @Test
  void stopsAtOnceAfterMaxRuntime() {
    RunMonitor m = monitor("--maxRuntime=2");
    assertFalse(m.poll(1999 * MS, 0, () -> 0));
    assertEquals("end of input", m.reason());
    assertTrue(m.poll(2000 * MS, 0, () -> 0));
    assertEquals("--maxRuntime", m.reason());
  }

  @Test
  void eventsAreTimedFromThePollBeforeTheFirstToThePollThatSawTheLast() {
    RunMonitor m = monitor();
    assertEquals(0, m.eventSeconds());
    m.poll(100 * MS, 0, () -> 0);
    m.poll(200 * MS, 50, () -> 0);
    assertEquals(0.1, m.eventSeconds(), 1e-9);
    m.poll(300 * MS, 50, () -> 0);
    m.poll(400 * MS, 80, () -> 0);
    m.poll(500 * MS, 80, () -> 0);
    assertEquals(0.3, m.eventSeconds(), 1e-9);
  }

  @Test
  void aRunStoppedAtItsEndDidNotFailWhateverTheRunnerReports() {
    PipelineResult failed = new FixedState(PipelineResult.State.FAILED);
    assertEquals(0, ScoreSensorStream.exitCode(new RunOutcome(failed, "sentinel", true, 1)));
    assertEquals(1, ScoreSensorStream.exitCode(new RunOutcome(failed, "pipeline failed", false, 1)));
    assertEquals(0, ScoreSensorStream.exitCode(new RunOutcome(new FixedState(PipelineResult.State.DONE), "end of input", false, 1)));
  }

  @Test
  void aRunWhoseSourceFailedFailedHoweverItStopped() {
    PipelineResult cancelled = new FixedState(PipelineResult.State.CANCELLED);
    assertEquals(1, ScoreSensorStream.exitCode(new RunOutcome(cancelled, "--maxRuntime", true, 1, "socket server gone")));
    assertEquals(1, ScoreSensorStream.exitCode(new RunOutcome(cancelled, "source failed", false, 1, "socket server gone")));
    assertEquals(0, ScoreSensorStream.exitCode(new RunOutcome(cancelled, "--maxRuntime", true, 1, null)));
  }

  /**
   * A failed source ends the run at once, although the runner holds the thread that waits for the pipeline far longer
   * than asked (Spark's waitUntilFinish, once a batch failed, first stops the streaming context gracefully).
   */
  @Test
  void aFailedSourceEndsTheRunWhileTheRunnerHoldsItsWaitingThread() {
    HeldResult held = new HeldResult();
    SourceHealth failed = new SourceHealth() {
      @Override
      Optional<String> failure() {
        return Optional.of("socket server gone");
      }
    };
    try {
      long start = System.nanoTime();
      RunOutcome outcome = monitor().awaitEnd(held, failed);
      long millis = (System.nanoTime() - start) / MS;
      assertTrue(millis < 5_000, millis + " ms");
      assertEquals("socket server gone", outcome.sourceFailure());
      assertEquals("source failed", outcome.reason());
      assertTrue(held.cancelled, "the pipeline was not stopped");
      assertEquals(1, ScoreSensorStream.exitCode(outcome));
    } finally {
      held.release.countDown();
    }
  }

  /**
   * SIGTERM ends a run like an end condition: its sources are told to end, and once the pipeline has finished (here:
   * as soon as the signal reached it) the run counts as drained, with exit code 0.
   */
  @Test
  void aSignalDrainsTheRun() {
    StopSignals signals = StopSignals.none();
    DrainingResult result = new DrainingResult(true);
    RunMonitor m = new RunMonitor(ScoreFixtures.options(Runners.DIRECT, temp.resolve("model"), "--drainTimeout=20"), 0, signals);
    signals.raise("TERM");
    RunOutcome outcome = m.awaitEnd(result, new SourceHealth());
    assertEquals("SIGTERM", outcome.reason());
    assertTrue(outcome.drain().completed(), outcome.toString());
    assertTrue(outcome.drain().seconds() < 10, outcome.toString());
    assertFalse(result.cancelled, "a drained pipeline needs no stop");
    assertEquals(0, ScoreSensorStream.exitCode(outcome));
    assertEquals("Drained in", RunSummary.drainedLine(outcome).substring(0, 10));
  }

  /** A pipeline that does not finish within --drainTimeout is stopped anyway: the run failed, and says why. */
  @Test
  void aRunNotDrainedWithinTheTimeoutIsStoppedAndFails() {
    DrainingResult result = new DrainingResult(false);
    RunMonitor m = monitor("--maxRuntime=0.1", "--drainTimeout=0.5");
    long start = System.nanoTime();
    RunOutcome outcome = m.awaitEnd(result, new SourceHealth());
    long millis = (System.nanoTime() - start) / MS;
    assertTrue(millis < 5_000, millis + " ms");
    assertEquals("--maxRuntime", outcome.reason());
    assertFalse(outcome.drain().completed());
    assertTrue(result.cancelled, "the pipeline was not stopped");
    assertEquals(1, ScoreSensorStream.exitCode(outcome));
    assertEquals("Not drained within 0.5 seconds (--drainTimeout, --maxRuntime): stopped anyway, the last decisions"
        + " and dead letters may be missing", RunSummary.drainedLine(outcome));
  }

  /** A running pipeline that finishes once the end of the run was signalled (if it can), or when cancelled. */
  private static final class DrainingResult implements PipelineResult {
    private final boolean finishes;
    volatile boolean cancelled;

    DrainingResult(boolean finishes) {
      this.finishes = finishes;
    }

    @Override
    public State getState() {
      return cancelled ? State.CANCELLED : finishes && EndOfRun.signalled() ? State.DONE : State.RUNNING;
    }

    @Override
    public State cancel() {
      cancelled = true;
      return State.CANCELLED;
    }

    @Override
    public State waitUntilFinish(Duration duration) {
      long end = System.currentTimeMillis() + duration.getMillis();
      while (!getState().isTerminal() && System.currentTimeMillis() < end) {
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return null;
        }
      }
      return getState();
    }

    @Override
    public State waitUntilFinish() {
      return waitUntilFinish(Duration.standardMinutes(1));
    }

    @Override
    public MetricResults metrics() {
      return new MetricResults() {
        @Override
        public MetricQueryResults queryMetrics(MetricsFilter filter) {
          return MetricQueryResults.create(List.of(), List.of(), List.of(), List.of());
        }
      };
    }
  }

  /** A running pipeline whose waitUntilFinish holds its caller for a minute, whatever the duration asked. */
  private static final class HeldResult implements PipelineResult {
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean cancelled;

    @Override
    public State getState() {
      return State.RUNNING;
    }

    @Override
    public State cancel() {
      cancelled = true;
      return State.CANCELLED;
    }

    @Override
    public State waitUntilFinish(Duration duration) {
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return State.CANCELLED;
    }

    @Override
    public State waitUntilFinish() {
      return waitUntilFinish(Duration.ZERO);
    }

    @Override
    public MetricResults metrics() {
      throw new UnsupportedOperationException();
    }
  }

  /** A result in a fixed state. */
  private record FixedState(PipelineResult.State state) implements PipelineResult {
    @Override
    public State getState() {
      return state;
    }

    @Override
    public State cancel() {
      return state;
    }

    @Override
    public State waitUntilFinish(Duration duration) {
      return state;
    }

    @Override
    public State waitUntilFinish() {
      return state;
    }

    @Override
    public MetricResults metrics() {
      throw new UnsupportedOperationException();
    }
  }
}
