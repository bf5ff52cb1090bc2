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

  private static List<String> prepend(String command, List<String> args) {
    List<String> all = new ArrayList<>();
    all.add(command);
    all.addAll(args);
    return all;
  }
}
