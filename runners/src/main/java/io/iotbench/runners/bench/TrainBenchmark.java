package io.iotbench.runners.bench;

import static io.iotbench.simulator.cli.Commands.VALUE;

import io.iotbench.model.support.Stats;
import io.iotbench.model.support.Folders;
import io.iotbench.model.support.CpuTime;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.generate.GenerateTrainingData;
import io.iotbench.pipelines.prepare.InputFiles;
import io.iotbench.pipelines.prepare.PrepareTrainingSet;
import io.iotbench.pipelines.prepare.SplitTrainingAndTestRows;
import io.iotbench.pipelines.train.TrainModel;
import io.iotbench.simulator.cli.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.classification.LogisticRegressionModel;
import org.apache.spark.mllib.classification.LogisticRegressionWithLBFGS;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.regression.LabeledPoint;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scala.Tuple2;

/**
 * {@code iotbench bench-train}: times our training path against the original benchmark's, on the same data and
 * Spark. By default it generates 1,000,000 rows &times; 100 sensors (not timed), then times {@code prepare}
 * (CSV &rarr; validated, split Parquet; SparkRunner {@code local[2]}) and our fit (MLlib logistic regression with
 * its defaults on the Parquet training set) separately, and in the same Spark session the original way: the CSV
 * read as text, each line split into a {@code LabeledPoint}, {@code LogisticRegressionWithLBFGS} on the
 * un-cached RDD. Both models are trained on the same rows (the original way keeps the lines the split hash puts
 * in the training set) and scored on the same test rows. Fit times are wall times and, because another process can
 * load the machine, also the CPU time this JVM spent (local mode runs the executors in this JVM). Ends with
 * {@code RESULT prepare_s=... fit_s=... original_fit_s=... auroc=... original_auroc=...}.
 */
@Command(
    name = "bench-train",
    synopsisHeading = "",
    customSynopsis = "usage: iotbench bench-train [--option=value ...]",
    description = "Times prepare and the fit of train against the original benchmark's way of training, on the same data.",
    optionListHeading = Commands.OPTION_LIST_HEADING,
    sortOptions = false)
public final class TrainBenchmark implements Callable<Integer> {
  @Mixin Commands.HelpOption help;

  @Option(names = "--rows", paramLabel = VALUE, defaultValue = "1000000", description = "rows to generate; ignored with --input [${DEFAULT-VALUE}]")
  long rows;

  @Option(names = "--sensors", paramLabel = VALUE, defaultValue = "100", description = "sensors per generated row [${DEFAULT-VALUE}]")
  int sensors;

  @Option(names = "--partitions", paramLabel = VALUE, defaultValue = "4", description = "partitions (files) of the generated data [${DEFAULT-VALUE}]")
  int partitions;

  @Option(names = "--input", paramLabel = VALUE,
      description = "existing training CSV (file, glob or folder of part files) to use instead of generating rows [none]")
  String input;

  @Option(names = "--work", paramLabel = VALUE,
      description = "scratch folder for the generated, prepared and model data [a new temporary folder]")
  String work;

  @Option(names = "--keep", paramLabel = "true|false", arity = "0..1", defaultValue = "false", fallbackValue = "true",
      description = "keep the scratch folder afterwards [${DEFAULT-VALUE}]")
  boolean keep;

  @Option(names = "--sparkMaster", paramLabel = VALUE, defaultValue = "local[2]", description = "Spark master of every step [${DEFAULT-VALUE}]")
  String sparkMaster;

  @Option(names = "--testFraction", paramLabel = VALUE, defaultValue = "0.3",
      description = "share of the rows held out to compute both AUROCs [${DEFAULT-VALUE}]")
  double testFraction;

  @Option(names = "--seed", paramLabel = VALUE, defaultValue = "42", description = "seed of the generated data and of the split [${DEFAULT-VALUE}]")
  long seed;

  @Option(names = "--repeats", paramLabel = VALUE, defaultValue = "1",
      description = "timed repetitions of both fits (prepare runs once); the report gives medians [${DEFAULT-VALUE}]")
  int repeats;

