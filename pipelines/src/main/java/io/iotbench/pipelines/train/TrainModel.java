package io.iotbench.pipelines.train;

import io.iotbench.model.scoring.Algorithm;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.common.SeedOptions;
import io.iotbench.pipelines.common.storage.HadoopStorage;
import io.iotbench.pipelines.common.storage.StorageCheck;
import io.iotbench.pipelines.evaluate.BinaryMetrics;
import io.iotbench.pipelines.generate.TrainingFiles;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.SparkSession;

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
 * --grid=numTrees=15,20,25 --grid=maxDepth=20,25 --sparkMaster=local[2]
 * }</pre>
 */
public final class TrainModel {
  /** The Spark master when {@code --sparkMaster} is not given. */
  public static final String DEFAULT_SPARK_MASTER = "local[2]";

  /** Options of {@code iotbench train}. */
  public interface Options extends SeedOptions {
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
    // declared; train applies its own default when the option is not given (sparkMaster).
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

    @Description(
        "A parameter to vary, name=v1,v2,...; repeat for several (--grid=numTrees=15,20,25 --grid=maxDepth=20,25 "
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

  /**
   * The validated plan of a command.
   *
   * @param algorithm the algorithm
   * @param estimator its MLlib estimator, with the seed set
   * @param runs the parameters of every run, in training order
   */
  public record Plan(Algorithm algorithm, ProbabilisticClassifier<?, ?, ?> estimator, List<ParamMap> runs) {
    /** Every run's parameters by name, with MLlib's defaults for those not given. */
    public List<Map<String, Number>> combinations() {
      return runs.stream().map(run -> Hyperparameters.values(algorithm, estimator, run)).toList();
    }
  }

  private TrainModel() {}

  public static void main(String[] args) {
    Cli.main("train", args, Options.class, options -> {
      run(options);
      return 0;
    });
  }

  /**
   * Checks option values before Spark starts: a known algorithm, parameters that apply to it and are valid for
   * MLlib, a valid grid.
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
    Map<String, Number> given = new LinkedHashMap<>();
    given.put("maxIter", options.getMaxIter());
    given.put("regParam", options.getRegParam());
    given.put("elasticNetParam", options.getElasticNetParam());
    given.put("numTrees", options.getNumTrees());
    given.put("maxDepth", options.getMaxDepth());
    given.put("stepSize", options.getStepSize());
    ProbabilisticClassifier<?, ?, ?> estimator = Hyperparameters.estimator(algorithm, options.getSeed());
    return new Plan(algorithm, estimator, ParamGrid.runs(algorithm, estimator, given, options.getGrid()));
  }

  /**
   * {@code --sparkMaster}, or {@value #DEFAULT_SPARK_MASTER} when it is not given: the option's declared default
   * is the Beam Spark runner's ({@link Cli#given}).
   */
  static String sparkMaster(Options options) {
    if (!Cli.given(options, "sparkMaster")) {
      return DEFAULT_SPARK_MASTER;
    }
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

    TrainReport report = new TrainReport(plan.algorithm(), plan.runs().size());
    report.begin(model, input);
    TrainingSets sets = TrainingSets.read(spark, options.getInput(), input);
    report.start(sets, input, spark.version(), spark.sparkContext().master());
    GridSearch.Result search = GridSearch.run(plan, sets, report::run);
    ModelFolder.save(model, plan.algorithm(), search, provenance(options, spark, input, sets, search));
    report.end(search.best(), model);
    return new Outcome(plan.algorithm(), search.runs(), search.best(), sets.trainRows(), sets.testRows());
  }

  /** How the kept model was trained, stored in the portable model. */
  private static Map<String, Object> provenance(
      Options options, SparkSession spark, String input, TrainingSets sets, GridSearch.Result search) {
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("sparkVersion", spark.version());
    training.put("mllibClass", search.model().getClass().getName());
    training.put("mllibUid", search.model().uid());
    training.put("params", search.best().params());
    training.put("seed", options.getSeed());
    training.put("input", input);
    training.put("trainRows", sets.trainRows());
    training.put("testRows", sets.testRows());
    training.put("fitSeconds", search.best().fitSeconds());
    training.put("trainedAt", Instant.now().toString());
    return training;
  }
}
