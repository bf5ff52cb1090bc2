package io.iotbench.it.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotbench.model.EventCsvCodec;
import io.iotbench.model.SensorEvent;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.storage.HadoopStorage;
import io.iotbench.pipelines.evaluate.EvaluateModel;
import io.iotbench.pipelines.generate.GenerateTrainingData;
import io.iotbench.pipelines.prepare.PrepareTrainingSet;
import io.iotbench.pipelines.score.ScoreSensorStream;
import io.iotbench.pipelines.train.TrainModel;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * generate → prepare → train → evaluate → score with every location under one base folder (local, hdfs:// or s3://),
 * and the comparison of two such runs: the prepared rows, the model's scores (evaluate's outputs), the Spark-side
 * MLlib model and the scorer's per-interval decisions (recorded stream, model and decisions all in the store) must
 * be the same wherever the files live.
 */
public final class PipelineChain {

  private PipelineChain() {}

  /**
   * How a chain runs one command ({@code generate}, {@code prepare}, {@code train}, {@code evaluate}, {@code score})
   * with its data options: in this JVM on a runner ({@link #inProcess}), or in its own process as a user would.
   * Returns when the command has finished; throws (or fails) when it did not succeed.
   */
  @FunctionalInterface
  public interface Steps {
    void run(String command, List<String> args) throws Exception;
  }

  /** What one chain produced, read back from its store. */
  public record Result(List<String> generated, List<String> trainRows, List<String> testRows,
      Map<String, byte[]> evaluation, Map<?, ?> metrics, Map<?, ?> modelMetrics, Map<?, ?> portableModel,
      Map<String, byte[]> mllibMetadata, List<String> decisions) {}

  /**
   * The chain's commands in this JVM: the Beam pipelines on {@code runner} ({@link StoredFiles#DIRECT} or
   * {@link StoredFiles#SPARK}), train on the JVM's one local Spark session, every command with {@code store}'s
   * options.
   */
  public static Steps inProcess(String[] runner, List<String> store) {
    return (command, list) -> {
      String[] args = list.toArray(new String[0]);
      switch (command) {
        case "generate" -> done(GenerateTrainingData.run(
            Cli.parse(StoredFiles.args(runner, store, args), GenerateTrainingData.Options.class)));
        case "prepare" -> done(PrepareTrainingSet.run(
            Cli.parse(StoredFiles.args(runner, store, args), PrepareTrainingSet.Options.class)));
        case "train" -> TrainModel.run(
            Cli.parse(StoredFiles.args(new String[0], store, args), TrainModel.Options.class), SparkModelRoundTrip.spark());
        case "evaluate" -> done(EvaluateModel.run(
            Cli.parse(StoredFiles.args(runner, store, args), EvaluateModel.Options.class)));
        case "score" -> done(ScoreSensorStream.run(
            Cli.parse(StoredFiles.args(runner, store, args), ScoreSensorStream.Options.class)).result());
        default -> throw new IllegalArgumentException("not a command of the chain: " + command);
      }
    };
  }

  /** The chain's commands in this JVM on the DirectRunner (train on the JVM's local Spark session), on local files. */
  public static Steps direct() {
    return inProcess(StoredFiles.DIRECT, List.of());
  }

  static Result run(String base, String[] runner, List<String> store) throws Exception {
    return run(base, inProcess(runner, store), store);
  }

