package io.iotbench.pipelines.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.model.TrainingCsvCodec;
import io.iotbench.model.TrainingRow;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.DeadLetter;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.common.storage.AtomicOutput;
import io.iotbench.pipelines.generate.GenerateTrainingData;
import io.iotbench.pipelines.testing.ConsoleCapture;
import io.iotbench.pipelines.testing.FailingFileSystem;
import io.iotbench.pipelines.testing.OutputTrees;
import io.iotbench.pipelines.testing.ParquetRows;
import io.iotbench.pipelines.testing.Runners;
import io.iotbench.pipelines.testing.TrainingFixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrepareTrainingSetTest {
  @TempDir Path temp;

  static Stream<Arguments> runners() {
    return Stream.of(Arguments.of("direct", Runners.DIRECT), Arguments.of("spark", Runners.SPARK_LOCAL));
  }

  private static PrepareTrainingSet.Options options(String[] runner, String... args) {
    return Cli.parse(Runners.args(runner, args), PrepareTrainingSet.Options.class);
  }

  /** Ten-sensor rows that fail validation, each with the exact dead letter it must become. */
  private static List<DeadLetter> malformed(String good) {
    String values = good.substring(good.indexOf(',') + 1);
    String[] v = values.split(",");
    List<DeadLetter> bad = new ArrayList<>();
    bad.add(dead("2," + values, "field 'label' is not 0 or 1: '2' (line \"2," + values + "\")"));
    bad.add(dead("0.5," + values, "field 'label' is not 0 or 1: '0.5' (line \"0.5," + values + "\")"));
    String short9 = "1," + String.join(",", List.of(v).subList(0, 9));
    bad.add(dead(short9, "field 'line' has 10 fields, expected 11 (label and 10 values): '" + short9 + "'"));
    String nan = "1,NaN," + String.join(",", List.of(v).subList(1, 10));
    bad.add(dead(nan, "field 'v1' is not a finite number: 'NaN' (line \"" + nan + "\")"));
    String text = "0," + String.join(",", List.of(v).subList(0, 4)) + ",abc," + String.join(",", List.of(v).subList(5, 10));
    bad.add(dead(text, "field 'v5' is not a finite number: 'abc' (line \"" + text + "\")"));
    String header = "label,v1,v2,v3,v4,v5,v6,v7,v8,v9,v10";
    bad.add(dead(header, "field 'label' is not 0 or 1: 'label' (line \"" + header + "\")"));
    bad.add(dead("", "field 'line' is empty: ''"));
    return bad;
  }

  private static DeadLetter dead(String line, String error) {
    return new DeadLetter(line, ValidateRows.STAGE, error);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runners")
  void validRowsAreSplitByHashAndEveryMalformedRowBecomesAnExactDeadLetter(String name, String[] runner) throws Exception {
    List<String> good = new ArrayList<>(TrainingFixtures.originalLines());
    good.addAll(TrainingFixtures.generatedLines(200, 10, 5));
    List<DeadLetter> bad = malformed(good.get(25));
    List<String> lines = new ArrayList<>(good);
    for (int i = 0; i < bad.size(); i++) {
      lines.add(10 + 30 * i, bad.get(i).payload());
    }
    Path input = TrainingFixtures.writeLines(temp.resolve("in/rows.csv"), lines);
    PrepareTrainingSet.Options options =
        options(runner, "--input=" + input, "--output=" + temp.resolve("out"), "--sensors=10", "--seed=11");

    List<TrainingRow> train = new ArrayList<>();
    List<TrainingRow> test = new ArrayList<>();
    for (String line : good) {
      (SplitTrainingAndTestRows.isTest(line, 11, 0.3) ? test : train).add(TrainingCsvCodec.parse(line, 10));
    }
    assertTrue(test.size() > 40 && test.size() < 90, "test rows " + test.size());

    Pipeline pipeline = Pipeline.create(options);
    PrepareTrainingSet.Outputs outputs = PrepareTrainingSet.buildPipeline(pipeline, options, input.toString(), 10);
    PAssert.that(outputs.train()).containsInAnyOrder(train);
    PAssert.that(outputs.test()).containsInAnyOrder(test);
    PAssert.that(outputs.deadLetters()).containsInAnyOrder(bad);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    TestPipeline.verifyPAssertsSucceeded(pipeline, result);

    // The files hold the same rows, and the dead letters are JSON lines with the original line.
    assertEquals(sorted(train), sorted(ParquetRows.read(temp.resolve("out/train"))));
    assertEquals(sorted(test), sorted(ParquetRows.read(temp.resolve("out/test"))));
    List<String> rejected = rejectedLines(temp.resolve("out/rejected"));
    assertEquals(bad.stream().map(DeadLetter::toJson).sorted().toList(), rejected.stream().sorted().toList());
  }

  @Test
  void everyRowOfTheOriginalBenchmarkPassesWithItsFiveDecimalLabels() throws Exception {
    Path input = TrainingFixtures.writeLines(temp.resolve("original.csv"), TrainingFixtures.originalLines());
    PrepareTrainingSet.Options options = options(Runners.DIRECT, "--input=" + input, "--output=" + temp.resolve("out"));
    Pipeline pipeline = Pipeline.create(options);
    PrepareTrainingSet.Outputs outputs = PrepareTrainingSet.buildPipeline(pipeline, options, input.toString(), 10);
    PAssert.that(outputs.deadLetters()).empty();
    List<TrainingRow> all = TrainingFixtures.originalLines().stream().map(l -> TrainingCsvCodec.parse(l, 10)).toList();
    assertTrue(all.stream().anyMatch(r -> r.label() == 1) && all.stream().anyMatch(r -> r.label() == 0));
    PAssert.that(
            org.apache.beam.sdk.values.PCollectionList.of(outputs.train())
                .and(outputs.test())
                .apply(org.apache.beam.sdk.transforms.Flatten.pCollections()))
        .containsInAnyOrder(all);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    TestPipeline.verifyPAssertsSucceeded(pipeline, result);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runners")
  void runInfersTheSensorsWritesTheSetsAndDatasetInfoAndReportsTheCounts(String name, String[] runner) throws Exception {
    Path generated = temp.resolve("generated");
    GenerateTrainingData.run(
        Cli.parse(
            Runners.args(Runners.DIRECT, "--rows=600", "--sensors=7", "--partitions=3", "--compression=gzip", "--output=" + generated),
            GenerateTrainingData.Options.class));
    // A damaged line in another file of the folder's glob shows that rejected rows are counted and reported.
    Files.write(generated.resolve("part-00009-of-00010.csv"), List.of("1,0.5"), StandardCharsets.US_ASCII);
    Path out = temp.resolve("prepared");
    ConsoleCapture console = new ConsoleCapture();
    console.capture(() -> PrepareTrainingSet.run(options(runner, "--input=" + generated, "--output=" + out)));

    List<TrainingRow> train = ParquetRows.read(out.resolve("train"));
    List<TrainingRow> test = ParquetRows.read(out.resolve("test"));
    assertEquals(600, train.size() + test.size());
    assertTrue(train.stream().allMatch(r -> r.sensors() == 7));
    PreparedSet.Info info = PreparedSet.readInfo(out.toString());
    assertEquals(new PreparedSet.Info(7, generated + "/part-*", 0.3, 42, 601, train.size(), test.size(), 1), info);
    assertEquals(
        List.of(
            "Prepared " + out + ": 601 rows read, " + train.size() + " train rows, " + test.size()
                + " test rows, 1 rejected rows (dead letters in " + out + "/rejected/)",
            "1 of 601 rows were rejected; see " + out + "/rejected/"),
        console.outLines());
    assertEquals(1, rejectedLines(out.resolve("rejected")).size());
  }

  @Test
  void theSplitIsTheSameOnBothRunnersAndARerunReplacesTheEarlierFiles() throws Exception {
    List<String> lines = TrainingFixtures.generatedLines(500, 5, 3);
    Path input = TrainingFixtures.writeLines(temp.resolve("rows.csv"), lines);
    PrepareTrainingSet.run(options(Runners.DIRECT, "--input=" + input, "--output=" + temp.resolve("direct")));
    PrepareTrainingSet.run(options(Runners.SPARK_LOCAL, "--input=" + input, "--output=" + temp.resolve("spark")));
    assertEquals(sorted(ParquetRows.read(temp.resolve("direct/test"))), sorted(ParquetRows.read(temp.resolve("spark/test"))));
    assertEquals(sorted(ParquetRows.read(temp.resolve("direct/train"))), sorted(ParquetRows.read(temp.resolve("spark/train"))));

    // Stale shards of an earlier run must not be read as part of this one.
    Path stale = temp.resolve("direct/train/part-00007-of-00008.parquet");
    Files.copy(ParquetRows.files(temp.resolve("direct/train")).get(0), stale);
    PrepareTrainingSet.run(options(Runners.DIRECT, "--input=" + input, "--output=" + temp.resolve("direct"), "--testFraction=0.5"));
    assertFalse(Files.exists(stale));
    int test = ParquetRows.read(temp.resolve("direct/test")).size();
    assertEquals(500, test + ParquetRows.read(temp.resolve("direct/train")).size());
    assertTrue(test > 200 && test < 300, "test rows " + test);
  }

  @Test
  void theSplitHashDependsOnlyOnTheTextAndTheSeed() {
    String line = "1,0.12345,0.67890";
    double h = SplitTrainingAndTestRows.unitHash(line, 42);
    assertTrue(h >= 0 && h < 1);
    assertEquals(h, SplitTrainingAndTestRows.unitHash(line + "\n", 42));
    assertEquals(h, SplitTrainingAndTestRows.unitHash(line + "\r\n", 42));
    assertNotEquals(h, SplitTrainingAndTestRows.unitHash(line, 43));
    assertNotEquals(h, SplitTrainingAndTestRows.unitHash("1,0.12345,0.67891", 42));
    // Non-ASCII text hashes by its UTF-8 bytes, like the ASCII fast path does for ASCII.
    assertEquals(SplitTrainingAndTestRows.unitHash("é,1", 1), SplitTrainingAndTestRows.unitHash(new String("é,1".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8), 1));
    int test = 0;
    for (String l : TrainingFixtures.generatedLines(20_000, 3, 9)) {
      test += SplitTrainingAndTestRows.isTest(l, 42, 0.3) ? 1 : 0;
    }
    assertTrue(Math.abs(test / 20_000.0 - 0.3) < 0.015, "test share " + test / 20_000.0);
    assertTrue(SplitTrainingAndTestRows.isTest(line, 42, 1.0));
    assertFalse(SplitTrainingAndTestRows.isTest(line, 42, 0.0));
  }

  @Test
  void invalidOptionsAreRejectedNamingTheOption() {
    assertInvalid("--testFraction=1.5", "--testFraction=1.5: must be within [0, 1]");
    assertInvalid("--testFraction=-0.1", "--testFraction=-0.1: must be within [0, 1]");
    assertInvalid("--sensors=-1", "--sensors=-1: must be a positive number of sensors, or 0 to infer it");
  }

  private void assertInvalid(String arg, String message) {
    PrepareTrainingSet.Options options = options(Runners.DIRECT, "--input=" + temp, "--output=" + temp, arg);
    InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> PrepareTrainingSet.validate(options));
    assertEquals(message, e.getMessage());
  }

  @Test
  void inputsThatMatchNothingOrHaveNoValidRowFailWithOneErrorLineBeforeStarting() throws Exception {
    Path garbage = TrainingFixtures.writeLines(temp.resolve("garbage.csv"), List.of("a,b,c", "", "x"));
    ConsoleCapture console = new ConsoleCapture();
    int missing =
        console.capture(
            () -> Cli.execute("prepare", new String[] {"--input=" + temp.resolve("nothing*.csv"), "--output=" + temp.resolve("o")},
                PrepareTrainingSet.Options.class, o -> PrepareTrainingSet.run(o) == null ? 1 : 0));
    int noRow =
        console.capture(
            () -> Cli.execute("prepare", new String[] {"--input=" + garbage, "--output=" + temp.resolve("o")},
                PrepareTrainingSet.Options.class, o -> PrepareTrainingSet.run(o) == null ? 1 : 0));
    assertEquals(Cli.EXIT_USAGE, missing);
    assertEquals(Cli.EXIT_USAGE, noRow);
    assertEquals(
        List.of(
            "iotbench prepare: error: --input=" + temp.resolve("nothing*.csv") + ": no file matches it",
            "iotbench prepare: error: --input=" + garbage + ": cannot infer the number of sensors: none of the first "
                + "1000 lines is a valid row (label,v1,...,vn); give --sensors"),
        console.errLines());
    assertFalse(Files.exists(temp.resolve("o")));
  }

  @Test
  void theCommandLineInfersTheSensorsUnlessGivenAndInputAndOutputAreRequired() throws Exception {
    assertEquals(0, PrepareTrainingSet.requestedSensors(options(Runners.DIRECT, "--input=a", "--output=b")));
    assertEquals(7, PrepareTrainingSet.requestedSensors(options(Runners.DIRECT, "--input=a", "--output=b", "--sensors=7")));
    ConsoleCapture console = new ConsoleCapture();
    int code = console.capture(() -> Cli.execute("prepare", new String[] {"--input=a"}, PrepareTrainingSet.Options.class, o -> 0));
    assertEquals(Cli.EXIT_USAGE, code);
    assertTrue(console.errLines().get(0).startsWith("iotbench prepare: error: Missing required value for [--output"), console.errLines().toString());
  }

  private static int prepare(ConsoleCapture console, String... args) throws Exception {
    return console.capture(
        () -> Cli.execute("prepare", Runners.args(Runners.DIRECT, args), PrepareTrainingSet.Options.class,
            o -> PrepareTrainingSet.run(o).getState() == PipelineResult.State.DONE ? 0 : 1));
  }

  @Test
  void garbageOrMoreThanTheMaximumShareOfRejectedRowsFailsWithOneLineAndNoDatasetInfo() throws Exception {
    Path garbage = temp.resolve("garbage");
    TrainingFixtures.writeLines(garbage.resolve("a.txt"), List.of("name,city,age", "bob,paris,41"));
    TrainingFixtures.writeLines(garbage.resolve("b.txt"), List.of("x,y,z"));
    List<String> lines = new ArrayList<>(TrainingFixtures.generatedLines(70, 5, 3));
    for (int i = 0; i < 30; i++) {
      lines.add(1 + i * 2, "1,x,3");
    }
    Path mixed = TrainingFixtures.writeLines(temp.resolve("mixed.csv"), lines);
    ConsoleCapture console = new ConsoleCapture();
    // A folder without a marker is not a complete output: its files are named.
    String garbageFiles = garbage + "/*.txt";
    assertEquals(1, prepare(console, "--input=" + garbageFiles, "--output=" + temp.resolve("g"), "--sensors=5"));
    assertEquals(0, prepare(console, "--input=" + mixed, "--output=" + temp.resolve("m"), "--maxRejectedFraction=0.3"));
    assertTrue(Files.exists(temp.resolve("m/dataset.json")));
    String before = Files.readString(temp.resolve("m/dataset.json"));
    assertEquals(1, prepare(console, "--input=" + mixed, "--output=" + temp.resolve("m"), "--maxRejectedFraction=0.29"));
    List<String> errors = console.errLines();
    assertEquals(2, errors.size());
    assertTrue(errors.get(0).startsWith(
        "iotbench prepare: failed: all 3 rows of --input=" + garbageFiles + " were rejected; likely cause: rows are not what "
            + "was expected, e.g. field 'line' has 3 fields, expected 6 (label and 5 values); dead letters in "
            + temp.resolve("g") + AtomicOutput.TEMPORARY), errors.get(0));
    assertTrue(errors.get(1).startsWith(
        "iotbench prepare: failed: 30 of 100 rows of --input=" + mixed + " were rejected, more than "
            + "--maxRejectedFraction=0.29; likely cause: rows are not what was expected, e.g. field 'line' has 3 fields, "
            + "expected 6 (label and 5 values); dead letters in " + temp.resolve("m") + AtomicOutput.TEMPORARY), errors.get(1));
    // The failed runs' dead letters are kept beside their outputs, which they did not publish.
    assertEquals(3, rejectedLines(keptFolder(errors.get(0))).size());
    assertEquals(30, rejectedLines(keptFolder(errors.get(1))).size());
    assertFalse(Files.exists(temp.resolve("g/dataset.json")));
    assertFalse(Files.exists(temp.resolve("g/" + AtomicOutput.MARKER)));
    assertEquals(before, Files.readString(temp.resolve("m/dataset.json")), "the failed rerun leaves the previous set");
    assertTrue(Files.exists(temp.resolve("m/" + AtomicOutput.MARKER)));
  }

  private static Path keptFolder(String errorLine) {
    return Path.of(errorLine.substring(errorLine.indexOf("dead letters in ") + "dead letters in ".length()));
  }

  @Test
  void aPreparedFolderOrOneOfItsSetsCanBePreparedAgain() throws Exception {
    Path prepared = TrainingFixtures.prepare(temp.resolve("p"), TrainingFixtures.generatedLines(300, 4, 2));
    List<TrainingRow> all = new ArrayList<>(ParquetRows.read(prepared.resolve("train")));
    List<TrainingRow> test = ParquetRows.read(prepared.resolve("test"));
    all.addAll(test);
    ConsoleCapture console = new ConsoleCapture();
    assertEquals(0, prepare(console, "--input=" + prepared, "--output=" + temp.resolve("again"), "--testFraction=0.5"));
    assertEquals(0, prepare(console, "--input=" + prepared.resolve("test"), "--output=" + temp.resolve("fromTest")));
    assertEquals(2, prepare(console, "--input=" + prepared, "--output=" + prepared));
    assertEquals(
        List.of("iotbench prepare: error: --input=" + prepared + ": lies in " + prepared + "/train/, which this run replaces; give another --output"),
        console.errLines());
    assertEquals(sorted(all), sorted(concat(ParquetRows.read(temp.resolve("again/train")), ParquetRows.read(temp.resolve("again/test")))));
    assertEquals(sorted(test), sorted(concat(ParquetRows.read(temp.resolve("fromTest/train")), ParquetRows.read(temp.resolve("fromTest/test")))));
    assertEquals(4, PreparedSet.readInfo(temp.resolve("fromTest").toString()).sensors());
  }

  @Test
  void aRowLongerThanTheLimitIsADeadLetterKeepingItsFirstCharacters() throws Exception {
    List<String> lines = new ArrayList<>(TrainingFixtures.generatedLines(20, 10, 3));
    String longRow = "1," + "0.5,".repeat(300_000) + "0.5";
    lines.add(3, longRow);
    Path input = TrainingFixtures.writeLines(temp.resolve("rows.csv"), lines);
    PrepareTrainingSet.Options options = options(Runners.DIRECT, "--input=" + input, "--output=" + temp.resolve("out"));
    Pipeline pipeline = Pipeline.create(options);
    PrepareTrainingSet.Outputs outputs = PrepareTrainingSet.buildPipeline(pipeline, options, input.toString(), 10);
    PAssert.that(outputs.deadLetters())
        .containsInAnyOrder(
            dead(longRow.substring(0, InputFiles.MAX_ROW_CHARS + 1),
                "line is too long: " + longRow.length() + " characters, more than the limit of 1048576"));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    TestPipeline.verifyPAssertsSucceeded(pipeline, result);
  }

  @Test
  void theLikelyCauseNamesParquetBinaryDataOrTheParsersReason() {
    assertEquals("these files are Parquet, not CSV", RejectedRows.cause("PAR1\u0015\u0004", "field 'label' is not 0 or 1"));
    assertTrue(RejectedRows.cause("\u001f\uFFFD\b", "x").startsWith("these files are not CSV text (binary data;"));
    assertEquals(
        "rows are not what was expected, e.g. field 'line' has 12 fields, expected 101 (label and 100 values)",
        RejectedRows.cause("a,b", "field 'line' has 12 fields, expected 101 (label and 100 values): 'a,b'"));
    assertEquals(
        "rows are not what was expected, e.g. record has 12 features, expected 101",
        RejectedRows.cause("{\"label\": 1.0}", "record has 12 features, expected 101"));
    assertTrue(RejectedRows.tooMany(10, 10, 1.0));
    assertFalse(RejectedRows.tooMany(10, 0, 0.0));
    assertFalse(RejectedRows.tooMany(100, 30, 0.3));
    assertTrue(RejectedRows.tooMany(100, 31, 0.3));
  }

  @Test
  void parquetIsToldFromCsvByNameOrMagicBytesAndMixedFoldersAreRefused() throws Exception {
    Path folder = Files.createDirectories(temp.resolve("f"));
    // Hand-made folders, marked complete by hand (an empty marker, as `touch` makes).
    Files.write(folder.resolve(AtomicOutput.MARKER), new byte[0]);
    Files.write(folder.resolve("a.parquet"), "PAR1xxxxPAR1".getBytes(StandardCharsets.US_ASCII));
    assertTrue(InputFiles.isParquet("f", InputFiles.resolve(folder.toString())));
    Files.write(folder.resolve("b.csv"), List.of("1,2"), StandardCharsets.US_ASCII);
    assertEquals(folder + "/*.parquet", InputFiles.resolve(folder.toString()));
    InvalidOptionException mixed = assertThrows(InvalidOptionException.class, () -> InputFiles.isParquet("f", folder + "/*.*"));
    assertEquals("--input=f: 1 of its 2 files are Parquet (*.parquet) and the others are not; give a glob that matches one kind", mixed.getMessage());
    Files.write(folder.resolve("c"), "PAR1xxxxPAR1".getBytes(StandardCharsets.US_ASCII));
    assertTrue(InputFiles.isParquet("c", folder.resolve("c").toString()));
    assertFalse(InputFiles.isParquet("b", folder.resolve("b.csv").toString()));
    Path plain = Files.createDirectories(temp.resolve("plain"));
    Files.write(plain.resolve("rows.txt"), List.of("1,2"), StandardCharsets.US_ASCII);
    assertThrows(InvalidOptionException.class, () -> InputFiles.resolve(plain.toString()));
    Files.write(plain.resolve(AtomicOutput.MARKER), new byte[0]);
    assertEquals(plain + "/*", InputFiles.resolve(plain.toString()));
  }

  private static List<TrainingRow> concat(List<TrainingRow> a, List<TrainingRow> b) {
    List<TrainingRow> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static List<String> sorted(List<TrainingRow> rows) {
    return rows.stream().map(TrainingCsvCodec::format).sorted().toList();
  }

  private static List<String> rejectedLines(Path folder) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted(Comparator.naturalOrder()).toList()) {
        lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
      }
    }
    return lines;
  }

  @Test
  void aRunThatFailsWritingTheTestSetLeavesThePreviousSetLoadableAndNoPartialSet() throws Exception {
    Path previous = TrainingFixtures.prepare(temp.resolve("p"), TrainingFixtures.generatedLines(300, 4, 2));
    Map<String, String> before = OutputTrees.snapshot(previous);
    assertTrue(before.containsKey(AtomicOutput.MARKER) && before.containsKey(PreparedSet.INFO_FILE), before.toString());
    Path input = TrainingFixtures.writeLines(temp.resolve("other.csv"), TrainingFixtures.generatedLines(500, 4, 9));

    // The train set is written, then the first bytes of the test set fail.
    FailingFileSystem.failWrites(path -> path.contains("/" + PreparedSet.TEST + "/"), 0);
    ConsoleCapture console = new ConsoleCapture();
    try {
      assertEquals(1, prepare(console, "--input=" + input, "--output=" + FailingFileSystem.uri(previous)));
      assertTrue(FailingFileSystem.failures() >= 1);
    } finally {
      FailingFileSystem.reset();
    }
    assertEquals(before, OutputTrees.snapshot(previous), "the previous set is untouched");
    assertEquals(List.of("input.csv", "prepared"), OutputTrees.names(temp.resolve("p")), "no temporary sibling is left");
    // ... and still loads, as a whole and as a set folder.
    assertEquals(0, prepare(console, "--input=" + previous, "--output=" + temp.resolve("again")));
    assertEquals(0, prepare(console, "--input=" + previous.resolve("test"), "--output=" + temp.resolve("fromTest")));

    // Without its marker the folder, or one of its sets, is refused; files are read as given.
    Files.delete(previous.resolve(AtomicOutput.MARKER));
    ConsoleCapture refused = new ConsoleCapture();
    assertEquals(2, prepare(refused, "--input=" + previous, "--output=" + temp.resolve("x")));
    assertEquals(2, prepare(refused, "--input=" + previous.resolve("test"), "--output=" + temp.resolve("y")));
    assertEquals(
        List.of(
            "iotbench prepare: error: --input=" + previous + ": not a complete output (no _SUCCESS in " + previous + "/): the run "
                + "that wrote it failed or has not finished; to read files without the marker, name the files",
            "iotbench prepare: error: --input=" + previous.resolve("test") + ": not a complete output (no _SUCCESS in " + previous
                + "/): the run that wrote it failed or has not finished; to read files without the marker, name the files"),
        refused.errLines());
    assertEquals(0, prepare(refused, "--input=" + previous.resolve("test") + "/*.parquet", "--output=" + temp.resolve("z"), "--sensors=4"));
    // The original benchmark's file (no marker) is read as a file.
    Path original = TrainingFixtures.writeLines(temp.resolve("orig/original-training-data.csv"), TrainingFixtures.originalLines());
    assertEquals(0, prepare(refused, "--input=" + original, "--output=" + temp.resolve("o")));
    assertEquals(20, PreparedSet.readInfo(temp.resolve("o").toString()).rowsRead());
  }
}
