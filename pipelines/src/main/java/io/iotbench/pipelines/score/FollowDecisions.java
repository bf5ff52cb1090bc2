package io.iotbench.pipelines.score;

/**
 * The launching process following a run's decisions while the run goes on, when the run's DoFns print elsewhere
 * ({@link ReportPlacement}): through its decision files ({@link FollowDecisionFiles}) or its decisions topic
 * ({@link FollowDecisionsTopic}).
 */
public interface FollowDecisions extends AutoCloseable {
  /** Decisions handed to the report so far. */
  long decisions();

  /** Stops following after a last read of what the ended run wrote. */
  @Override
  void close();
}
