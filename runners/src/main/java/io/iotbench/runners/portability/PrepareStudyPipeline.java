package io.iotbench.runners.portability;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code prepare} in the portability study: reads the study's training data; its records are the rows of the train
 * and test sets (each prefixed by its set) and the dead letters. Every runner must split the same rows the same
 * way, because the split of a row depends only on the seed and the row.
 */
public final class PrepareStudyPipeline implements StudyPipeline {
  @Override
  public String name() {
    return "prepare";
  }

  @Override
  public String command() {
    return "prepare";
  }

  @Override
  public List<String> arguments(StudyInputs inputs, Path runDir) throws IOException, InterruptedException {
    return List.of("--input=" + inputs.trainingData(), "--output=" + runDir.resolve("output"),
        "--sensors=" + inputs.sensors(), "--seed=" + inputs.seed());
  }

  @Override
  public List<String> records(Path runDir) throws IOException {
    Path output = runDir.resolve("output");
    List<String> records = new ArrayList<>();
    for (String set : List.of("train", "test")) {
      CanonicalRecords.rowsOfParquetFiles(output.resolve(set)).forEach(row -> records.add(set + "," + row));
    }
    if (java.nio.file.Files.isDirectory(output.resolve("rejected"))) {
      CanonicalRecords.linesOfFiles(output.resolve("rejected")).forEach(line -> records.add("rejected," + line));
    }
    return records;
  }
}
