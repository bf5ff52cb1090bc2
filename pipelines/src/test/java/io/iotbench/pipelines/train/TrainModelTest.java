package io.iotbench.pipelines.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotbench.model.scoring.Algorithm;
import io.iotbench.model.scoring.GradientBoostedTreesScorer;
import io.iotbench.model.scoring.PortableModel;
import io.iotbench.model.scoring.RandomForestScorer;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.common.storage.AtomicOutput;
import io.iotbench.pipelines.testing.ConsoleCapture;
import io.iotbench.pipelines.testing.FailingFileSystem;
import io.iotbench.pipelines.testing.FailingHadoopFileSystem;
import io.iotbench.pipelines.testing.OutputTrees;
import io.iotbench.pipelines.testing.LocalSpark;
import io.iotbench.pipelines.testing.TrainingFixtures;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainModelTest {
  private static SparkSession spark;
  private static Path prepared;
  private static Path singleClass;
  private static Path emptyTraining;

  @TempDir static Path data;
  @TempDir Path temp;

  @BeforeAll
  static void start() throws Exception {
    // Prepared on the DirectRunner before Spark starts: one SparkContext per JVM.
    List<String> lines = TrainingFixtures.generatedLines(1500, 8, 33);
    prepared = TrainingFixtures.prepare(data.resolve("good"), lines);
    singleClass = TrainingFixtures.prepare(data.resolve("ones"), lines.stream().filter(l -> l.startsWith("1,")).toList());
    // An empty input: a run whose every row is rejected fails (--maxRejectedFraction), an empty one does not.
    emptyTraining = TrainingFixtures.prepare(data.resolve("empty"), List.of(), "--sensors=8");
    spark = LocalSpark.start();
  }

  @AfterAll
  static void stop() {
    LocalSpark.stop(spark);
  }

  private static TrainModel.Options options(String... args) {
    return Cli.parse(args, TrainModel.Options.class);
  }

  @Test
  void logisticRegressionWritesMllibAndPortableModelsMetricsRocAndLeaderboard() throws Exception {
    Path model = temp.resolve("model");
    ConsoleCapture console = new ConsoleCapture();
    TrainModel.Outcome outcome =
        console.capture(() -> TrainModel.run(options("--input=" + prepared, "--model=" + model), spark));

    TrainModel.Run best = outcome.best();
    assertEquals(Algorithm.LOGISTIC_REGRESSION, outcome.algorithm());
    assertEquals(1, outcome.runs().size());
    assertTrue(best.metrics().auroc() >= 0.95, "AUROC " + best.metrics().auroc());
    assertEquals(outcome.testRows(), best.metrics().rows());
    assertEquals(Map.of("maxIter", 100, "regParam", 0.0, "elasticNetParam", 0.0), best.params());

    // MLlib's own format, loadable by Spark users, with the same coefficients as the portable file.
    LogisticRegressionModel mllib = LogisticRegressionModel.load(model.resolve("mllib").toString());
    PortableModel portable = ModelFolder.loadPortable(model.toString());
    assertEquals(8, portable.numFeatures());
    assertArrayEquals(
        mllib.coefficients().toArray(),
        ((io.iotbench.model.scoring.LogisticRegressionScorer) portable.scorer()).coefficients());
    assertEquals(spark.version(), portable.training().get("sparkVersion"));
    assertEquals((int) outcome.trainRows(), ((Number) portable.training().get("trainRows")).intValue());
    assertEquals(42, ((Number) portable.training().get("seed")).intValue());

    Map<?, ?> metrics = new ObjectMapper().readValue(model.resolve("metrics.json").toFile(), Map.class);
    assertEquals("logistic-regression", metrics.get("algorithm"));
    assertEquals(best.metrics().auroc(), ((Number) metrics.get("auroc")).doubleValue());
    assertEquals(best.metrics().aupr(), ((Number) metrics.get("aupr")).doubleValue());
    assertEquals(best.metrics().accuracy(), ((Number) metrics.get("accuracy")).doubleValue());
    Map<?, ?> confusion = (Map<?, ?>) metrics.get("confusionMatrix");
    long total = 0;
    for (Object v : confusion.values()) {
      total += ((Number) v).longValue();
    }
    assertEquals(outcome.testRows(), total);

    BufferedImage roc = ImageIO.read(model.resolve("roc.png").toFile());
    assertEquals(RocChart.WIDTH, roc.getWidth());
    assertEquals(RocChart.HEIGHT, roc.getHeight());

    List<String> leaderboard = Files.readAllLines(model.resolve("leaderboard.csv"));
    assertEquals("rank,run,maxIter,regParam,elasticNetParam,auroc,aupr,accuracy,fit_seconds", leaderboard.get(0));
    assertTrue(leaderboard.get(1).startsWith(String.format(Locale.ROOT, "1,1,100,0.0,0.0,%.6f,", best.metrics().auroc())), leaderboard.get(1));
    assertTrue(Files.readString(model.resolve("leaderboard.md")).contains("| rank | run | maxIter | regParam | elasticNetParam | AUROC |"));

    List<String> out = console.outLines();
    assertTrue(out.get(0).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ: Training logistic regression model and storing as "
        + java.util.regex.Pattern.quote(model.toString()) + "/? using data from .+"), out.get(0));
    assertTrue(out.get(1).startsWith("Training logistic-regression on " + outcome.trainRows() + " rows"), out.get(1));
    assertEquals(
        String.format(
            Locale.ROOT,
            "RESULT auroc=%.6f aupr=%.6f accuracy=%.6f",
            best.metrics().auroc(),
            best.metrics().aupr(),
            best.metrics().accuracy()),
        out.get(out.size() - 1));
  }

  @Test
  void aGridTrainsEveryCombinationRanksThemByAurocAndKeepsTheBest() throws Exception {
    Path model = temp.resolve("forest");
    TrainModel.Outcome outcome =
        TrainModel.run(
            options(
                "--input=" + prepared, "--model=" + model, "--algorithm=random-forest",
                "--grid=numTrees=2,5", "--grid=maxDepth=2,4"),
            spark);
    assertEquals(4, outcome.runs().size());
    List<Map<String, Number>> params = new ArrayList<>();
    outcome.runs().forEach(r -> params.add(r.params()));
    assertEquals(
        List.of(Map.of("numTrees", 2, "maxDepth", 2), Map.of("numTrees", 2, "maxDepth", 4),
            Map.of("numTrees", 5, "maxDepth", 2), Map.of("numTrees", 5, "maxDepth", 4)),
        params);
    double bestAuroc = outcome.runs().stream().mapToDouble(r -> r.metrics().auroc()).max().orElseThrow();
    assertEquals(bestAuroc, outcome.best().metrics().auroc());

    List<String> csv = Files.readAllLines(model.resolve("leaderboard.csv"));
    assertEquals(5, csv.size());
    assertEquals("rank,run,numTrees,maxDepth,auroc,aupr,accuracy,fit_seconds", csv.get(0));
    double previous = 2;
    for (String line : csv.subList(1, 5)) {
      double auroc = Double.parseDouble(line.split(",")[4]);
      assertTrue(auroc <= previous, csv.toString());
      previous = auroc;
    }
    assertTrue(csv.get(1).startsWith("1," + outcome.best().number() + ","), csv.toString());
    // The kept model is the best run's.
    RandomForestScorer kept = (RandomForestScorer) ModelFolder.loadPortable(model.toString()).scorer();
    assertEquals(outcome.best().params().get("numTrees"), kept.numTrees());
    assertEquals(outcome.best().params(), ModelFolder.loadPortable(model.toString()).training().get("params"));
  }

  @Test
  void gradientBoostedTreesTakeTheirParametersFromTheOptions() throws Exception {
    Path model = temp.resolve("gbt");
    TrainModel.Outcome outcome =
        TrainModel.run(
            options("--input=" + prepared, "--model=" + model, "--algorithm=gradient-boosted-trees", "--maxIter=4", "--maxDepth=2", "--stepSize=0.3"),
            spark);
    assertEquals(Map.of("maxIter", 4, "maxDepth", 2, "stepSize", 0.3), outcome.best().params());
    GradientBoostedTreesScorer scorer = (GradientBoostedTreesScorer) ModelFolder.loadPortable(model.toString()).scorer();
    assertEquals(4, scorer.numTrees());
    assertTrue(outcome.best().metrics().auroc() > 0.8, "AUROC " + outcome.best().metrics().auroc());
  }

  @Test
  void anEmptyOrSingleClassTrainingSetOrAFolderThatIsNotPreparedIsRefused() {
    InvalidOptionException empty =
        assertThrows(InvalidOptionException.class, () -> TrainModel.run(options("--input=" + emptyTraining, "--model=" + temp.resolve("m")), spark));
    assertEquals("--input=" + emptyTraining + ": the training set is empty (no rows in " + emptyTraining + "/train/)", empty.getMessage());
    InvalidOptionException single =
        assertThrows(InvalidOptionException.class, () -> TrainModel.run(options("--input=" + singleClass, "--model=" + temp.resolve("m")), spark));
    assertTrue(single.getMessage().matches("--input=" + singleClass
        + ": the training set has a single class \\(all \\d+ rows are labeled 1\\); a classifier needs rows of both labels"), single.getMessage());
    InvalidOptionException notPrepared =
        assertThrows(InvalidOptionException.class, () -> TrainModel.run(options("--input=" + temp, "--model=" + temp.resolve("m")), spark));
    assertEquals("--input=" + temp + ": not a prepared folder: no Parquet files in " + temp + "/train/ (run iotbench prepare first)", notPrepared.getMessage());
    assertTrue(!Files.exists(temp.resolve("m")));
  }

  @Test
  void unknownAlgorithmsParametersAndGridEntriesAreOneErrorLineBeforeSparkStarts() throws Exception {
    String[][] cases = {
      {"--algorithm=svm"},
      {"--algorithm=random-forest", "--grid=numTree=15,20"},
      {"--algorithm=random-forest", "--grid=numTrees=15,x"},
      {"--grid=maxDepth=3"},
      {"--numTrees=5"},
      {"--algorithm=random-forest", "--maxDepth=31"},
      {"--algorithm=random-forest", "--grid=numTrees=2", "--grid=numTrees=3"},
      {"--sparkConf=novalue"},
    };
    ConsoleCapture console = new ConsoleCapture();
    for (String[] extra : cases) {
      List<String> args = new ArrayList<>(List.of("--input=" + prepared, "--model=" + temp.resolve("m")));
      args.addAll(List.of(extra));
      int code =
          console.capture(
              () -> Cli.execute("train", args.toArray(new String[0]), TrainModel.Options.class,
                  o -> TrainModel.validate(o) == null ? 1 : 0));
      assertEquals(Cli.EXIT_USAGE, code, String.join(" ", extra));
    }
    assertEquals(
        List.of(
            "iotbench train: error: --algorithm=svm: unknown algorithm, expected one of logistic-regression, random-forest, gradient-boosted-trees",
            "iotbench train: error: --grid numTree=15,20: unknown grid parameter for random-forest, expected one of numTrees, maxDepth",
            "iotbench train: error: --grid numTrees=15,x: 'x' is not an integer",
            "iotbench train: error: --grid maxDepth=3: unknown grid parameter for logistic-regression, expected one of maxIter, regParam, elasticNetParam",
            "iotbench train: error: --numTrees=5: does not apply to logistic-regression (its parameters: maxIter, regParam, elasticNetParam)",
            "iotbench train: error: --maxDepth=31: maxDepth must be an integer within 0..30, not 31",
            "iotbench train: error: --grid numTrees=3: numTrees is given twice",
            "iotbench train: error: --sparkConf=novalue: expected key=value"),
        console.errLines());
  }

  @Test
  void mllibsValidatorsJudgeParameterValues() throws Exception {
    String[][] cases = {
      {"--algorithm=random-forest", "--numTrees=0"},
      {"--algorithm=gradient-boosted-trees", "--grid=stepSize=0.5,0"},
    };
    ConsoleCapture console = new ConsoleCapture();
    for (String[] extra : cases) {
      List<String> args = new ArrayList<>(List.of("--input=" + prepared, "--model=" + temp.resolve("m")));
      args.addAll(List.of(extra));
      int code =
          console.capture(
              () -> Cli.execute("train", args.toArray(new String[0]), TrainModel.Options.class, o -> TrainModel.validate(o) == null ? 1 : 0));
      assertEquals(Cli.EXIT_USAGE, code, String.join(" ", extra));
    }
    List<String> err = console.errLines();
    assertEquals("iotbench train: error: --numTrees=0: numTrees must be an integer >= 1, not 0", err.get(0));
    assertTrue(err.get(1).startsWith("iotbench train: error: --grid stepSize=0.5,0: stepSize must be a number as MLlib describes it (Step size"), err.get(1));
    assertTrue(err.get(1).endsWith("), not 0.0"), err.get(1));
    assertEquals(2, err.size());
  }

  @Test
  void theGridIsARepeatedOptionAndTheMasterDefaultsToLocal2() {
    TrainModel.Options options = options("--input=a", "--model=b", "--algorithm=random-forest", "--grid=numTrees=15,20,25", "--grid=maxDepth=20,25");
    assertEquals("local[2]", TrainModel.sparkMaster(options));
    assertEquals("spark://h:7077", TrainModel.sparkMaster(options("--input=a", "--model=b", "--sparkMaster=spark://h:7077")));
    List<Map<String, Number>> combinations = TrainModel.validate(options).combinations();
    assertEquals(6, combinations.size());
    assertEquals(Map.of("numTrees", 15, "maxDepth", 20), combinations.get(0));
    assertEquals(Map.of("numTrees", 15, "maxDepth", 25), combinations.get(1));
    assertEquals(Map.of("numTrees", 25, "maxDepth", 25), combinations.get(5));
  }

  @Test
  void aSaveThatFailsAfterMllibWroteLeavesThePreviousModelLoadableAndNoPartialFolder() throws Exception {
    Path model = temp.resolve("runs/model");
    TrainModel.run(options("--input=" + prepared, "--model=" + model), spark);
    Map<String, String> before = OutputTrees.snapshot(model);
    assertTrue(before.containsKey(AtomicOutput.MARKER) && before.containsKey("mllib/metadata/part-00000"), before.toString());

    // MLlib's folder and model.json are written, then roc.png fails.
    spark.sparkContext().hadoopConfiguration().set("fs." + FailingFileSystem.SCHEME + ".impl", FailingHadoopFileSystem.class.getName());
    FailingFileSystem.failWrites(path -> path.endsWith("/" + ModelFolder.ROC), 10);
    try {
      assertThrows(java.io.IOException.class, () -> TrainModel.run(
          options("--input=" + prepared, "--model=" + FailingFileSystem.uri(model), "--maxIter=3"), spark));
      assertEquals(1, FailingFileSystem.failures());
    } finally {
      FailingFileSystem.reset();
    }
    assertEquals(before, OutputTrees.snapshot(model), "the previous model is untouched");
    assertEquals(List.of("model"), OutputTrees.names(temp.resolve("runs")), "no temporary sibling is left");
    assertEquals(8, ModelFolder.loadPortable(model.toString()).numFeatures());
    assertEquals(8, LogisticRegressionModel.load(model.resolve("mllib").toString()).numFeatures());

    // Without its marker the model folder is refused; its model.json named as a file is read.
    Files.delete(model.resolve(AtomicOutput.MARKER));
    InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> ModelFolder.loadPortable(model.toString()));
    assertEquals("--model=" + model + ": not a complete output (no _SUCCESS in " + model + "/): the run that wrote it failed "
        + "or has not finished; to read files without the marker, name the files", e.getMessage());
    assertEquals(8, ModelFolder.loadPortable(model.resolve("model.json").toString()).numFeatures());
  }

  @Test
  void aPreparedFolderWithoutItsMarkerIsRefusedBeforeAnyFit() throws Exception {
    Path copy = temp.resolve("prepared");
    try (java.util.stream.Stream<Path> walk = Files.walk(prepared)) {
      for (Path p : walk.toList()) {
        Path target = copy.resolve(prepared.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().equals(AtomicOutput.MARKER)) {
          Files.copy(p, target);
        }
      }
    }
    InvalidOptionException e = assertThrows(InvalidOptionException.class,
        () -> TrainModel.run(options("--input=" + copy, "--model=" + temp.resolve("m")), spark));
    assertEquals("--input=" + copy + ": not a complete output (no _SUCCESS in " + copy + "/): the run that wrote it failed "
        + "or has not finished; to read files without the marker, name the files", e.getMessage());
    assertTrue(!Files.exists(temp.resolve("m")));
  }
}
