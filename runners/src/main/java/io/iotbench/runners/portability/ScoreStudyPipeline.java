package io.iotbench.runners.portability;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code score} in the portability study, from a recorded stream ({@code --source=file}): scores the study's event
 * stream with the study's model at a 1 s interval; its records are the per-interval decisions per device (one JSON
 * object each, with the interval, device, events, probability and decision).
 */
public final class ScoreStudyPipeline implements StudyPipeline {
  @Override
  public String name() {
    return "score";
  }

  @Override
  public String command() {
    return "score";
  }

  @Override
  public List<String> arguments(StudyInputs inputs, Path runDir) throws IOException, InterruptedException {
    return List.of("--source=file", "--inputFile=" + inputs.eventStream(), "--model=" + inputs.model(),
        "--sensors=" + inputs.sensors(), "--devices=" + StudyInputs.STREAM_DEVICES, "--interval=1",
        "--decisionsOutput=" + runDir.resolve("decisions").resolve("decisions"));
  }

  @Override
  public List<String> records(Path runDir) throws IOException {
    return CanonicalRecords.linesOfFiles(runDir.resolve("decisions"));
  }
}