  /**
   * generate → prepare → train → evaluate → score under {@code base}, each command run by {@code steps}; the outputs
   * are then read in this JVM with {@code store}'s options.
   */
  public static Result run(String base, Steps steps, List<String> store) throws Exception {
    String training = base + "/training";
    String prepared = base + "/prepared";
    String model = base + "/model";
    String evaluation = base + "/evaluation";

    steps.run("generate", List.of("--rows=3000", "--sensors=10", "--partitions=2", "--seed=3", "--output=" + training));
    steps.run("prepare", List.of("--input=" + training, "--output=" + prepared, "--sensors=10", "--seed=4"));
    steps.run("train", List.of("--input=" + prepared, "--model=" + model, "--algorithm=logistic-regression",
        "--maxIter=20", "--seed=5"));
    steps.run("evaluate", List.of("--input=" + prepared, "--model=" + model, "--output=" + evaluation));
    List<String> decisions = score(base, steps, store, model);

    Map<String, byte[]> outputs = new TreeMap<>();
    for (String name : List.of("confusion-matrix.csv", "errors-by-producer.csv")) {
      outputs.put(name, StoredFiles.readFile(evaluation + "/" + name, store));
    }
    // One line per scored row; the shards' names, order and headers depend on the runner's bundling, and the
    // probabilities' last digits on the order MLlib summed the rows in: compared rounded to 1e-6.
    outputs.put("predictions (sorted lines)", StoredFiles.read(evaluation + "/predictions", store).values().stream()
        .flatMap(bytes -> new String(bytes, StandardCharsets.UTF_8).lines())
        .filter(line -> !line.startsWith("producer,"))
        .map(PipelineChain::rounded).sorted()
        .collect(Collectors.joining("\n")).getBytes(StandardCharsets.UTF_8));
    ObjectMapper json = new ObjectMapper();
    Map<?, ?> metrics = json.readValue(StoredFiles.readFile(evaluation + "/metrics.json", store), Map.class);
    Map<?, ?> modelMetrics = json.readValue(StoredFiles.readFile(model + "/metrics.json", store), Map.class);
    Map<?, ?> portableModel = json.readValue(StoredFiles.readFile(model + "/model.json", store), Map.class);
    // StoredFiles.read skips markers; MLlib's own _SUCCESS in its metadata folder must have moved with the model.
    Map<String, byte[]> mllibMetadata = new TreeMap<>(StoredFiles.read(model + "/mllib/metadata", store));
    mllibMetadata.put("_SUCCESS", StoredFiles.readFile(model + "/mllib/metadata/_SUCCESS", store));
    List<String> generated = StoredFiles.read(training, store).values().stream()
        .flatMap(bytes -> new String(bytes, StandardCharsets.UTF_8).lines()).sorted().toList();
    SparkSession spark = SparkModelRoundTrip.spark();
    return new Result(generated, rows(spark, prepared + "/train"), rows(spark, prepared + "/test"), outputs, metrics,
        modelMetrics, portableModel, mllibMetadata, decisions);
  }

  /**
   * Scores a recorded stream (10 sensors, 2 devices, 40 one-second intervals) stored under {@code base} with the
   * model stored there, writing the decisions there too; returns the decision records, sorted.
   */
  static List<String> score(String base, String[] runner, List<String> store, String model) throws Exception {
    return score(base, inProcess(runner, store), store, model);
  }

  private static List<String> score(String base, Steps steps, List<String> store, String model) throws Exception {
    String events = base + "/events/stream.csv";
    String decisions = base + "/decisions";
    FileSystems.setDefaultPipelineOptions(Cli.parse(store.toArray(new String[0]), PipelineOptions.class));
    try (OutputStream out = Channels.newOutputStream(
        FileSystems.create(FileSystems.matchNewResource(events, false), MimeTypes.TEXT))) {
      out.write(recordedStream().getBytes(StandardCharsets.UTF_8));
    }
    steps.run("score", List.of("--source=file", "--inputFile=" + events, "--model=" + model, "--sensors=10",
        "--devices=2", "--decisionsOutput=" + decisions + "/decisions", "--interval=1"));
    List<String> lines = StoredFiles.read(decisions, store).values().stream()
        .flatMap(bytes -> new String(bytes, StandardCharsets.UTF_8).lines()).sorted().toList();
    assertTrue(lines.size() >= 60, "decisions: " + lines.size());
    return lines;
  }

