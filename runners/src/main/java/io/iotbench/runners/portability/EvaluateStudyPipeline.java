package io.iotbench.runners.portability;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code evaluate} in the portability study: scores the prepared test set with the study's model; its records are
 * the per-row predictions (shard headers left out) and the confusion matrix and per-producer error lines.
 */
public final class EvaluateStudyPipeline implements StudyPipeline {
  static final String PREDICTIONS_HEADER = "producer,label,prediction,probability";

  @Override
  public String name() {
    return "evaluate";
  }

  @Override
  public String command() {
    return "evaluate";
  }

  @Override
  public List<String> arguments(StudyInputs inputs, Path runDir) throws IOException, InterruptedException {
    return List.of("--input=" + inputs.preparedData(), "--model=" + inputs.model(),
        "--output=" + runDir.resolve("output"));
  }

  @Override
  public List<String> records(Path runDir) throws IOException {
    Path output = runDir.resolve("output");
    List<String> records = new ArrayList<>();
    for (String line : CanonicalRecords.linesOfFiles(output.resolve("predictions"))) {
      if (!line.equals(PREDICTIONS_HEADER)) {
        records.add("prediction," + line);
      }
    }
    for (String file : List.of("confusion-matrix.csv", "errors-by-producer.csv")) {
      for (String line : java.nio.file.Files.readAllLines(output.resolve(file))) {
        records.add(file + "," + line);
      }
    }
    return records;
  }
}
