package io.iotbench.pipelines.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.model.TrainingCsvCodec;
import io.iotbench.model.TrainingRow;
import io.iotbench.model.scoring.PortableModel;
import io.iotbench.model.scoring.Prediction;
import io.iotbench.model.scoring.Scorer;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.storage.AtomicOutput;
import io.iotbench.pipelines.common.DeadLetter;
import io.iotbench.pipelines.prepare.InputFiles;
import io.iotbench.pipelines.prepare.PreparedSet;
import io.iotbench.pipelines.testing.ConsoleCapture;
import io.iotbench.pipelines.testing.FailingFileSystem;
import io.iotbench.pipelines.testing.OutputTrees;
import io.iotbench.pipelines.testing.ParquetRows;
import io.iotbench.pipelines.testing.Runners;
import io.iotbench.pipelines.testing.TrainingFixtures;
import io.iotbench.pipelines.train.ModelFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
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

class EvaluateModelTest {
  private static final int SENSORS = 6;

  @TempDir Path temp;

  static Stream<Arguments> runners() {
    return Stream.of(Arguments.of("direct", Runners.DIRECT), Arguments.of("spark", Runners.SPARK_LOCAL));
  }

  /**
   * A logistic regression that knows only sensors 1..4 of the generator's rule (sum i*v_i > 10.5 for six
   * sensors) and guesses the rest by their mean, so it is good but makes errors.
   */
  private Path writeModel(Path folder) throws IOException {
    PortableModel model =
        PortableModel.logisticRegression(new double[] {1, 2, 3, 4, 0, 0}, -5.0, 0.5, Map.of("note", "hand-made"));
    ModelFolder.writePortable(folder.toString(), model);
    return folder;
  }

