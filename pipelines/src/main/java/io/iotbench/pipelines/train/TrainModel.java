package io.iotbench.pipelines.train;

import static org.apache.spark.sql.functions.col;

import io.iotbench.model.scoring.Algorithm;
import io.iotbench.model.scoring.PortableModel;
import io.iotbench.model.support.CpuTime;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.common.storage.HadoopStorage;
import io.iotbench.pipelines.common.storage.StorageCheck;
import io.iotbench.pipelines.evaluate.BinaryCurve;
import io.iotbench.pipelines.evaluate.BinaryMetrics;
import io.iotbench.pipelines.generate.TrainingFiles;
import io.iotbench.pipelines.prepare.PreparedSet;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Trains a binary classifier on a prepared folder with Spark MLlib (the original benchmark's {@code iottrain}):
 * logistic regression (MLlib's defaults, as the original), random forest or gradient-boosted trees, with fixed
 * seeds. Reads {@code train/} and {@code test/} (Parquet, so no text is parsed), fits on the training set,
 * evaluates on the test set (AUROC, area under PR, accuracy, confusion matrix) and saves in the model folder the
 * MLlib model in MLlib's own format, the portable model that the Beam pipelines score with without Spark, the
 * metrics, a ROC curve picture and a leaderboard ({@link ModelFolder}). With {@code --grid}, trains every
 * combination of the given values (the workshop's numTrees &times; maxDepth experiments) and keeps the model
 * with the best test AUROC. Ends with {@code RESULT auroc=... aupr=... accuracy=...}. On a cluster master
 * ({@code spark://...}, {@code yarn}) the executors need this project's classes: pass its jars with
 * {@code --sparkConf=spark.jars=...}.
 *
 * <pre>{@code
 * --input=/data/prepared --model=/data/model --algorithm=random-forest
 * --grid numTrees=15,20,25 --grid maxDepth=20,25 --sparkMaster=local[2]
 * }</pre>
 */
public final class TrainModel {
  private static final Logger LOG = LoggerFactory.getLogger(TrainModel.class);
  /** The Spark master when {@code --sparkMaster} is not given. */
  public static final String DEFAULT_SPARK_MASTER = "local[2]";
  /** The most ROC points drawn; a test set has one per distinct score. */
  private static final int ROC_CHART_POINTS = 2000;

  /** Options of {@code iotbench train}. */
  public interface Options extends PipelineOptions {
    // Required, as in every command that has it (Cli's option naming rule: its default would differ per command).
    @Description("Prepared folder to train on (the output of iotbench prepare: train/, test/).")
    @Validation.Required
    String getInput();

    void setInput(String input);

    @Description(
        "Model folder to write (any FileSystems location): mllib/ (MLlib's format), model.json (portable), "
            + "metrics.json, roc.png, leaderboard.csv/.md.")
    @Validation.Required
    String getModel();

    void setModel(String model);

    @Description("Algorithm: logistic-regression, random-forest or gradient-boosted-trees.")
    @Default.String("logistic-regression")
    String getAlgorithm();

    void setAlgorithm(String algorithm);

    // The same option as Beam's Spark runner's, which Beam requires to have the same default wherever it is
    // declared; the train command line adds --sparkMaster=local[2] when it is not given (commandLine).
    @Description(
        "Spark master URL: local[N], spark://host:port, yarn, ... The train command uses " + DEFAULT_SPARK_MASTER
            + " when it is not given (the declared default is the Beam Spark runner's, which shares this option).")
    @Default.String("local[4]")
    String getSparkMaster();

    void setSparkMaster(String sparkMaster);

    @Description("Extra Spark configuration, key=value; repeat the option for several (e.g. --sparkConf=spark.executor.memory=4g).")
    List<String> getSparkConf();

    void setSparkConf(List<String> sparkConf);

    @Description("Iterations: logistic-regression (MLlib default 100) and gradient-boosted-trees (default 20).")
    Integer getMaxIter();

    void setMaxIter(Integer maxIter);

    @Description("Regularization of logistic-regression (MLlib default 0).")
    Double getRegParam();

    void setRegParam(Double regParam);

    @Description("Elastic-net mixing of logistic-regression, 0 = L2 .. 1 = L1 (MLlib default 0).")
    Double getElasticNetParam();

    void setElasticNetParam(Double elasticNetParam);

    @Description("Trees of random-forest (MLlib default 20).")
    Integer getNumTrees();

    void setNumTrees(Integer numTrees);

    @Description("Maximum tree depth of random-forest and gradient-boosted-trees, 0..30 (MLlib default 5).")
    Integer getMaxDepth();

    void setMaxDepth(Integer maxDepth);

    @Description("Learning rate of gradient-boosted-trees, (0, 1] (MLlib default 0.1).")
    Double getStepSize();

    void setStepSize(Double stepSize);

    @Description("Seed of the randomized algorithms (random-forest, gradient-boosted-trees).")
    @Default.Long(42)
    long getSeed();

    void setSeed(long seed);

    @Description(
        "A parameter to vary, name=v1,v2,...; repeat for several (--grid numTrees=15,20,25 --grid maxDepth=20,25 "
            + "trains all 6 combinations and keeps the best by test AUROC).")
    List<String> getGrid();

    void setGrid(List<String> grid);
  }

  /**
   * One training run.
   *
   * @param number 1-based, in the order runs were trained
   * @param params every parameter of the algorithm with the value used
   * @param metrics on the test set
   * @param fitSeconds wall time of the fit (reading the training set included)
   * @param fitCpuSeconds CPU time this JVM spent during the fit: the fit's own cost in local mode, where the
   *     executors run in this JVM, whatever else loads the machine (meaningless on a cluster)
   */
  public record Run(int number, Map<String, Number> params, BinaryMetrics metrics, double fitSeconds, double fitCpuSeconds) {}

  /**
   * What a train command did.
   *
   * @param algorithm the algorithm
   * @param runs every run, in training order
   * @param best the run whose model was kept
   * @param trainRows rows in the training set
   * @param testRows rows in the test set
   */
  public record Outcome(Algorithm algorithm, List<Run> runs, Run best, long trainRows, long testRows) {}

  /** The validated plan of a command: the algorithm and the parameters of every run. */
  public record Plan(Algorithm algorithm, List<Map<String, Number>> combinations) {}

  private TrainModel() {}

  public static void main(String[] args) {
    Cli.main("train", commandLine(args), Options.class, options -> run(options).runs().isEmpty() ? 1 : 0);
  }

  /**
   * The command line as Beam parses it: the workshop's {@code --grid name=values} joined into {@code --grid=...},
   * and {@code --sparkMaster=local[2]} added when no master is given.
   */
  public static String[] commandLine(String[] args) {
    String[] joined = ParamGrid.joinSpacedGridArgs(args);
    for (String arg : joined) {
      if (arg.equals("--sparkMaster") || arg.startsWith("--sparkMaster=")) {
        return joined;
      }
    }
    String[] withMaster = java.util.Arrays.copyOf(joined, joined.length + 1);
    withMaster[joined.length] = "--sparkMaster=" + DEFAULT_SPARK_MASTER;
    return withMaster;
  }

  /**
   * Checks option values before Spark starts: a known algorithm, parameters that apply to it and are in range,
   * a valid grid.
   *
   * @throws InvalidOptionException naming the option
   */
  public static Plan validate(Options options) {
    InvalidOptionException.check(
        options.getInput() != null && !options.getInput().isBlank(), "input", options.getInput(), "must name a prepared folder");
    InvalidOptionException.check(
        options.getModel() != null && !options.getModel().isBlank(), "model", options.getModel(), "must name a folder");
    InvalidOptionException.check(
        !sparkMaster(options).isBlank(), "sparkMaster", options.getSparkMaster(), "must be a Spark master URL");
    Algorithm algorithm;
    try {
      algorithm = Algorithm.fromId(options.getAlgorithm());
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException("--algorithm=" + options.getAlgorithm() + ": " + e.getMessage());
    }
    sparkConf(options);
    Map<String, Number> base = new LinkedHashMap<>();
    given(base, ParamSpec.MAX_ITER, options.getMaxIter(), algorithm);
    given(base, ParamSpec.REG_PARAM, options.getRegParam(), algorithm);
    given(base, ParamSpec.ELASTIC_NET_PARAM, options.getElasticNetParam(), algorithm);
    given(base, ParamSpec.NUM_TREES, options.getNumTrees(), algorithm);
    given(base, ParamSpec.MAX_DEPTH, options.getMaxDepth(), algorithm);
    given(base, ParamSpec.STEP_SIZE, options.getStepSize(), algorithm);
    return new Plan(algorithm, ParamGrid.combinations(options.getGrid(), algorithm, base));
  }

  private static void given(Map<String, Number> params, ParamSpec spec, Number value, Algorithm algorithm) {
    if (value == null) {
      return;
    }
    InvalidOptionException.check(
        spec.appliesTo(algorithm),
        spec.id(),
        value,
        "does not apply to " + algorithm + " (its parameters: " + ParamSpec.names(algorithm) + ")");
    try {
      spec.check(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException("--" + spec.id() + "=" + value + ": " + e.getMessage());
    }
    params.put(spec.id(), value);
  }

  /** {@code --sparkMaster}. */
  static String sparkMaster(Options options) {
    return options.getSparkMaster() == null ? "" : options.getSparkMaster();
  }

  /** The {@code --sparkConf} entries as key and value. */
  static Map<String, String> sparkConf(Options options) {
    Map<String, String> conf = new LinkedHashMap<>();
    if (options.getSparkConf() != null) {
      for (String entry : options.getSparkConf()) {
        int eq = entry.indexOf('=');
        InvalidOptionException.check(eq > 0, "sparkConf", entry, "expected key=value");
        conf.put(entry.substring(0, eq).strip(), entry.substring(eq + 1));
      }
    }
    return conf;
  }

  /** Validates, starts Spark at {@code --sparkMaster}, trains, saves, and stops Spark. */
  public static Outcome run(Options options) throws IOException {
    validate(options);
    // Before Spark starts: a wrong location must fail in seconds with one line, not inside a Spark job.
    StorageCheck.checkExisting(options, "input", options.getInput());
    StorageCheck.checkOutputFolder(options, "model", options.getModel());
    SparkSession.Builder builder = SparkSession.builder().appName("iotbench train").master(sparkMaster(options));
    sparkConf(options).forEach(builder::config);
    SparkSession spark = builder.getOrCreate();
    try {
      return run(options, spark);
    } finally {
      spark.stop();
    }
  }

  /** Trains with an existing Spark session (tests and benchmarks share one); leaves it running. */
  public static Outcome run(Options options, SparkSession spark) throws IOException {
    Plan plan = validate(options);
    FileSystems.setDefaultPipelineOptions(options);
    HadoopStorage.configure(spark.sparkContext().hadoopConfiguration(), options);
    String input = TrainingFiles.normalize(options.getInput());
    String model = TrainingFiles.normalize(options.getModel());
    requireSet(options.getInput(), input, PreparedSet.TRAIN);
    requireSet(options.getInput(), input, PreparedSet.TEST);

    Dataset<Row> train = load(spark, input, PreparedSet.TRAIN);
    Dataset<Row> test = load(spark, input, PreparedSet.TEST);
    long[] labels = labelCounts(train);
    long trainRows = labels[0] + labels[1];
    String trainFolder = PreparedSet.folder(input, PreparedSet.TRAIN);
    InvalidOptionException.check(
        trainRows > 0, "input", options.getInput(), "the training set is empty (no rows in " + trainFolder + ")");
    InvalidOptionException.check(
        labels[0] > 0 && labels[1] > 0,
        "input",
        options.getInput(),
        String.format(
            Locale.ROOT,
            "the training set has a single class (all %d rows are labeled %d); a classifier needs rows of both labels",
            trainRows,
            labels[0] > 0 ? 0 : 1));
    long testRows = test.count();
    InvalidOptionException.check(
        testRows > 0, "input", options.getInput(), "the test set is empty; prepare it with --testFraction above 0");

    ConsoleReport.line(
        String.format(
            Locale.ROOT,
            "Training %s on %d rows (%d labeled 1), testing on %d rows, from %s with Spark %s at %s%s",
            plan.algorithm(),
            trainRows,
            labels[1],
            testRows,
            input,
            spark.version(),
            spark.sparkContext().master(),
            plan.combinations().size() > 1 ? ", " + plan.combinations().size() + " runs" : ""));

    boolean several = plan.combinations().size() > 1;
    if (several) {
      // Each run reads both sets again; keep them in memory instead of re-reading Parquet.
      train.persist(StorageLevel.MEMORY_AND_DISK());
      test.persist(StorageLevel.MEMORY_AND_DISK());
    }
    List<Run> runs = new ArrayList<>();
    Run best = null;
    ProbabilisticClassificationModel<?, ?> bestModel = null;
    List<double[]> bestRoc = null;
    try {
      for (Map<String, Number> params : plan.combinations()) {
        ProbabilisticClassifier<?, ?, ?> estimator = MllibEstimators.create(plan.algorithm(), params, options.getSeed());
        long start = System.nanoTime();
        long cpuStart = CpuTime.processNanos();
        ProbabilisticClassificationModel<?, ?> fitted = estimator.fit(train);
        double fitSeconds = (System.nanoTime() - start) / 1e9;
        double fitCpuSeconds = (CpuTime.processNanos() - cpuStart) / 1e9;
        Evaluation evaluation = evaluate(fitted, test);
        Run run =
            new Run(
                runs.size() + 1,
                MllibEstimators.effectiveParams(plan.algorithm(), estimator),
                evaluation.metrics(),
                fitSeconds,
                fitCpuSeconds);
        runs.add(run);
        ConsoleReport.line(
            String.format(
                Locale.ROOT,
                "run %d/%d %s: AUROC %.6f, AUPR %.6f, accuracy %.6f, fit %.2f s",
                run.number(),
                plan.combinations().size(),
                describe(run.params()),
                run.metrics().auroc(),
                run.metrics().aupr(),
                run.metrics().accuracy(),
                fitSeconds));
        if (best == null || run.metrics().auroc() > best.metrics().auroc()) {
          best = run;
          bestModel = fitted;
          bestRoc = evaluation.roc();
        }
      }
    } finally {
      if (several) {
        train.unpersist();
        test.unpersist();
      }
    }

    Map<String, Object> training = new LinkedHashMap<>();
    training.put("sparkVersion", spark.version());
    training.put("mllibClass", bestModel.getClass().getName());
    training.put("mllibUid", bestModel.uid());
    training.put("params", best.params());
    training.put("seed", options.getSeed());
    training.put("input", input);
    training.put("trainRows", trainRows);
    training.put("testRows", testRows);
    training.put("fitSeconds", best.fitSeconds());
    training.put("trainedAt", Instant.now().toString());
    save(model, plan.algorithm(), bestModel, training, best, bestRoc, new Leaderboard(runs));

    BinaryMetrics m = best.metrics();
    if (several) {
      ConsoleReport.line("Best: run " + best.number() + " " + describe(best.params()));
    }
    ConsoleReport.line(
        String.format(
            Locale.ROOT,
            "Confusion matrix on the test set: actual 0 -> predicted 0: %d, 1: %d; actual 1 -> predicted 0: %d, 1: %d",
            m.trueNegatives(),
            m.falsePositives(),
            m.falseNegatives(),
            m.truePositives()));
    ConsoleReport.line(
        "Saved " + plan.algorithm() + " model to " + model + " (MLlib format in " + ModelFolder.mllibPath(model)
            + ", portable " + PortableModel.FILE_NAME + ", " + ModelFolder.METRICS + ", " + ModelFolder.ROC + ", "
            + ModelFolder.LEADERBOARD_CSV + ")");
    ConsoleReport.line(String.format(Locale.ROOT, "RESULT auroc=%.6f aupr=%.6f accuracy=%.6f", m.auroc(), m.aupr(), m.accuracy()));
    return new Outcome(plan.algorithm(), List.copyOf(runs), best, trainRows, testRows);
  }

  private static void requireSet(String option, String input, String set) throws IOException {
    if (PreparedSet.match(PreparedSet.parquetGlob(input, set)).isEmpty()) {
      throw new InvalidOptionException(
          "--input=" + option + ": not a prepared folder: no Parquet files in " + PreparedSet.folder(input, set)
              + " (run iotbench prepare first)");
    }
  }

  /** A prepared set as MLlib wants it: label (double) and features (vector). */
  static Dataset<Row> load(SparkSession spark, String input, String set) {
    return spark
        .read()
        .parquet(HadoopStorage.hadoopPath(PreparedSet.folder(input, set)))
        .select(col("label"), functions.array_to_vector(col("features")).alias("features"));
  }

  /** Rows labeled 0 and labeled 1; reads the label column only. */
  private static long[] labelCounts(Dataset<Row> set) {
    long[] counts = new long[2];
    for (Row row : set.groupBy("label").count().collectAsList()) {
      counts[row.getDouble(0) == 1.0 ? 1 : 0] += row.getLong(1);
    }
    return counts;
  }

  /** Test-set metrics of one model and its ROC points (thinned for drawing). */
  record Evaluation(BinaryMetrics metrics, List<double[]> roc) {}

  static Evaluation evaluate(ProbabilisticClassificationModel<?, ?> model, Dataset<Row> test) {
    Dataset<Row> predictions =
        model
            .transform(test)
            .select(
                functions.vector_to_array(col("probability"), "float64").getItem(1).alias("probability"),
                col("label"),
                col("prediction"))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      JavaRDD<Tuple2<Object, Object>> scoreAndLabels =
          predictions.toJavaRDD().map(row -> new Tuple2<Object, Object>(row.getDouble(0), row.getDouble(1)));
      // numBins 0: exact areas, one curve point per distinct score, as evaluate computes them too.
      BinaryClassificationMetrics curves = new BinaryClassificationMetrics(scoreAndLabels.rdd(), 0);
      double auroc = curves.areaUnderROC();
      double aupr = curves.areaUnderPR();
      List<Tuple2<Object, Object>> roc = curves.roc().toJavaRDD().collect();
      curves.unpersist();
      double[] fpr = new double[roc.size()];
      double[] tpr = new double[roc.size()];
      for (int i = 0; i < roc.size(); i++) {
        fpr[i] = (Double) roc.get(i)._1();
        tpr[i] = (Double) roc.get(i)._2();
      }
      long[][] confusion = new long[2][2];
      long rows = 0;
      for (Row row : predictions.groupBy("label", "prediction").count().collectAsList()) {
        confusion[row.getDouble(0) == 1.0 ? 1 : 0][row.getDouble(1) == 1.0 ? 1 : 0] += row.getLong(2);
        rows += row.getLong(2);
      }
      BinaryMetrics metrics =
          new BinaryMetrics(rows, auroc, aupr, confusion[1][1], confusion[0][1], confusion[0][0], confusion[1][0]);
      return new Evaluation(metrics, BinaryCurve.thin(fpr, tpr, ROC_CHART_POINTS));
    } finally {
      predictions.unpersist();
    }
  }

  private static void save(
      String model,
      Algorithm algorithm,
      ProbabilisticClassificationModel<?, ?> fitted,
      Map<String, Object> training,
      Run best,
      List<double[]> roc,
      Leaderboard leaderboard)
      throws IOException {
    // Convert before writing anything, so a model the portable format cannot hold leaves no half-written folder.
    PortableModel portable = PortableExport.of(fitted, training);
    ModelFolder.clear(model);
    ((MLWritable) fitted).write().overwrite().save(HadoopStorage.hadoopPath(ModelFolder.mllibPath(model)));
    try (OutputStream out = ModelFolder.create(model, PortableModel.FILE_NAME, "application/json")) {
      portable.write(out);
    }
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("algorithm", algorithm.id());
    header.put("params", best.params());
    header.put("set", "test");
    header.put("trainRows", training.get("trainRows"));
    header.put("fitSeconds", best.fitSeconds());
    ModelFolder.writeJson(model, ModelFolder.METRICS, best.metrics().toJsonMap(header));
    try (OutputStream out = ModelFolder.create(model, ModelFolder.ROC, "image/png")) {
      RocChart.writePng(out, roc, algorithm + " " + describe(best.params()) + " on the test set", best.metrics().auroc());
    }
    ModelFolder.writeText(model, ModelFolder.LEADERBOARD_CSV, leaderboard.csv());
    ModelFolder.writeText(model, ModelFolder.LEADERBOARD_MD, leaderboard.markdown("Leaderboard: " + algorithm + " by test AUROC"));
    LOG.info("Saved {} model to {}", algorithm, model);
  }

  static String describe(Map<String, Number> params) {
    StringBuilder sb = new StringBuilder();
    params.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return sb.toString();
  }
}