  @Option(names = "--withIntercept", paramLabel = "true|false", arity = "0..1", defaultValue = "false", fallbackValue = "true",
      description = "also time the original way with an intercept (LogisticRegressionWithLBFGS.setIntercept(true)), the model our "
          + "MLlib defaults fit; the original fits none [${DEFAULT-VALUE}]")
  boolean withIntercept;

  TrainBenchmark() {}

  public static void main(String[] args) {
    System.exit(Commands.execute(new TrainBenchmark(), args, System.out, System.err, InvalidOptionException.class));
  }

  @Override
  public Integer call() throws Exception {
    InvalidOptionException.check(rows > 0, "rows", rows, "must be a positive number of rows");
    InvalidOptionException.check(testFraction > 0 && testFraction < 1, "testFraction", testFraction, "must be within (0, 1)");
    Path work = this.work == null ? Files.createTempDirectory("iotbench-bench-train") : Path.of(this.work);
    Files.createDirectories(work);
    String master = sparkMaster;
    String[] sparkRunner = {"--runner=SparkRunner", "--sparkMaster=" + master};
    try {
      String input = this.input;
      if (input == null) {
        input = work.resolve("training").toString();
        ConsoleReport.line("bench-train: generating the data (not timed)");
        GenerateTrainingData.run(
            Cli.parse(
                args(sparkRunner, "--rows=" + rows, "--sensors=" + sensors,
                    "--partitions=" + partitions, "--seed=" + seed, "--output=" + input),
                GenerateTrainingData.Options.class));
      }

      String prepared = work.resolve("prepared").toString();

      ConsoleReport.line("bench-train: prepare (timed)");
      long start = System.nanoTime();
      PrepareTrainingSet.run(
          Cli.parse(
              args(sparkRunner, "--input=" + input, "--output=" + prepared,
                  "--testFraction=" + testFraction, "--seed=" + seed),
              PrepareTrainingSet.Options.class));
      double prepareSeconds = (System.nanoTime() - start) / 1e9;

      // One Spark session for both fits, started before either is timed.
      SparkSession spark = SparkSession.builder().appName("iotbench bench-train").master(master).getOrCreate();
      try {
        String pattern = InputFiles.resolve(input);
        int repeats = Math.max(1, this.repeats);
        double[] fitWall = new double[repeats];
        double[] fitCpu = new double[repeats];
        double[] originalWall = new double[repeats];
        double[] originalCpu = new double[repeats];
        TrainModel.Outcome ours = null;
        Original original = null;
        for (int r = 0; r < repeats; r++) {
          ConsoleReport.line("bench-train: train, our way (fit timed), run " + (r + 1) + "/" + repeats);
          ours =
              TrainModel.run(
                  Cli.parse(
                      new String[] {"--input=" + prepared, "--model=" + work.resolve("model"), "--sparkMaster=" + master},
                      TrainModel.Options.class),
                  spark);
          fitWall[r] = ours.best().fitSeconds();
          fitCpu[r] = ours.best().fitCpuSeconds();
          ConsoleReport.line("bench-train: train, the original way (fit timed), run " + (r + 1) + "/" + repeats);
          original = fitTheOriginalWay(spark, pattern, seed, testFraction, false);
          originalWall[r] = original.fitSeconds();
          originalCpu[r] = original.fitCpuSeconds();
          ConsoleReport.line(
              String.format(
                  Locale.ROOT,
                  "run %d: fit %.2f s wall, %.2f s CPU; original %.2f s wall, %.2f s CPU",
                  r + 1, fitWall[r], fitCpu[r], originalWall[r], originalCpu[r]));
        }
        double fitSeconds = Stats.median(fitWall);
        double originalSeconds = Stats.median(originalWall);
        double auroc = ours.best().metrics().auroc();
        ConsoleReport.line(
            String.format(
                Locale.ROOT,
                "bench-train: %d training rows, %d test rows; prepare %.2f s; median fit %.2f s wall / %.2f s CPU (AUROC %.6f) "
                    + "vs the original way %.2f s wall / %.2f s CPU (AUROC %.6f): %.2fx by wall time, %.2fx by CPU time",
                ours.trainRows(), ours.testRows(), prepareSeconds, fitSeconds, Stats.median(fitCpu), auroc,
                originalSeconds, Stats.median(originalCpu), original.auroc(),
                originalSeconds / fitSeconds, Stats.median(originalCpu) / Stats.median(fitCpu)));
        if (withIntercept) {
          ConsoleReport.line("bench-train: train, the original way with an intercept (fit timed)");
          Original intercept = fitTheOriginalWay(spark, pattern, seed, testFraction, true);
          ConsoleReport.line(
              String.format(
                  Locale.ROOT,
                  "bench-train: the original way with an intercept: %.2f s wall / %.2f s CPU, AUROC %.6f",
                  intercept.fitSeconds(), intercept.fitCpuSeconds(), intercept.auroc()));
        }
        ConsoleReport.line(
            String.format(
                Locale.ROOT,
                "RESULT prepare_s=%.2f fit_s=%.2f original_fit_s=%.2f auroc=%.6f original_auroc=%.6f",
                prepareSeconds, fitSeconds, originalSeconds, auroc, original.auroc()));
      } finally {
        spark.stop();
      }
      return 0;
    } finally {
      if (!keep) {
        Folders.deleteRecursively(work);
      }
    }
  }

