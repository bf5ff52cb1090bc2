package io.iotbench.pipelines.score.source;

import io.iotbench.pipelines.score.EventFormat;
import io.iotbench.pipelines.testing.Runners;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scorer's file reads follow the record rules: a line is a record, cut past the limit, empty lines blank. */
class FileRecordsTest {
  private static final int MAX = 64;
  private static final String GOOD = "dev-1,2024-01-01T00:00:00.000Z,1,0.5";

  @TempDir Path temp;

  /** A recording with a 1 MiB line, an empty line, CRLF endings and no newline at the end. */
  private static String recording() {
    return GOOD + "\r\n" + "x".repeat(1 << 20) + "\n\n" + "dev-2,2024-01-01T00:00:01.000Z,2,0.25\r\n" + "z".repeat(MAX) + "\nlast";
  }

  private static List<String> expected() {
    return List.of(GOOD, "x".repeat(MAX + 1), " ", "dev-2,2024-01-01T00:00:01.000Z,2,0.25", "z".repeat(MAX), "last");
  }

  @Test
  void theBoundedReadCutsLongLinesBlanksEmptyOnesAndReadsCompressedFiles() throws IOException {
    Path plain = Files.writeString(temp.resolve("events.csv"), recording(), StandardCharsets.UTF_8);
    Path gz = temp.resolve("more/events.csv.gz");
    Files.createDirectories(gz.getParent());
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(recording().getBytes(StandardCharsets.UTF_8));
    }
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs(Runners.DIRECT).create());
    PAssert.that(pipeline.apply("Plain", new ReadFileRecords(plain.toString(), MAX))).containsInAnyOrder(expected());
    PAssert.that(pipeline.apply("Gzip", new ReadFileRecords(gz.toString(), MAX))).containsInAnyOrder(expected());
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    TestPipeline.verifyPAssertsSucceeded(pipeline, result);
  }

  @Test
  void theReplayCutsLongLinesAndHandsOnEmptyLinesAsBlankRecords() throws IOException {
    Path plain = Files.writeString(temp.resolve("events.csv"), recording(), StandardCharsets.UTF_8);
    RecordSettings settings = new RecordSettings(EventFormat.named("csv"), false, 1000, 60_000, MAX);
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs(Runners.DIRECT).create());
    PCollection<String> records =
        pipeline
            .apply(Read.from(new FileReplaySource(plain.toString(), settings)))
            .apply(FlatMapElements.into(TypeDescriptors.strings()).via((String chunk) -> Arrays.asList(chunk.split("\n", -1))));
    PAssert.that(records).containsInAnyOrder(expected());
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    TestPipeline.verifyPAssertsSucceeded(pipeline, result);
  }
}
