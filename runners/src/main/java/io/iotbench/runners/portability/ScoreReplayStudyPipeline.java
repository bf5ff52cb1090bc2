package io.iotbench.runners.portability;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code score} in the portability study as an unbounded run ({@code score-replay}): the study's recorded event stream
 * replayed with event times and a watermark ({@code --replay=unbounded --streaming=true}), so that each runner scores
 * it with its streaming machinery (the per-device state across windows, the watermark, the end-of-run drain) instead
 * of the bounded path of {@link ScoreStudyPipeline}. The run ends when the replay has handed out every event
 * ({@code --maxEvents}: a SparkRunner streaming context never ends by itself). Its records are the per-interval
 * decisions per device, every line the decision files hold (a revision would show as a second line).
 */
public final class ScoreReplayStudyPipeline implements StudyPipeline {
  @Override
  public String name() {
    return "score-replay";
  }

  @Override
  public String command() {
    return "score";
  }

  @Override
  public List<String> arguments(StudyInputs inputs, Path runDir) throws IOException, InterruptedException {
    return List.of("--source=file", "--replay=unbounded", "--streaming=true", "--inputFile=" + inputs.eventStream(),
        "--model=" + inputs.model(), "--sensors=" + inputs.sensors(), "--devices=" + StudyInputs.STREAM_DEVICES,
        "--interval=1", "--maxEvents=" + inputs.rows(), "--ticks=false",
        "--decisionsOutput=" + runDir.resolve("decisions").resolve("decisions"));
  }

  @Override
  public List<String> records(Path runDir) throws IOException {
    return CanonicalRecords.linesOfFiles(runDir.resolve("decisions"));
  }
}
