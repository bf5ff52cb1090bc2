package io.iotbench.pipelines.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.common.PipelineCounters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scorer's JSON-lines files: from a stream, one file per bundle, in place once the bundle finished, every line
 * once and counted as written; from a bounded input, through TextIO.
 */
class WriteDecisionFilesTest {
  @TempDir Path dir;

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  private List<String> lines(List<Path> files) throws IOException {
    List<String> all = new ArrayList<>();
    for (Path f : files) {
      all.addAll(Files.readAllLines(f));
    }
    return all.stream().sorted().toList();
  }

  private static List<String> expected(int n) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lines.add("{\"line\":" + i + "}");
    }
    return lines.stream().sorted().toList();
  }

  @Test
  void aStreamWritesEachBundlesLinesToAFileOfItsOwnAndCountsThemWritten() throws IOException {
    TestStream.Builder<String> stream = TestStream.create(StringUtf8Coder.of());
    for (int i = 0; i < 30; i++) {
      stream = stream.addElements(TimestampedValue.of("{\"line\":" + i + "}", new Instant(i)));
      if (i % 10 == 9) {
        stream = stream.advanceProcessingTime(Duration.standardSeconds(1));
      }
    }
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply(stream.advanceWatermarkToInfinity())
        .apply(new WriteDecisions.ToFiles(dir.resolve("decisions").toString(), WriteDecisions.DECISIONS));
    PipelineResult result = p.run();
    result.waitUntilFinish();

    List<Path> files = files();
    assertTrue(files.stream().allMatch(f -> f.getFileName().toString().matches("decisions-[0-9a-z]+-bundle-\\d{6}\\.json")),
        "bundle files only, no temporary file left: " + files);
    assertEquals(expected(30), lines(files), "every line once");
    assertEquals(30, PipelineCounters.get(result, WriteDecisions.class, WriteDecisions.DECISIONS + "LinesIn"));
    assertEquals(30, PipelineCounters.get(result, WriteDecisions.class, WriteDecisions.DECISIONS + "LinesWritten"));
    assertTrue(WriteDecisions.allWritten(result, List.of(WriteDecisions.DECISIONS)));
  }

  @Test
  void aBoundedInputIsWrittenOnceThroughTextIo() throws IOException {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply(Create.of(expected(25))).apply(new WriteDecisions.ToFiles(dir.resolve("d").toString(), WriteDecisions.DEAD_LETTERS));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    List<Path> files = files().stream().filter(f -> !f.getFileName().toString().startsWith(".")).toList();
    assertEquals(1, files.size(), files.toString());
    assertTrue(files.get(0).getFileName().toString().matches("d-[0-9a-z]+-pane-0-00000-of-00001\\.json"), files.toString());
    assertEquals(expected(25), lines(files));
    assertEquals(25, PipelineCounters.get(result, WriteDecisions.class, WriteDecisions.DEAD_LETTERS + "LinesWritten"));
  }
}
