package io.iotbench.runners.bench;

import io.iotbench.model.support.CpuTime;
import io.iotbench.model.support.Folders;
import io.iotbench.model.support.Stats;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.generate.GenerateTrainingData;
import io.iotbench.pipelines.prepare.InputFiles;
import io.iotbench.pipelines.prepare.PrepareTrainingSet;
import io.iotbench.pipelines.prepare.SplitTrainTest;
import io.iotbench.pipelines.train.TrainModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.classification.LogisticRegressionModel;
import org.apache.spark.mllib.classification.LogisticRegressionWithLBFGS;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.regression.LabeledPoint;
import org.apache.spark.sql.SparkSession;
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
public final class TrainBenchmark {
  /** Options of the benchmark. */
  public interface Options extends PipelineOptions {
    // No @Default on --rows and --input (Cli's option naming rule); BenchArgs supplies the benchmark's values.
    @Description("Rows to generate (default 1000000). Ignored with --input.")
    Long getRows();

    void setRows(Long rows);

    @Description("Sensors per generated row.")
    @Default.Integer(100)
    int getSensors();

    void setSensors(int sensors);

    @Description("Partitions (files) of the generated data.")
    @Default.Integer(4)
    int getPartitions();

    void setPartitions(int partitions);

    @Description("Existing training CSV (file, glob or folder of part files) to use instead of generating rows.")
    String getInput();

    void setInput(String input);

    @Description("Scratch folder for the generated, prepared and model data (default: a new temporary folder).")
    String getWork();

    void setWork(String work);

    @Description("Keep the scratch folder afterwards.")
    @Default.Boolean(false)
    boolean getKeep();

    void setKeep(boolean keep);

    @Description("Spark master of every step (default local[2], added by the benchmark).")
    @Default.String("local[4]")
    String getSparkMaster();

    void setSparkMaster(String sparkMaster);

    @Description("Share of the rows held out to compute both AUROCs.")
    @Default.Double(0.3)
    double getTestFraction();

    void setTestFraction(double testFraction);

    @Description("Seed of the generated data and of the split.")
    @Default.Long(42)
    long getSeed();

    void setSeed(long seed);

    @Description("Timed repetitions of both fits (prepare runs once); the report gives medians.")
    @Default.Integer(1)
    int getRepeats();

    void setRepeats(int repeats);

    @Description(
        "Also time the original way with an intercept (LogisticRegressionWithLBFGS.setIntercept(true)), the model our "
            + "MLlib defaults fit; the original fits none.")
    @Default.Boolean(false)
    boolean getWithIntercept();

    void setWithIntercept(boolean withIntercept);
  }

  private TrainBenchmark() {}

  public static void main(String[] args) {
    Cli.main("bench-train", BenchArgs.withDefaults(args, "--rows=1000000", "--sparkMaster=local[2]"), Options.class, TrainBenchmark::run);
  }

  static int run(Options options) throws Exception {
    InvalidOptionException.check(options.getRows() != null && options.getRows() > 0, "rows", options.getRows(), "must be a positive number of rows");
    InvalidOptionException.check(
        options.getTestFraction() > 0 && options.getTestFraction() < 1, "testFraction", options.getTestFraction(), "must be within (0, 1)");
    Path work = options.getWork() == null ? Files.createTempDirectory("iotbench-bench-train") : Path.of(options.getWork());
    Files.createDirectories(work);
    String master = options.getSparkMaster();
    String[] sparkRunner = {"--runner=SparkRunner", "--sparkMaster=" + master};
    try {
      String input = options.getInput();
      if (input == null) {
        input = work.resolve("training").toString();
        ConsoleReport.line("bench-train: generating the data (not timed)");
        GenerateTrainingData.run(
            Cli.parse(
                args(sparkRunner, "--rows=" + options.getRows(), "--sensors=" + options.getSensors(),
                    "--partitions=" + options.getPartitions(), "--seed=" + options.getSeed(), "--output=" + input),
                GenerateTrainingData.Options.class));
      }
      String prepared = work.resolve("prepared").toString();

      ConsoleReport.line("bench-train: prepare (timed)");
      long start = System.nanoTime();
      PrepareTrainingSet.run(
          Cli.parse(
              PrepareTrainingSet.commandLine(
                  args(sparkRunner, "--input=" + input, "--output=" + prepared,
                      "--testFraction=" + options.getTestFraction(), "--seed=" + options.getSeed())),
              PrepareTrainingSet.Options.class));
      double prepareSeconds = (System.nanoTime() - start) / 1e9;

      // One Spark session for both fits, started before either is timed.
      SparkSession spark = SparkSession.builder().appName("iotbench bench-train").master(master).getOrCreate();
      try {
        String pattern = InputFiles.resolve(input);
        int repeats = Math.max(1, options.getRepeats());
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
                      TrainModel.commandLine(new String[] {"--input=" + prepared, "--model=" + work.resolve("model"), "--sparkMaster=" + master}),
                      TrainModel.Options.class),
                  spark);
          fitWall[r] = ours.best().fitSeconds();
          fitCpu[r] = ours.best().fitCpuSeconds();
          ConsoleReport.line("bench-train: train, the original way (fit timed), run " + (r + 1) + "/" + repeats);
          original = fitTheOriginalWay(spark, pattern, options.getSeed(), options.getTestFraction(), false);
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
        if (options.getWithIntercept()) {
          ConsoleReport.line("bench-train: train, the original way with an intercept (fit timed)");
          Original intercept = fitTheOriginalWay(spark, pattern, options.getSeed(), options.getTestFraction(), true);
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
      if (!options.getKeep()) {
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
    JavaRDD<LabeledPoint> training = lines.filter(l -> !SplitTrainTest.isTest(l, seed, testFraction)).map(TrainBenchmark::toLabeledPoint);
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
        lines.filter(l -> SplitTrainTest.isTest(l, seed, testFraction))
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
