package io.iotbench.pipelines.score;

import io.iotbench.pipelines.common.PipelineCounters;
import io.iotbench.pipelines.score.source.EndOfRun;
import io.iotbench.pipelines.score.source.LineFeed;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the scorer's pipeline and ends it. A bounded run (a recorded file read at once) is awaited. An unbounded
 * one is polled until an end condition holds: every device's sentinel was scored ({@code --stopOnSentinel}),
 * {@code --maxEvents} events were parsed, {@code --maxRuntime} passed, or the process got SIGTERM/SIGINT. Then
 * the run drains: its sources are told to end ({@link EndOfRun}), hand out what they buffered and move their
 * watermark to the end of time, so every window fires and the last decisions and dead letters are written. On
 * the DirectRunner and the FlinkRunner's embedded mini cluster the pipeline then finishes by itself; a Spark streaming context never does,
 * so there the monitor waits until every source's reader ended and a few more micro-batches completed, then
 * stops it. The drain takes at most {@code --drainTimeout}; after it the run is stopped anyway, and fails.
 * Where the run cannot drain (Beam's KafkaIO source cannot be told to end; the SparkRunner and a FlinkRunner cluster
 * keep running), the monitor waits a grace period (an interval plus the out-of-orderness plus a second; half of it after
 * the sentinels), then until every line given to the file sinks is in a finalized file (at most
 * {@code --drainTimeout}), and stops the run.
 */
final class RunMonitor {
  private static final Logger LOG = LoggerFactory.getLogger(RunMonitor.class);
  private static final Duration POLL = Duration.millis(100);
  /**
   * How long a run whose source failed waits at most for its pipeline to stop (it usually takes a second or two). The
   * JVM must not exit during a SparkRunner stop: Spark's shutdown hooks would wait on it, 30 s each.
   */
  private static final Duration FAILED_STOP_WAIT = Duration.standardSeconds(8);

  private final ScoreSensorStream.Options o;
  private final long startNanos;
  private final long graceNanos;
  private final boolean drains;
  private final StopSignals signals;
  private long firstEventNanos = -1;
  private long lastEventNanos = -1;
  private long lastParsed;
  private long lastQuietPoll; // the last poll that saw no events yet
  private long stopAt = -1;
  private String reason = "end of input";

  RunMonitor(ScoreSensorStream.Options o, long startNanos) {
    this(o, startNanos, StopSignals.none());
  }

  RunMonitor(ScoreSensorStream.Options o, long startNanos, StopSignals signals) {
    this(o, startNanos, signals, drains(o));
  }

  RunMonitor(ScoreSensorStream.Options o, long startNanos, StopSignals signals, boolean drains) {
    this.o = o;
    this.startNanos = startNanos;
    this.lastQuietPoll = startNanos;
    this.signals = signals;
    this.drains = drains;
    this.graceNanos = drains ? 0
        : (ScoreSensorStream.millis(o.getInterval()) + ScoreSensorStream.millis(o.getMaxOutOfOrderness()) + 1000) * 1_000_000L;
  }

  /**
   * Whether the run of {@code result} drains at its end: {@link #drains(ScoreSensorStream.Options)}, or a FlinkRunner
   * job on a mini cluster in this JVM whose sources can be told to end: once they have, the job finishes by itself
   * with every window fired, and its final counters are exact (a cancelled Flink job has none).
   */
  static boolean drains(ScoreSensorStream.Options o, PipelineResult result) {
    return drains(o) || endableSources(o) && FlinkJobResult.runsInThisJvm(result);
  }

  /** Whether the run's sources can be told to end: all but Beam's KafkaIO read. */
  private static boolean endableSources(ScoreSensorStream.Options o) {
    return !("kafka".equals(o.getSource()) && "kafkaio".equals(o.getKafkaSource()));
  }

