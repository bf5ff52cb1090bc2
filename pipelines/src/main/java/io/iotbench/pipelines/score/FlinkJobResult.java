package io.iotbench.pipelines.score;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streaming FlinkRunner job submitted detached ({@code --attachedMode=false}), seen through its Flink
 * {@code JobClient}. Beam's own detached result does not survive the end of a job on an embedded mini cluster: the
 * cluster shuts itself down as soon as its job ends, and from then on the result's state and metrics queries fail
 * ("MiniCluster is not yet running or has already been shut down"). This one answers from the job's final result
 * instead: its state from how the job ended, and its metrics from the accumulators of the finished job (Beam keeps
 * every metric in one accumulator, filled as the job's operators close). While the job runs, and after a cancel (a
 * cancelled job has no final accumulators), the metrics are the live ones of {@link FlinkLiveCounters} on an
 * embedded mini cluster; on a remote cluster there are none until the job finished. Found by reflection: the Flink
 * runner is only on the Flink launcher's classpath.
 */
final class FlinkJobResult implements PipelineResult {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkJobResult.class);
  private static final String DETACHED_RESULT = "org.apache.beam.runners.flink.FlinkDetachedRunnerResult";
  /** How long one query of the running job (state, accumulators, cancel) may take. */
  private static final long QUERY_MILLIS = 10_000;
  /** How often {@link #waitUntilFinish} looks at the job. */
  private static final long POLL_MILLIS = 100;

  private final Object jobClient;
  private final CompletableFuture<?> executionResult;

  private FlinkJobResult(Object jobClient) throws ReflectiveOperationException {
    this.jobClient = jobClient;
    this.executionResult = (CompletableFuture<?>) call(jobClient, "getJobExecutionResult");
  }

  /** {@code result} itself, or, for Beam's detached Flink result, this view of its job. */
  static PipelineResult of(PipelineResult result) {
    if (!result.getClass().getName().equals(DETACHED_RESULT)) {
      return result;
    }
    try {
      Field f = result.getClass().getDeclaredField("jobClient");
      f.setAccessible(true);
      return new FlinkJobResult(f.get(result));
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("cannot read the Flink job client of {}: {}; using Beam's detached result", result, e.toString());
      return result;
    }
  }

  /**
   * Whether the job runs on a mini cluster inside this JVM ({@code --flinkMaster=[local]}, or {@code [auto]} outside a
   * Flink cluster): then its sources' readers run here too, and see this JVM's signals ({@code EndOfRun}).
   */
  static boolean runsInThisJvm(PipelineResult result) {
    return result instanceof FlinkJobResult r && r.jobClient.getClass().getSimpleName().equals("MiniClusterJobClient");
  }

  @Override
  public State getState() {
    if (executionResult.isDone()) {
      return endState();
    }
    try {
      Object status = ((CompletableFuture<?>) call(jobClient, "getJobStatus")).get(QUERY_MILLIS, TimeUnit.MILLISECONDS);
      return switch (String.valueOf(status)) {
        case "FINISHED" -> State.DONE;
        case "CANCELED" -> State.CANCELLED;
        case "FAILED" -> State.FAILED;
        case "SUSPENDED" -> State.STOPPED;
        default -> State.RUNNING;
      };
    } catch (ExecutionException | TimeoutException | ReflectiveOperationException e) {
      // The job has just ended and its cluster shut down (its result tells how), or the cluster answers late.
      return executionResult.isDone() ? endState() : State.UNKNOWN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return State.UNKNOWN;
    }
  }

  /** How the ended job ended: done, cancelled, or failed. */
  private State endState() {
    try {
      executionResult.join();
      return State.DONE;
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t.getClass().getSimpleName().equals("JobCancellationException")) {
          return State.CANCELLED;
        }
      }
      return State.FAILED;
    }
  }

  @Override
  public State cancel() throws IOException {
    if (executionResult.isDone()) {
      return endState();
    }
    try {
      ((CompletableFuture<?>) call(jobClient, "cancel")).get(QUERY_MILLIS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!executionResult.isDone()) {
        throw new IOException("cannot cancel the Flink job: " + e.getCause(), e.getCause());
      }
    } catch (TimeoutException | ReflectiveOperationException e) {
      throw new IOException("cannot cancel the Flink job: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while cancelling the Flink job", e);
    }
    State s = waitUntilFinish(Duration.millis(QUERY_MILLIS));
    return s == null ? getState() : s;
  }

  @Override
  public State waitUntilFinish(Duration duration) {
    try {
      executionResult.get(duration.getMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return null; // still running
    } catch (ExecutionException e) {
      // ended, not done: endState tells how
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    return endState();
  }

  @Override
  public State waitUntilFinish() {
    State s;
    do {
      s = waitUntilFinish(Duration.millis(POLL_MILLIS * 10));
    } while (s == null);
    return s;
  }

  /**
   * The job's metrics: those of the finished job when it finished (exact: Beam's accumulator), else the live ones of
   * an embedded mini cluster ({@link FlinkLiveCounters}; after a cancel, their last values), else none.
   */
  @Override
  public MetricResults metrics() {
    if (executionResult.isDone() && endState() == State.DONE) {
      try {
        Map<?, ?> accumulators = (Map<?, ?>) call(executionResult.join(), "getAllAccumulatorResults");
        MetricResults m = asMetrics(accumulators.get(accumulatorName()));
        if (m != null) {
          return m;
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        LOG.debug("cannot read the Flink job's accumulators: {}", e.toString());
      }
    }
    return FlinkLiveCounters.active() ? FlinkLiveCounters.results() : emptyMetrics();
  }

  /** Beam's metrics accumulator (a {@code MetricsContainerStepMap}) as metric results, or null. */
  private static MetricResults asMetrics(Object stepMap) {
    if (stepMap == null) {
      return null;
    }
    try {
      return (MetricResults) stepMap.getClass().getMethod("asAttemptedOnlyMetricResults", stepMap.getClass())
          .invoke(null, stepMap);
    } catch (ReflectiveOperationException e) {
      LOG.debug("cannot read Beam's metrics accumulator: {}", e.toString());
      return null;
    }
  }

  private static MetricResults emptyMetrics() {
    try {
      Object empty = Class.forName("org.apache.beam.runners.core.metrics.MetricsContainerStepMap")
          .getDeclaredConstructor().newInstance();
      return asMetrics(empty);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Beam's runners-core metrics are not on the classpath", e);
    }
  }

  private static String accumulatorName() {
    try {
      return (String) Class.forName("org.apache.beam.runners.flink.metrics.FlinkMetricContainer")
          .getField("ACCUMULATOR_NAME").get(null);
    } catch (ReflectiveOperationException e) {
      return "__metricscontainers";
    }
  }

  private static Object call(Object target, String method) throws ReflectiveOperationException {
    try {
      return target.getClass().getMethod(method).invoke(target);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  @Override
  public String toString() {
    return "FlinkJobResult{" + jobClient + "}";
  }
}
