package io.iotbench.runners.portability;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code generate} in the portability study: no input; its records are the CSV rows of every part file. Every
 * runner must write the same rows, because each partition's stream depends only on the seed and the partition.
 */
public final class GenerateStudyPipeline implements StudyPipeline {
  @Override
  public String name() {
    return "generate";
  }

  @Override
  public String command() {
    return "generate";
  }

  @Override
  public List<String> arguments(StudyInputs inputs, Path runDir) {
    return inputs.generateArguments(runDir.resolve("output"));
  }

  @Override
  public List<String> records(Path runDir) throws IOException {
    return CanonicalRecords.linesOfPartFiles(runDir.resolve("output"));
  }
}