  /**
   * Whether the run drains at its end, as far as the options tell: its sources can be told to end (all but Beam's
   * KafkaIO read) and they run in this JVM, where the signal reaches them: the DirectRunner. Not on the SparkRunner
   * yet (see the comment below); the FlinkRunner drains when its job runs on a mini cluster in this JVM, which only
   * the started job tells ({@link #drains(ScoreSensorStream.Options, PipelineResult)}); on a cluster the readers run
   * in the executors and the signal of this JVM would not reach them.
   */
  static boolean drains(ScoreSensorStream.Options o) {
    if (!endableSources(o)) {
      return false;
    }
    // Not on the SparkRunner yet: after the readers ended, Spark's micro-batches slowed to a crawl and the monitor
    // never saw the last panes written within the bound, though they were (docs/end-of-run.md).
    String runner = o.getRunner().getSimpleName();
    return runner.equals("DirectRunner") || runner.equals("TestDirectRunner");
  }

  /** Starts {@code pipeline} and returns once it has ended, by itself or stopped at one of the end conditions. */
  static RunOutcome runToEnd(Pipeline pipeline, ScoreSensorStream.Options o, boolean bounded) {
    long start = System.nanoTime();
    if (bounded) {
      PipelineResult result = pipeline.run();
      result.waitUntilFinish();
      return new RunOutcome(result, "end of input", false, eventSeconds(start, System.nanoTime()));
    }
    EndOfRun.clear();
    // Closed however the run ends (also when the pipeline fails): the live sources' feeds in this JVM stop now, and
    // SIGTERM/SIGINT get their default effect back.
    try (StopSignals signals = StopSignals.install(); SourceHealth health = SourceHealth.of(o)) {
      // A detached FlinkRunner job (see RunnerSettings) is seen through its job client: Beam's own result stops
      // answering once the job's embedded cluster has shut down at its end.
      PipelineResult result = FlinkJobResult.of(pipeline.run());
      return new RunMonitor(o, start, signals, drains(o, result)).awaitEnd(result, health);
    } finally {
      EndOfRun.clear();
    }
  }

  /** Polls the running pipeline {@code result} and its source's {@code health} until the run ends; see the class. */
  RunOutcome awaitEnd(PipelineResult result, SourceHealth health) {
    boolean stopped = false;
    String sourceFailure = null;
    RunOutcome.Drain drain = null;
    // The pipeline is awaited on its own thread and this one only polls: a runner's waitUntilFinish can hold its
    // caller for many seconds (Spark's, once a batch failed, stops the streaming context gracefully before it
    // throws), and the source's failure must end the run without waiting for that.
    Waiter waiter = new Waiter(result);
    while (true) {
      long now = System.nanoTime();
      Optional<String> failed = health.failure();
      if (failed.isPresent()) {
        sourceFailure = failed.get();
        reason = "source failed";
        if (waiter.ended()) {
          // A reader that threw for its failed feed: the feed's cause is the run's one line.
          LOG.warn("the pipeline failed with its source ({})", sourceFailure);
        } else {
          LOG.warn("the source failed ({}); stopping the pipeline", sourceFailure);
        }
        stopWithin(result, FAILED_STOP_WAIT);
        break;
      }
      if (waiter.ended()) {
        PipelineResult.State state = waiter.state();
        reason = "pipeline " + state.name().toLowerCase(Locale.ROOT);
        break;
      }
      if (resumedUnwritten == null) {
        resumedUnwritten = new HashMap<>();
        if (RunnerSettings.resumedFromCheckpoint()) {
          for (String sink : fileSinks()) {
            resumedUnwritten.put(sink, Math.max(0, WriteDecisions.unwritten(result, sink)));
          }
          LOG.info("restored file sink counters: lines not written {}", resumedUnwritten);
        }
      }
      long parsed = PipelineCounters.get(result, ParseEvents.class, ParseEvents.EVENTS_COUNTER);
      boolean end = poll(now, parsed, () -> PipelineCounters.get(result, ReportIntervals.ReportDecisionFn.class, "sentinelIntervals"));
      if (!end && signals.received() != null) {
        reason = signals.received();
        end = true;
      }
      if (end) {
        stopped = true;
        // A run that reached its end while its source could not reach its server did not run healthy.
        sourceFailure = health.outage().map(cause -> cause + " at the end of the run").orElse(null);
        List<String> sinks = fileSinks();
        if (drains) {
          drain = drain(result, waiter);
        } else if (!sinks.isEmpty()) {
          drain = awaitFilesWritten(result, waiter, sinks);
        } else {
          stop(result);
        }
        if (drain != null && drain.completed()) {
          LineFeed.runDrained(); // its sources may acknowledge everything handed out
        }
        break;
      }
      waiter.await(POLL);
    }
    if (sourceFailure != null) {
      LOG.warn("score stopped: {}", reason);
    }
    LOG.info("score stopped: {}", reason);
    return new RunOutcome(result, reason, stopped, eventSeconds(), sourceFailure, drain);
  }

