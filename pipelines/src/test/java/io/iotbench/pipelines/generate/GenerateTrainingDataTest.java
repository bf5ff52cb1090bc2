package io.iotbench.pipelines.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.model.LabelingRule;
import io.iotbench.model.TrainingCsvCodec;
import io.iotbench.model.TrainingRow;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.common.PipelineCounters;
import io.iotbench.pipelines.testing.ConsoleCapture;
import io.iotbench.pipelines.testing.FailingFileSystem;
import io.iotbench.pipelines.testing.OutputTrees;
import io.iotbench.pipelines.testing.Runners;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GenerateTrainingDataTest {
  @TempDir Path temp;

  private static GenerateTrainingData.Options options(String[] runner, String... args) {
    return Cli.parse(Runners.args(runner, args), GenerateTrainingData.Options.class);
  }

  @Test
  void sameSeedGivesIdenticalFilesOnDirectAndSparkRunners() throws Exception {
    Path direct = temp.resolve("direct");
    Path spark = temp.resolve("spark");
    String[] common = {"--rows=3000", "--sensors=20", "--partitions=3", "--seed=7"};
    GenerateTrainingData.run(options(Runners.DIRECT, Runners.args(common, "--output=" + direct)));
    GenerateTrainingData.run(options(Runners.SPARK_LOCAL, Runners.args(common, "--output=" + spark)));

    List<String> directLines = sortedLines(direct.toString());
    assertEquals(3000, directLines.size());
    assertEquals(directLines, sortedLines(spark.toString()));
    // Stronger than sorted content: each partition's file is byte for byte the same on both runners.
    for (String name : fileNames(direct)) {
      assertArrayEquals(Files.readAllBytes(direct.resolve(name)), Files.readAllBytes(spark.resolve(name)), name);
    }
    assertEquals(fileNames(direct), fileNames(spark));
  }

  @Test
  void differentSeedsGiveDifferentRows() throws Exception {
    GenerateTrainingData.run(options(Runners.DIRECT, "--rows=100", "--sensors=5", "--partitions=1", "--seed=1", "--output=" + temp.resolve("a")));
    GenerateTrainingData.run(options(Runners.DIRECT, "--rows=100", "--sensors=5", "--partitions=1", "--seed=2", "--output=" + temp.resolve("b")));
    assertTrue(!sortedLines(temp.resolve("a").toString()).equals(sortedLines(temp.resolve("b").toString())));
  }

  @Test
  void defaultCutoffGivesAboutHalfOnesAndTheCounterMatchesTheFiles() throws Exception {
    PipelineResult result =
        GenerateTrainingData.run(
            options(Runners.DIRECT, "--rows=10000", "--sensors=100", "--partitions=4", "--output=" + temp));
    long ones = PipelineCounters.get(result, WritePartitionFileFn.class, "ones");
    assertTrue(ones >= 4800 && ones <= 5200, "ones = " + ones);

    long relabeledOnes = 0;
    List<String> lines = sortedLines(temp.toString());
    for (String line : lines) {
      TrainingRow row = TrainingCsvCodec.parse(line, 100);
      // The written text alone must reproduce the label under the documented rule.
      assertEquals(LabelingRule.label(row.values(), LabelingRule.defaultCutoff(100)), row.label(), line);
      relabeledOnes += row.label();
    }
    assertEquals(10000, lines.size());
    assertEquals(ones, relabeledOnes);
    assertEquals(10000, PipelineCounters.get(result, WritePartitionFileFn.class, "rows"));
  }

  @Test
  void explicitCutoffIsApplied() throws Exception {
    // Every score is below n(n+1)/2 = 15, so a cutoff of 15 labels everything 0; -1 labels everything 1.
    GenerateTrainingData.run(options(Runners.DIRECT, "--rows=200", "--sensors=5", "--cutoff=15", "--output=" + temp.resolve("zero")));
    GenerateTrainingData.run(options(Runners.DIRECT, "--rows=200", "--sensors=5", "--cutoff=-1", "--output=" + temp.resolve("one")));
    assertTrue(sortedLines(temp.resolve("zero").toString()).stream().allMatch(l -> l.startsWith("0,")));
    assertTrue(sortedLines(temp.resolve("one").toString()).stream().allMatch(l -> l.startsWith("1,")));
  }

  @Test
  void rowsAreRoundedUpToAMultipleOfPartitionsWithOneFilePerPartition() throws Exception {
    GenerateTrainingData.run(options(Runners.DIRECT, "--rows=10", "--sensors=3", "--partitions=4", "--output=" + temp));
    assertEquals(12, sortedLines(temp.toString()).size());
    assertEquals(
        List.of("part-00000-of-00004.csv", "part-00001-of-00004.csv", "part-00002-of-00004.csv", "part-00003-of-00004.csv"),
        fileNames(temp));
  }

  @Test
  void reportLinesGiveRowsCutoffRealSizeAndOnes() throws Exception {
    ConsoleCapture console = new ConsoleCapture();
    console.capture(
        () -> GenerateTrainingData.run(
            options(Runners.DIRECT, "--rows=1000", "--sensors=10", "--partitions=2", "--output=" + temp)));
    List<String> out = console.outLines();
    assertEquals(2, out.size(), String.join("\n", out));
    String time = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ: ";
    assertTrue(out.get(0).matches(time + Pattern.quote("Creating file " + temp
        + " with 1000 rows of 10 sensors, each row preceded by score using cutoff 27.5, in 2 partitions")), out.get(0));
    Matcher created =
        Pattern.compile(time + "Created file (.+) with size (\\d+\\.\\dKB) in \\d+\\.\\d seconds with (\\d+) ones \\((\\d+\\.\\d)%\\)")
            .matcher(out.get(1));
    assertTrue(created.matches(), out.get(1));
    assertEquals(temp.toString(), created.group(1));
    long realSize;
    try (Stream<Path> files = Files.list(temp)) {
      realSize = files.filter(p -> !p.getFileName().toString().equals("_SUCCESS")).mapToLong(p -> p.toFile().length()).sum();
    }
    assertEquals(io.iotbench.pipelines.common.ConsoleReport.size(realSize), created.group(2));
    long ones = sortedLines(temp.toString()).stream().filter(l -> l.startsWith("1,")).count();
    assertEquals(ones, Long.parseLong(created.group(3)));
    assertEquals(String.format(java.util.Locale.ROOT, "%.1f", ones / 10.0), created.group(4));
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "bzip2", "deflate", "zstd"})
  void compressedFilesDecompressToTheSameRows(String compression) throws Exception {
    Path plain = temp.resolve("plain");
    Path packed = temp.resolve(compression);
    GenerateTrainingData.run(options(Runners.DIRECT, "--rows=500", "--sensors=8", "--partitions=2", "--output=" + plain));
    GenerateTrainingData.run(
        options(Runners.DIRECT, "--rows=500", "--sensors=8", "--partitions=2", "--output=" + packed, "--compression=" + compression));
    String suffix = OutputCompression.parse(compression).getSuggestedSuffix();
    assertTrue(fileNames(packed).stream().allMatch(n -> n.endsWith(".csv" + suffix)), fileNames(packed).toString());
    assertEquals(sortedLines(plain.toString()), sortedLines(packed.toString()));
  }

  @Test
  void partFilesOfAnEarlierRunAreReplaced() throws Exception {
    GenerateTrainingData.run(options(Runners.DIRECT, "--rows=40", "--sensors=3", "--partitions=4", "--output=" + temp));
    GenerateTrainingData.run(options(Runners.DIRECT, "--rows=40", "--sensors=3", "--partitions=2", "--output=" + temp));
    assertEquals(List.of("part-00000-of-00002.csv", "part-00001-of-00002.csv"), fileNames(temp));
    assertTrue(Files.exists(temp.resolve("_SUCCESS")));
    assertEquals(40, sortedLines(temp.toString()).size());
  }

  @Test
  void invalidOptionsAreRejectedNamingTheOption() {
    assertInvalid("--rows=0", "--rows=0");
    assertInvalid("--rows=-5", "--rows=-5");
    assertInvalid("--sensors=0", "--sensors=0");
    assertInvalid("--partitions=-1", "--partitions=-1");
    assertInvalid("--compression=rar", "--compression=rar: unknown compression, expected one of bzip2, deflate, gzip, none, zstd");
    assertInvalid("--output= ", "--output= : must name a folder");
  }

  private void assertInvalid(String arg, String expectedMessageStart) {
    String[] args = arg.startsWith("--output=") ? new String[] {arg} : new String[] {"--output=" + temp, arg};
    GenerateTrainingData.Options options = options(Runners.DIRECT, args);
    InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> GenerateTrainingData.validate(options));
    assertTrue(e.getMessage().startsWith(expectedMessageStart), e.getMessage());
  }

  @Test
  void commandLineFailsWithOneErrorLineAndExitCodeTwoBeforeStarting() throws Exception {
    ConsoleCapture console = new ConsoleCapture();
    int code =
        console.capture(
            () -> Cli.execute(
                "generate",
                new String[] {"--rows=0", "--output=" + temp},
                GenerateTrainingData.Options.class,
                o -> GenerateTrainingData.run(o) == null ? 1 : 0));
    assertEquals(Cli.EXIT_USAGE, code);
    assertEquals(List.of("iotbench generate: error: --rows=0: must be a positive number of rows"), console.errLines());
    assertEquals(List.of(), console.outLines());
    assertTrue(!Files.exists(temp.resolve("part-00000-of-00004.csv")));
  }

  @Test
  void unparseableOptionValueIsOneErrorLine() throws Exception {
    ConsoleCapture console = new ConsoleCapture();
    int code =
        console.capture(
            () -> Cli.execute("generate", new String[] {"--rows=lots"}, GenerateTrainingData.Options.class, o -> 0));
    assertEquals(Cli.EXIT_USAGE, code);
    assertEquals(1, console.errLines().size(), console.errLines().toString());
    assertTrue(console.errLines().get(0).startsWith("iotbench generate: error: "), console.errLines().get(0));
    assertTrue(console.errLines().get(0).contains("lots"), console.errLines().get(0));
  }

  @Test
  void rowsDefaultToOneHundredThousand() {
    assertEquals(100_000, GenerateTrainingData.rows(options(Runners.DIRECT, "--output=" + temp)));
    assertEquals(25_000, GenerateTrainingData.rowsPerPartition(options(Runners.DIRECT, "--output=" + temp)));
  }

  @Test
  void missingOutputIsOneErrorLine() throws Exception {
    ConsoleCapture console = new ConsoleCapture();
    int code = console.capture(() -> Cli.execute("generate", new String[] {"--rows=5"}, GenerateTrainingData.Options.class, o -> 0));
    assertEquals(Cli.EXIT_USAGE, code);
    assertEquals(1, console.errLines().size(), console.errLines().toString());
    assertTrue(console.errLines().get(0).startsWith("iotbench generate: error: Missing required value for [--output"), console.errLines().get(0));
  }

  @Test
  void helpListsTheOptionsWithDefaults() throws Exception {
    ConsoleCapture console = new ConsoleCapture();
    int code = console.capture(() -> Cli.execute("generate", new String[] {"--help"}, GenerateTrainingData.Options.class, o -> 1));
    assertEquals(0, code);
    String help = String.join("\n", console.outLines());
    for (String option : List.of("--rows", "--sensors", "--partitions", "--output", "--cutoff", "--seed", "--compression")) {
      assertTrue(help.contains(option), option + " missing from help:\n" + help);
    }
    assertTrue(help.contains("Default: 100000"), help);
    assertTrue(help.contains("Default: none"), help);
  }

  static List<String> sortedLines(String output) throws IOException {
    List<String> lines = new ArrayList<>();
    for (MatchResult.Metadata file : TrainingFiles.listParts(output)) {
      Compression compression = Compression.detect(file.resourceId().getFilename());
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(
                  Channels.newInputStream(compression.readDecompressed(FileSystems.open(file.resourceId()))),
                  StandardCharsets.US_ASCII))) {
        reader.lines().forEach(lines::add);
      }
    }
    lines.sort(null);
    return lines;
  }

  /** The data files of an output folder: all but the marker (whose JSON names the run). */
  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("_SUCCESS")).sorted().toList();
    }
  }

  @Test
  void aRunThatFailsInTheMiddleLeavesThePreviousFilesAndNoPartialSetAndPrepareRefusesAFolderWithoutItsMarker() throws Exception {
    Path out = temp.resolve("runs/training");
    GenerateTrainingData.run(options(Runners.DIRECT, "--rows=2000", "--sensors=10", "--partitions=2", "--seed=1", "--output=" + out));
    Map<String, String> before = OutputTrees.snapshot(out);
    assertEquals(List.of("_SUCCESS", "part-00000-of-00002.csv", "part-00001-of-00002.csv"), List.copyOf(before.keySet()));

    // Three partitions this time; the second one's file fails after 1000 bytes.
    FailingFileSystem.failWrites(path -> path.contains("part-00001-of-00003"), 1000);
    try {
      assertThrows(RuntimeException.class, () -> GenerateTrainingData.run(
          options(Runners.DIRECT, "--rows=3000", "--sensors=10", "--partitions=3", "--seed=2", "--output=" + FailingFileSystem.uri(out))));
      assertEquals(1, FailingFileSystem.failures());
    } finally {
      FailingFileSystem.reset();
    }
    assertEquals(before, OutputTrees.snapshot(out), "the previous files are untouched");
    assertEquals(List.of("training"), OutputTrees.names(temp.resolve("runs")), "no temporary sibling is left");
    // ... and still load.
    assertEquals(0, io.iotbench.pipelines.common.Cli.execute("prepare", Runners.args(Runners.DIRECT, "--input=" + out,
        "--output=" + temp.resolve("prepared")), io.iotbench.pipelines.prepare.PrepareTrainingSet.Options.class,
        o -> io.iotbench.pipelines.prepare.PrepareTrainingSet.run(o) == null ? 1 : 0));

    // A set without its marker (a run of an earlier version, or one stopped while moving files) is refused.
    Files.delete(out.resolve("_SUCCESS"));
    io.iotbench.pipelines.prepare.PrepareTrainingSet.Options prepare = io.iotbench.pipelines.common.Cli.parse(
        Runners.args(Runners.DIRECT, "--input=" + out, "--output=" + temp.resolve("prepared2")),
        io.iotbench.pipelines.prepare.PrepareTrainingSet.Options.class);
    InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> io.iotbench.pipelines.prepare.PrepareTrainingSet.run(prepare));
    assertEquals("--input=" + out + ": not a complete output (no _SUCCESS in " + out + "/): the run that wrote it failed or "
        + "has not finished; to read files without the marker, name the files", e.getMessage());
    assertTrue(!Files.exists(temp.resolve("prepared2")));
  }
}
