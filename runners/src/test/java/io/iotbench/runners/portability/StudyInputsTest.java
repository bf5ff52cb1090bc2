package io.iotbench.runners.portability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyInputsTest {
  @TempDir Path dir;

  @Test
  void trainingDataIsGeneratedOnceOnTheDirectRunner() throws Exception {
    List<List<String>> calls = new ArrayList<>();
    StudyInputs inputs = new StudyInputs(dir, 100, 5, 2, 7, (command, args, log) -> calls.add(prepend(command, args)));
    Path first = inputs.trainingData();
    Path second = inputs.trainingData();
    assertEquals(dir.resolve("training"), first);
    assertEquals(first, second);
    assertEquals(
        List.of(List.of("generate", "--rows=100", "--sensors=5", "--partitions=2", "--seed=7", "--output=" + dir.resolve("training"), "--preset=direct")),
        calls);
  }

  @Test
  void aFailedInputIsNotMarkedDoneAndIsRetried() throws Exception {
    int[] attempts = {0};
    StudyInputs inputs =
        new StudyInputs(dir, 100, 5, 2, 7, (command, args, log) -> {
          if (attempts[0]++ == 0) {
            throw new IOException("boom");
          }
        });
    assertThrows(IOException.class, inputs::trainingData);
    inputs.trainingData();
    assertEquals(2, attempts[0]);
  }

  @Test
  void theModelIsTrainedOnceOnThePreparedDataAndTheStreamIsSeeded() throws Exception {
    List<List<String>> calls = new ArrayList<>();
    StudyInputs inputs = new StudyInputs(dir, 300, 5, 2, 7, (command, args, log) -> calls.add(prepend(command, args)));
    assertEquals(dir.resolve("model"), inputs.model());
    inputs.model();
    assertEquals(List.of("generate", "prepare", "train"), calls.stream().map(c -> c.get(0)).toList());
    assertEquals(List.of("train", "--input=" + dir.resolve("prepared"), "--model=" + dir.resolve("model"),
        "--algorithm=logistic-regression", "--maxIter=50", "--seed=7", "--sparkMaster=local[2]"), calls.get(2));

    List<String> stream = java.nio.file.Files.readAllLines(inputs.eventStream());
    assertEquals(300, stream.size());
    assertEquals(stream, java.nio.file.Files.readAllLines(
        new StudyInputs(dir.resolve("again"), 300, 5, 2, 7, (c, a, l) -> {}).eventStream()));
    for (String line : stream) {
      io.iotbench.model.SensorEvent e = io.iotbench.model.EventCsvCodec.parse(line);
      org.junit.jupiter.api.Assertions.assertTrue(e.sensor() >= 1 && e.sensor() <= 5, line);
      org.junit.jupiter.api.Assertions.assertTrue(Integer.parseInt(e.deviceId()) <= StudyInputs.STREAM_DEVICES, line);
    }
  }

  @Test
  void adaptersReadTheirCanonicalRecords() throws Exception {
    Path run = dir.resolve("run");
    java.nio.file.Files.createDirectories(run.resolve("decisions/.temp-beam"));
    java.nio.file.Files.writeString(run.resolve("decisions/decisions-1"), "{\"interval\":2}\n{\"interval\":1}\n");
    assertEquals(List.of("{\"interval\":2}", "{\"interval\":1}"), new ScoreStudyPipeline().records(run));

    Path output = run.resolve("output");
    java.nio.file.Files.createDirectories(output.resolve("predictions"));
    java.nio.file.Files.writeString(output.resolve("predictions/part-0"),
        EvaluateStudyPipeline.PREDICTIONS_HEADER + "\n1,1,1,0.9\n");
    java.nio.file.Files.writeString(output.resolve("confusion-matrix.csv"), "actual,predicted,count\n");
    java.nio.file.Files.writeString(output.resolve("errors-by-producer.csv"), "producer,errors\n");
    assertEquals(List.of("prediction,1,1,1,0.9", "confusion-matrix.csv,actual,predicted,count",
        "errors-by-producer.csv,producer,errors"), new EvaluateStudyPipeline().records(run));
  }

  private static List<String> prepend(String command, List<String> args) {
    List<String> all = new ArrayList<>();
    all.add(command);
    all.addAll(args);
    return all;
  }
}