  /**
   * Drains the run that reached its end: tells its sources to end and waits, at most {@code --drainTimeout}, until
   * its last outputs are written (the pipeline finished by itself); a run not
   * drained by then, or whose drain a second signal cut short, is stopped anyway.
   */
  private RunOutcome.Drain drain(PipelineResult result, Waiter waiter) {
    long begin = System.nanoTime();
    long deadline = begin + Math.round(o.getDrainTimeout() * 1e9);
    EndOfRun.signal();
    boolean completed = false;
    while (System.nanoTime() < deadline && !signals.forced()) {
      if (waiter.ended()) {
        completed = waiter.state() == PipelineResult.State.DONE;
        break;
      }
      waiter.await(POLL);
    }
    return endDrain(result, waiter, begin, completed);
  }

  /** Stops the run unless it ended by itself, logs how its drain went and returns it. */
  private RunOutcome.Drain endDrain(PipelineResult result, Waiter waiter, long begin, boolean completed) {
    double seconds = (System.nanoTime() - begin) / 1e9;
    if (!waiter.ended()) {
      stop(result);
    }
    if (completed) {
      LOG.info("drained in {} s", String.format(Locale.ROOT, "%.2f", seconds));
    } else {
      LOG.warn("the run did not drain within {} s (--drainTimeout); stopped anyway", o.getDrainTimeout());
    }
    return new RunOutcome.Drain(completed, seconds, o.getDrainTimeout());
  }

  /** The file sinks of the run (decisions, dead letters), by their names in {@link WriteDecisions}' counters. */
  private List<String> fileSinks() {
    List<String> sinks = new ArrayList<>(2);
    if (o.getDecisionsOutput() != null) {
      sinks.add(WriteDecisions.DECISIONS);
    }
    if (o.getDeadLetterOutput() != null) {
      sinks.add(WriteDecisions.DEAD_LETTERS);
    }
    return sinks;
  }

  /**
   * Where the run cannot drain (its sources keep the pipeline running: the SparkRunner, the FlinkRunner, Beam's
   * KafkaIO read), waits before stopping it until every line given to its file sinks is in a finalized file
   * ({@link WriteDecisions#allWritten}), and has stayed so for {@link #SETTLED}: the last decisions and dead letters
   * are written when the bundle (micro-batch) that made them finishes, and a stop before that would lose them. At most {@code --drainTimeout}; a second signal cuts it short. The grace period before the
   * stop has let the last windows fire.
   */
  private RunOutcome.Drain awaitFilesWritten(PipelineResult result, Waiter waiter, List<String> sinks) {
    long begin = System.nanoTime();
    long deadline = begin + Math.round(o.getDrainTimeout() * 1e9);
    long writtenSince = -1;
    boolean completed = false;
    while (System.nanoTime() < deadline && !signals.forced() && !waiter.ended()) {
      long now = System.nanoTime();
      if (!WriteDecisions.allWritten(result, sinks, resumedUnwritten == null ? Map.of() : resumedUnwritten)) {
        writtenSince = -1;
      } else if (writtenSince < 0) {
        writtenSince = now;
      } else if (now - writtenSince >= SETTLED.getMillis() * 1_000_000L) {
        completed = true;
        break;
      }
      waiter.await(POLL);
    }
    return endDrain(result, waiter, begin, completed);
  }

  /**
   * A run resumed from a checkpoint: per file sink, the lines its restored counters show as given but not written (read
   * at the first poll, before the resumed run's first batch completed); null until then.
   */
  private Map<String, Long> resumedUnwritten;

  /** How long the file sinks' counters must show every line written before the run is stopped: two batches. */
  private static final Duration SETTLED = Duration.standardSeconds(2);