  private EvaluateModel.Options options(String[] runner, String... args) {
    return Cli.parse(Runners.args(runner, args), EvaluateModel.Options.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runners")
  void scoresEveryRowCountsErrorsPerProducerAndKeepsBadRowsAsExactDeadLetters(String name, String[] runner) throws Exception {
    Path model = writeModel(temp.resolve("model"));
    Scorer scorer = PortableModel.parse(Files.readAllBytes(model.resolve(PortableModel.FILE_NAME)), "m").scorer();
    List<String> generated = TrainingFixtures.generatedLines(300, SENSORS, 4);
    List<String> lines = new ArrayList<>();
    List<ScoredRow> expected = new ArrayList<>();
    for (int i = 0; i < generated.size(); i++) {
      String producer = i < 100 ? null : i % 2 == 0 ? "dev-1" : "dev-2";
      lines.add(producer == null ? generated.get(i) : producer + "," + generated.get(i));
      TrainingRow row = TrainingCsvCodec.parse(generated.get(i), SENSORS);
      Prediction p = scorer.score(row.values());
      expected.add(new ScoredRow(producer == null ? LabeledRow.NO_PRODUCER : producer, row.label(), p.label(), p.probability()));
    }
    String values = generated.get(0).substring(2);
    List<DeadLetter> bad =
        List.of(
            new DeadLetter("1,0.5,0.5", "read", "field 'line' has 3 fields, expected 7 (label and 6 values) or 8 (producer, label and 6 values): '1,0.5,0.5'"),
            new DeadLetter("dev-3,7," + values, "read", "field 'label' is not 0 or 1: '7' (line \"dev-3,7," + values + "\")"),
            new DeadLetter(" ,1," + values, "read", "field 'producer' is empty: '' (line \" ,1," + values + "\")"));
    bad.forEach(d -> lines.add(50, d.payload()));
    Path input = TrainingFixtures.writeLines(temp.resolve("labeled/rows.csv"), lines);
    Path out = temp.resolve("out");
    EvaluateModel.Options options = options(runner, "--input=" + input, "--model=" + model, "--output=" + out);

    Pipeline pipeline = Pipeline.create(options);
    EvaluateModel.Outputs outputs =
        EvaluateModel.buildPipeline(pipeline, options, new EvaluateModel.Source(input.toString(), false), PortableModel.parse(Files.readAllBytes(model.resolve("model.json")), "m"));
    PAssert.that(outputs.scored()).containsInAnyOrder(expected);
    PAssert.that(outputs.deadLetters()).containsInAnyOrder(bad);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    TestPipeline.verifyPAssertsSucceeded(pipeline, result);

    long errors = expected.stream().filter(ScoredRow::isError).count();
    assertTrue(errors > 5 && errors < 100, "errors " + errors);
    Map<?, ?> metrics = EvaluateModel.readMetrics(out.toString());
    assertEquals(300, ((Number) metrics.get("rows")).intValue());
    assertEquals(errors, ((Number) metrics.get("errors")).longValue());
    assertEquals((300.0 - errors) / 300, ((Number) metrics.get("accuracy")).doubleValue(), 1e-12);
    assertEquals(pairwiseAuroc(expected), ((Number) metrics.get("auroc")).doubleValue(), 1e-12);
    assertEquals("logistic-regression", metrics.get("algorithm"));
    long tp = count(expected, 1, 1);
    long fp = count(expected, 0, 1);
    long tn = count(expected, 0, 0);
    long fn = count(expected, 1, 0);
    assertEquals(
        List.of("actual,predicted_0,predicted_1", "0," + tn + "," + fp, "1," + fn + "," + tp),
        Files.readAllLines(out.resolve(WriteEvaluation.CONFUSION)));
    Map<String, Long> perProducer = new TreeMap<>();
    expected.forEach(r -> perProducer.merge(r.producer(), r.isError() ? 1L : 0L, Long::sum));
    List<String> errorLines = new ArrayList<>(List.of("producer,total_errors"));
    perProducer.entrySet().stream()
        .sorted((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey()) : Long.compare(b.getValue(), a.getValue()))
        .forEach(e -> errorLines.add(e.getKey() + "," + e.getValue()));
    assertEquals(4, errorLines.size());
    assertEquals(errorLines, Files.readAllLines(out.resolve(WriteEvaluation.ERRORS)));
    List<String> predictions = linesOf(out.resolve(WriteEvaluation.PREDICTIONS), ".csv");
    assertEquals(
        expected.stream().map(ScoredRow::toCsv).sorted().toList(),
        predictions.stream().filter(l -> !l.equals(ScoredRow.CSV_HEADER)).sorted().toList());
    assertEquals(bad.stream().map(DeadLetter::toJson).sorted().toList(), linesOf(out.resolve("rejected"), ".jsonl").stream().sorted().toList());
  }

  @Test
  void aPreparedFolderIsScoredOnItsTestSetAndTheReportEndsWithTheResultLine() throws Exception {
    Path prepared = TrainingFixtures.prepare(temp.resolve("p"), TrainingFixtures.generatedLines(400, SENSORS, 8));
    Path model = writeModel(temp.resolve("model"));
    Path out = temp.resolve("out");
    ConsoleCapture console = new ConsoleCapture();
    int code =
        console.capture(
            () -> Cli.execute("evaluate", Runners.args(Runners.DIRECT, "--input=" + prepared, "--model=" + model, "--output=" + out),
                EvaluateModel.Options.class, o -> EvaluateModel.run(o).getState() == PipelineResult.State.DONE ? 0 : 1));
    assertEquals(0, code, console.errLines().toString());
    int testRows = ParquetRows.read(prepared.resolve("test")).size();
    assertEquals(testRows, PreparedSet.readInfo(prepared.toString()).testRows());
    Map<?, ?> metrics = EvaluateModel.readMetrics(out.toString());
    assertEquals(testRows, ((Number) metrics.get("rows")).intValue());
    List<String> report = console.outLines();
    assertEquals(
        String.format(
            Locale.ROOT,
            "RESULT auroc=%.6f accuracy=%.6f errors=%d",
            ((Number) metrics.get("auroc")).doubleValue(),
            ((Number) metrics.get("accuracy")).doubleValue(),
            ((Number) metrics.get("errors")).longValue()),
        report.get(report.size() - 1));
    assertTrue(report.get(0).startsWith("Scored " + testRows + " rows of " + prepared + "/test/*.parquet with the logistic-regression model"), report.get(0));
    assertEquals(List.of("producer,total_errors", "all," + metrics.get("errors")), Files.readAllLines(out.resolve(WriteEvaluation.ERRORS)));
  }

  @Test
  void aMissingOrCorruptModelOrOneWithAnotherNumberOfFeaturesIsOneErrorLine() throws Exception {
    Path input = TrainingFixtures.writeLines(temp.resolve("rows.csv"), TrainingFixtures.originalLines());
    Path prepared = TrainingFixtures.prepare(temp.resolve("p"), TrainingFixtures.generatedLines(50, 4, 1));
    Path model = writeModel(temp.resolve("model"));
    Path corrupt = temp.resolve("corrupt");
    Files.createDirectories(corrupt);
    Files.writeString(corrupt.resolve("model.json"), "{\"format\":\"iotbench-portable-model\",\"formatVersion\":1,\"algorithm\":\"random-forest\",\"numFeatures\":6,\"trees\":[]}");
    Path notJson = temp.resolve("notjson");
    Files.createDirectories(notJson);
    Files.writeString(notJson.resolve("model.json"), "<html>");
    Files.writeString(corrupt.resolve(AtomicOutput.MARKER), "");
    Files.writeString(notJson.resolve(AtomicOutput.MARKER), "");
    Path missing = temp.resolve("missing");

    ConsoleCapture console = new ConsoleCapture();
    List<Integer> codes = new ArrayList<>();
    for (String[] args :
        List.of(
            new String[] {"--input=" + input, "--model=" + model},
            new String[] {"--input=" + prepared, "--model=" + model},
            new String[] {"--input=" + input, "--model=" + missing},
            new String[] {"--input=" + input, "--model=" + corrupt},
            new String[] {"--input=" + input, "--model=" + notJson})) {
      codes.add(
          console.capture(
              () -> Cli.execute("evaluate", Runners.args(Runners.DIRECT, Runners.args(args, "--output=" + temp.resolve("o"))),
                  EvaluateModel.Options.class, o -> EvaluateModel.run(o) == null ? 1 : 0)));
    }
    assertEquals(List.of(2, 2, 2, 2, 2), codes);
    List<String> errors = console.errLines();
    assertEquals(
        List.of(
            "iotbench evaluate: error: --model=" + model + ": the model has 6 features but the rows of --input=" + input
                + " have 10 sensor values (first row of " + input + ")",
            "iotbench evaluate: error: --model=" + model + ": the model has 6 features but the rows of --input=" + prepared
                + " have 4 sensor values (" + prepared + "/dataset.json)",
            "iotbench evaluate: error: --model=" + missing + ": no model there (" + missing + "/model.json does not exist); "
                + "train one with iotbench train",
            "iotbench evaluate: error: --model=" + corrupt + ": model file " + corrupt + "/model.json is corrupt: trees is empty or has an empty entry"),
        errors.subList(0, 4));
    assertTrue(errors.get(4).startsWith("iotbench evaluate: error: --model=" + notJson + ": model file " + notJson
        + "/model.json is corrupt: not valid JSON of a portable model ("), errors.get(4));
    assertEquals(5, errors.size());
    assertTrue(!Files.exists(temp.resolve("o")));
  }

  private int evaluate(ConsoleCapture console, String... args) throws Exception {
    return console.capture(
        () -> Cli.execute("evaluate", Runners.args(Runners.DIRECT, args), EvaluateModel.Options.class,
            o -> EvaluateModel.run(o).getState() == PipelineResult.State.DONE ? 0 : 1));
  }

  @Test
  void aSetFolderOrParquetFilesOfAPreparedFolderScoreLikeTheFolderItself() throws Exception {
    Path prepared = TrainingFixtures.prepare(temp.resolve("p"), TrainingFixtures.generatedLines(400, SENSORS, 8));
    Path model = writeModel(temp.resolve("model"));
    // A copy of the test set's files without their extension: recognized by Parquet's magic bytes.
    Path unnamed = Files.createDirectories(temp.resolve("unnamed"));
    List<Path> parts = ParquetRows.files(prepared.resolve("test"));
    for (int i = 0; i < parts.size(); i++) {
      Files.copy(parts.get(i), unnamed.resolve("rows-" + i));
    }
    ConsoleCapture console = new ConsoleCapture();
    List<Map<?, ?>> metrics = new ArrayList<>();
    for (String input : List.of(prepared.toString(), prepared.resolve("test").toString(), prepared + "/test/*.parquet", unnamed + "/*")) {
      Path out = temp.resolve("out" + metrics.size());
      assertEquals(0, evaluate(console, "--input=" + input, "--model=" + model, "--output=" + out), console.errLines().toString());
      metrics.add(EvaluateModel.readMetrics(out.toString()));
    }
    assertEquals(List.of(), console.errLines());
    int testRows = ParquetRows.read(prepared.resolve("test")).size();
    for (Map<?, ?> m : metrics) {
      assertEquals(testRows, ((Number) m.get("rows")).intValue());
      for (String key : List.of("auroc", "aupr", "accuracy", "errors")) {
        assertEquals(metrics.get(0).get(key), m.get(key), key);
      }
    }
    List<String> results = console.outLines().stream().filter(l -> l.startsWith("RESULT ")).toList();
    assertEquals(4, results.size());
    assertEquals(1, results.stream().distinct().count(), results.toString());
    assertTrue(((Number) metrics.get(0).get("accuracy")).doubleValue() > 0.6, metrics.get(0).toString());
  }

  @Test
  void aSetFolderOfAnotherWidthIsOneErrorLineBeforeStarting() throws Exception {
    Path prepared = TrainingFixtures.prepare(temp.resolve("p"), TrainingFixtures.generatedLines(50, 4, 1));
    Path model = writeModel(temp.resolve("model"));
    ConsoleCapture console = new ConsoleCapture();
    assertEquals(2, evaluate(console, "--input=" + prepared.resolve("test"), "--model=" + model, "--output=" + temp.resolve("o")));
    assertEquals(
        List.of("iotbench evaluate: error: --model=" + model + ": the model has 6 features but the rows of --input="
            + prepared.resolve("test") + " have 4 sensor values (" + prepared + "/dataset.json)"),
        console.errLines());
  }

  @Test
  void aFolderOfCsvGarbageFailsWithOneLineNamingTheCauseAfterWritingItsDeadLetters() throws Exception {
    Path model = writeModel(temp.resolve("model"));
    Path garbage = temp.resolve("garbage");
    TrainingFixtures.writeLines(garbage.resolve("a.csv"), List.of("name,city,age", "bob,paris,41", "ann,rome,37"));
    TrainingFixtures.writeLines(garbage.resolve("b.csv"), List.of("x,y,z", "1,x,3"));
    Path out = temp.resolve("out");
    ConsoleCapture console = new ConsoleCapture();
    // A folder without a marker is not a complete output: its files are named.
    assertEquals(1, evaluate(console, "--input=" + garbage + "/*.csv", "--model=" + model, "--output=" + out), console.errLines().toString());
    assertEquals(List.of(), console.outLines());
    List<String> failures = console.errLines().stream().filter(l -> l.startsWith("iotbench evaluate:")).toList();
    assertEquals(1, failures.size(), console.errLines().toString());
    String line = failures.get(0);
    String prefix = "iotbench evaluate: failed: all 5 rows of --input=" + garbage + "/*.csv were rejected; likely cause: rows are not "
        + "what was expected, e.g. field 'line' has 3 fields, expected 7 (label and 6 values) or 8 (producer, label and "
        + "6 values); dead letters in " + out + AtomicOutput.TEMPORARY;
    assertTrue(line.startsWith(prefix) && line.endsWith("/rejected/"), line);
    // The failed run's dead letters are kept beside the output, which it did not publish.
    Path kept = Path.of(line.substring(line.indexOf("dead letters in ") + "dead letters in ".length()));
    assertEquals(5, linesOf(kept, ".jsonl").size());
    assertTrue(!Files.exists(out.resolve(AtomicOutput.MARKER)));
  }

  @Test
  void moreThanTheMaximumShareOfRejectedRowsFailsAndUpToItPasses() throws Exception {
    Path model = writeModel(temp.resolve("model"));
    List<String> lines = new ArrayList<>(TrainingFixtures.generatedLines(70, SENSORS, 3));
    for (int i = 0; i < 30; i++) {
      lines.add(i * 2, "1,x,3");
    }
    Path input = TrainingFixtures.writeLines(temp.resolve("rows.csv"), lines);
    ConsoleCapture console = new ConsoleCapture();
    List<Integer> codes = new ArrayList<>();
    for (String max : List.of("", "--maxRejectedFraction=0.3", "--maxRejectedFraction=0.29")) {
      List<String> args = new ArrayList<>(List.of("--input=" + input, "--model=" + model, "--output=" + temp.resolve("o" + codes.size())));
      if (!max.isEmpty()) {
        args.add(max);
      }
      codes.add(evaluate(console, args.toArray(new String[0])));
    }
    assertEquals(List.of(0, 0, 1), codes);
    assertEquals(1, console.errLines().size(), console.errLines().toString());
    String line = console.errLines().get(0);
    assertTrue(line.startsWith("iotbench evaluate: failed: 30 of 100 rows of --input=" + input + " were rejected, more than "
        + "--maxRejectedFraction=0.29; likely cause: rows are not what was expected, e.g. field 'line' has 3 fields, "
        + "expected 7 (label and 6 values) or 8 (producer, label and 6 values); dead letters in " + temp.resolve("o2")
        + AtomicOutput.TEMPORARY) && line.endsWith("/rejected/"), line);
    Path kept = Path.of(line.substring(line.indexOf("dead letters in ") + "dead letters in ".length()));
    assertEquals(30, linesOf(kept, ".jsonl").size());
    assertTrue(!Files.exists(temp.resolve("o2")), "the failed run published nothing");
    assertEquals(
        2, evaluate(console, "--input=" + input, "--model=" + model, "--output=" + temp.resolve("o3"), "--maxRejectedFraction=1.5"));
    assertEquals("iotbench evaluate: error: --maxRejectedFraction=1.5: must be within [0, 1]", console.errLines().get(1));
  }

  @Test
  void aRowLongerThanTheLimitIsADeadLetterKeepingItsFirstCharacters() throws Exception {
    Path model = writeModel(temp.resolve("model"));
    List<String> lines = new ArrayList<>(TrainingFixtures.generatedLines(20, SENSORS, 3));
    String longRow = "1," + "0.5,".repeat(300_000) + "0.5";
    lines.add(5, longRow);
    Path input = TrainingFixtures.writeLines(temp.resolve("rows.csv"), lines);
    EvaluateModel.Options options = options(Runners.DIRECT, "--input=" + input, "--model=" + model, "--output=" + temp.resolve("o"));
    Pipeline pipeline = Pipeline.create(options);
    EvaluateModel.Outputs outputs =
        EvaluateModel.buildPipeline(pipeline, options, new EvaluateModel.Source(input.toString(), false),
            PortableModel.parse(Files.readAllBytes(model.resolve("model.json")), "m"));
    PAssert.that(outputs.deadLetters())
        .containsInAnyOrder(
            new DeadLetter(longRow.substring(0, InputFiles.MAX_ROW_CHARS + 1), "read",
                "line is too long: " + longRow.length() + " characters, more than the limit of 1048576"));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    TestPipeline.verifyPAssertsSucceeded(pipeline, result);
  }

  private static long count(List<ScoredRow> rows, int label, int prediction) {
    return rows.stream().filter(r -> r.label() == label && r.prediction() == prediction).count();
  }

  private static double pairwiseAuroc(List<ScoredRow> rows) {
    double wins = 0;
    long pairs = 0;
    for (ScoredRow p : rows) {
      for (ScoredRow n : rows) {
        if (p.label() == 1 && n.label() == 0) {
          pairs++;
          wins += p.probability() > n.probability() ? 1 : p.probability() == n.probability() ? 0.5 : 0;
        }
      }
    }
    return wins / pairs;
  }

  private static List<String> linesOf(Path folder, String suffix) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList()) {
        lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
      }
    }
    return lines;
  }

  @Test
  void aRunThatFailsWritingItsPredictionsLeavesThePreviousEvaluationAndNoPartialSet() throws Exception {
    Path model = writeModel(temp.resolve("model"));
    Path prepared = TrainingFixtures.prepare(temp.resolve("p"), TrainingFixtures.generatedLines(400, SENSORS, 8));
    Path out = temp.resolve("runs/evaluation");
    ConsoleCapture console = new ConsoleCapture();
    assertEquals(0, evaluate(console, "--input=" + prepared, "--model=" + model, "--output=" + out));
    Map<String, String> before = OutputTrees.snapshot(out);
    assertTrue(before.containsKey(AtomicOutput.MARKER) && before.containsKey(WriteEvaluation.METRICS), before.toString());

    Path other = TrainingFixtures.prepare(temp.resolve("q"), TrainingFixtures.generatedLines(300, SENSORS, 5));
    FailingFileSystem.failWrites(path -> path.contains("/" + WriteEvaluation.PREDICTIONS + "/"), 100);
    try {
      assertEquals(1, evaluate(console, "--input=" + other, "--model=" + model, "--output=" + FailingFileSystem.uri(out)));
      assertTrue(FailingFileSystem.failures() >= 1);
    } finally {
      FailingFileSystem.reset();
    }
    assertEquals(before, OutputTrees.snapshot(out), "the previous evaluation is untouched");
    assertEquals(List.of("evaluation"), OutputTrees.names(temp.resolve("runs")), "no temporary sibling is left");
    assertTrue(((Number) EvaluateModel.readMetrics(out.toString()).get("rows")).longValue() > 0);

    // A model folder without its marker is refused; its model.json named as a file is read.
    Files.delete(model.resolve(AtomicOutput.MARKER));
    ConsoleCapture refused = new ConsoleCapture();
    assertEquals(2, evaluate(refused, "--input=" + prepared, "--model=" + model, "--output=" + temp.resolve("o2")));
    assertEquals(
        List.of("iotbench evaluate: error: --model=" + model + ": not a complete output (no _SUCCESS in " + model + "/): the run "
            + "that wrote it failed or has not finished; to read files without the marker, name the files"),
        refused.errLines());
    assertEquals(0, evaluate(refused, "--input=" + prepared, "--model=" + model.resolve("model.json"), "--output=" + temp.resolve("o3")));
  }
}