  /** The original way's fit time (wall and this JVM's CPU) and its AUROC on the same test rows. */
  record Original(double fitSeconds, double fitCpuSeconds, double auroc) {}

  /**
   * The original benchmark's training: text lines split into labeled points, {@code LogisticRegressionWithLBFGS}
   * with its defaults on the un-cached RDD. Only the lines our split puts in the training set are used, so both
   * fits see the same rows; the held-out lines are scored to compute its AUROC.
   */
  static Original fitTheOriginalWay(SparkSession spark, String pattern, long seed, double testFraction, boolean intercept) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<String> lines = sc.textFile(pattern);
    JavaRDD<LabeledPoint> training = lines.filter(l -> !SplitTrainingAndTestRows.isTest(l, seed, testFraction)).map(TrainBenchmark::toLabeledPoint);
    long start = System.nanoTime();
    long cpuStart = CpuTime.processNanos();
    // As the original: no intercept (LogisticRegressionWithLBFGS's default), the other defaults too.
    LogisticRegressionWithLBFGS lbfgs = new LogisticRegressionWithLBFGS();
    lbfgs.setIntercept(intercept);
    LogisticRegressionModel model = lbfgs.run(training.rdd());
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = (CpuTime.processNanos() - cpuStart) / 1e9;
    // Probabilities instead of 0/1 predictions, as AUROC needs scores.
    model.clearThreshold();
    JavaRDD<Tuple2<Object, Object>> scoreAndLabels =
        lines.filter(l -> SplitTrainingAndTestRows.isTest(l, seed, testFraction))
            .map(TrainBenchmark::toLabeledPoint)
            .map(p -> new Tuple2<Object, Object>(model.predict(p.features()), p.label()));
    BinaryClassificationMetrics metrics = new BinaryClassificationMetrics(scoreAndLabels.rdd(), 0);
    double auroc = metrics.areaUnderROC();
    metrics.unpersist();
    return new Original(seconds, cpuSeconds, auroc);
  }

  /** The original's parsing: split at commas, the first value is the label, the rest the features. */
  static LabeledPoint toLabeledPoint(String line) {
    String[] parts = line.split(",");
    double[] values = new double[parts.length - 1];
    for (int i = 1; i < parts.length; i++) {
      values[i - 1] = Double.parseDouble(parts[i]);
    }
    return new LabeledPoint(Double.parseDouble(parts[0]), Vectors.dense(values));
  }

  private static String[] args(String[] first, String... more) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }
}