  /**
   * Waits on a daemon thread until a pipeline has reached a terminal state, so that its caller can poll with a bounded
   * wait. A pipeline that failed is rethrown by {@link #state}.
   */
  private static final class Waiter {
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile PipelineResult.State state;
    private volatile RuntimeException error;
    /** How long one waitUntilFinish call of the waiting thread lasts at most (some runners answer "running"). */
    private static final Duration WAITER_SLICE = Duration.standardSeconds(1);

    Waiter(PipelineResult result) {
      Thread t = new Thread(() -> {
        try {
          PipelineResult.State s;
          do {
            s = result.waitUntilFinish(WAITER_SLICE);
          } while (s == null || !s.isTerminal());
          state = s;
        } catch (RuntimeException e) {
          error = e;
        } finally {
          done.countDown();
        }
      }, "iotbench-await");
      t.setDaemon(true);
      t.start();
    }

    boolean ended() {
      return done.getCount() == 0;
    }

    /** Waits up to {@code wait}, less if the pipeline ends. */
    void await(Duration wait) {
      try {
        done.await(wait.getMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the pipeline", e);
      }
    }

    /** How the pipeline ended (once {@link #ended}); throws what it failed with. */
    PipelineResult.State state() {
      if (error != null) {
        throw error;
      }
      return state;
    }
  }

  /**
   * Takes one poll's counters: the events parsed so far and, until an end condition held, the sentinel intervals
   * scored. Returns whether the run has reached its end and must be stopped now.
   */
  boolean poll(long now, long parsed, LongSupplier sentinels) {
    if (parsed > lastParsed) {
      if (firstEventNanos < 0) {
        // The first events arrived after the previous poll: counting from there, a stream that a runner
        // delivers in one micro-batch (Spark) does not look as if it took no time at all.
        firstEventNanos = lastQuietPoll;
      }
      lastEventNanos = now;
      lastParsed = parsed;
    } else if (firstEventNanos < 0) {
      lastQuietPoll = now;
    }
    if (stopAt < 0) {
      if (o.getStopOnSentinel() && sentinels.getAsLong() >= o.getDevices()) {
        reason = "sentinel";
        stopAt = now + graceNanos / 2;
      } else if (o.getMaxEvents() != null && parsed >= o.getMaxEvents()) {
        reason = "--maxEvents";
        stopAt = now + graceNanos;
      } else if (o.getMaxRuntime() != null && now - startNanos >= o.getMaxRuntime() * 1e9) {
        reason = "--maxRuntime";
        stopAt = now;
      }
    }
    return stopAt >= 0 && now >= stopAt;
  }

  /** Why the run ends, once {@link #poll} returned true; {@code end of input} before. */
  String reason() {
    return reason;
  }

  /** How long events kept arriving so far: 0 before the first, at least a millisecond after it. */
  double eventSeconds() {
    return firstEventNanos < 0 ? 0 : eventSeconds(firstEventNanos, lastEventNanos);
  }

  private static double eventSeconds(long firstNanos, long lastNanos) {
    return Math.max(1e-3, (lastNanos - firstNanos) / 1e9);
  }

  /**
   * Stops a run whose source failed, but waits at most {@code wait} for it: the run fails anyway, and a stop must
   * not delay the error by many seconds. On the SparkRunner the streaming context is stopped at once, without the
   * graceful wait of Beam's cancel (see {@link SparkStreamingStop}). The stop goes on in the background.
   */
  private void stopWithin(PipelineResult result, Duration wait) {
    Thread stopper = new Thread(() -> {
      if (SparkStreamingStop.applies(o)) {
        SparkStreamingStop.stopNow();
      }
      try {
        result.cancel();
      } catch (IOException | RuntimeException e) {
        // Spark's: the context is stopped already and reports the failed batch again.
        LOG.debug("stopping the failed pipeline: {}", e.toString());
      }
    }, "iotbench-stop");
    stopper.setDaemon(true);
    stopper.start();
    try {
      stopper.join(wait.getMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (stopper.isAlive()) {
      LOG.warn("the pipeline did not stop within {} s after its source failed", wait.getStandardSeconds());
    }
  }

  private void stop(PipelineResult result) {
    try {
      result.cancel();
    } catch (IOException | RuntimeException e) {
      // Spark's graceful stop can time out on a loaded machine; the run itself reached its end.
      LOG.warn("cannot stop the pipeline cleanly after its end ({}): {}", reason, e.toString());
    }
  }
}