  /** A fixed stream: every 50 ms one event of a seeded random sensor and device, over 40 s. */
  private static String recordedStream() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(11);
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 800; i++) {
      SensorEvent event = new SensorEvent(start.plusMillis(50L * i), String.valueOf(1 + random.nextInt(2)),
          1 + random.nextInt(10), random.nextDouble());
      EventCsvCodec.append(text, event, true);
      text.append('\n');
    }
    return text.toString();
  }

  private static List<String> rows(SparkSession spark, String folder) {
    return spark.read().parquet(HadoopStorage.hadoopPath(folder)).collectAsList().stream().map(Row::toString)
        .sorted().toList();
  }

  private static void done(PipelineResult result) {
    assertEquals(PipelineResult.State.DONE, result.getState());
  }

  public static void assertSame(Result local, Result remote) {
    assertTrue(local.generated().size() >= 3000, "generated lines " + local.generated().size());
    assertEquals(local.generated(), remote.generated());
    assertTrue(local.trainRows().size() > 1000, "train rows " + local.trainRows().size());
    assertSameModel(local, remote);
    assertTrue(local.evaluation().get("predictions (sorted lines)").length > 0);
    assertEquals(local.trainRows(), remote.trainRows());
    assertEquals(local.testRows(), remote.testRows());
    assertEquals(local.evaluation().keySet(), remote.evaluation().keySet());
    for (String name : local.evaluation().keySet()) {
      assertArrayEquals(local.evaluation().get(name), remote.evaluation().get(name), name);
    }
    for (String metric : List.of("rows", "accuracy", "errors")) {
      assertEquals(local.metrics().get(metric), remote.metrics().get(metric), metric);
    }
    // Areas under curves from probabilities whose last digits depend on MLlib's summation order (see rounded).
    for (String metric : List.of("auroc", "aupr")) {
      assertEquals(((Number) local.metrics().get(metric)).doubleValue(),
          ((Number) remote.metrics().get(metric)).doubleValue(), 1e-6, metric);
    }
    assertTrue(((Number) local.metrics().get("auroc")).doubleValue() > 0.9, local.metrics().toString());
    // Hadoop's local file system adds .crc checksum files next to what MLlib writes; the stores do not.
    assertEquals(visible(local.mllibMetadata().keySet()), visible(remote.mllibMetadata().keySet()));
    assertEquals(List.of("_SUCCESS", "part-00000"), visible(remote.mllibMetadata().keySet()));
    // The probability rounded to six decimals: two trainings of the same rows may differ in the last digits.
    assertEquals(local.decisions().stream().map(PipelineChain::roundedProbability).toList(),
        remote.decisions().stream().map(PipelineChain::roundedProbability).toList());
  }

  /**
   * The models of two trainings of the same rows with the same seed: the same test-set confusion counts, and
   * coefficients, intercept, AUROC and area under PR within {@value #FIT_TOLERANCE}. Not bit-equal: MLlib's LBFGS sums
   * the gradient per partition and merges the partitions' sums in the order their tasks finish, and the partitions
   * themselves follow the cluster's cores (local[2] against one YARN executor), so the last digits differ.
   */
  static void assertSameModel(Result local, Result remote) {
    for (String count : List.of("trainRows", "rows", "errors", "confusionMatrix")) {
      assertEquals(local.modelMetrics().get(count), remote.modelMetrics().get(count), "train metrics " + count);
    }
    for (String metric : List.of("auroc", "aupr", "accuracy")) {
      assertEquals(number(local.modelMetrics(), metric), number(remote.modelMetrics(), metric), FIT_TOLERANCE,
          "train metrics " + metric);
    }
    assertEquals(number(local.portableModel(), "intercept"), number(remote.portableModel(), "intercept"),
        FIT_TOLERANCE, "intercept");
    List<?> localCoefficients = (List<?>) local.portableModel().get("coefficients");
    List<?> remoteCoefficients = (List<?>) remote.portableModel().get("coefficients");
    assertEquals(localCoefficients.size(), remoteCoefficients.size(), "coefficients");
    for (int i = 0; i < localCoefficients.size(); i++) {
      assertEquals(((Number) localCoefficients.get(i)).doubleValue(), ((Number) remoteCoefficients.get(i)).doubleValue(),
          FIT_TOLERANCE, "coefficient " + i);
    }
  }

  /** The largest absolute difference between the two portable models' coefficients and intercepts. */
  public static double largestModelDifference(Result a, Result b) {
    double largest = Math.abs(number(a.portableModel(), "intercept") - number(b.portableModel(), "intercept"));
    List<?> x = (List<?>) a.portableModel().get("coefficients");
    List<?> y = (List<?>) b.portableModel().get("coefficients");
    for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
      largest = Math.max(largest, Math.abs(((Number) x.get(i)).doubleValue() - ((Number) y.get(i)).doubleValue()));
    }
    return largest;
  }

  /** How far two fits of the same rows and seed may differ (see {@link #assertSameModel}). */
  static final double FIT_TOLERANCE = 1e-6;

  private static double number(Map<?, ?> map, String key) {
    Object value = map.get(key);
    if (!(value instanceof Number n)) {
      throw new AssertionError("no number " + key + " in " + map);
    }
    return n.doubleValue();
  }

  /** {@code producer,label,prediction,probability} with the probability to six decimals. */
  private static String rounded(String line) {
    int comma = line.lastIndexOf(',');
    return line.substring(0, comma + 1)
        + String.format(java.util.Locale.ROOT, "%.6f", Double.parseDouble(line.substring(comma + 1)));
  }

  /** A decision's JSON with {@code "probability"} to six decimals. */
  static String roundedProbability(String json) {
    java.util.regex.Matcher m = PROBABILITY.matcher(json);
    if (!m.find()) {
      throw new AssertionError("no probability in decision " + json);
    }
    return json.substring(0, m.start(1))
        + String.format(java.util.Locale.ROOT, "%.6f", Double.parseDouble(m.group(1))) + json.substring(m.end(1));
  }

  private static final java.util.regex.Pattern PROBABILITY =
      java.util.regex.Pattern.compile("\"probability\":([-0-9.Ee]+)");

  private static List<String> visible(java.util.Set<String> names) {
    return names.stream().filter(n -> !n.startsWith(".")).sorted().toList();
  }
}
