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
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * generate → prepare → train → evaluate → score with every location under one base folder (local, hdfs:// or s3://),
 * and the comparison of two such runs: the prepared rows, the model's scores (evaluate's outputs), the Spark-side
 * MLlib model and the scorer's per-interval decisions (recorded stream, model and decisions all in the store) must
 * be the same wherever the files live.
 */
final class PipelineChain {

  private PipelineChain() {}

  /** What one chain produced, read back from its store. */
  record Result(List<String> trainRows, List<String> testRows, Map<String, byte[]> evaluation, Map<?, ?> metrics,
      Map<String, byte[]> mllibMetadata, List<String> decisions) {}

  static Result run(String base, String[] runner, List<String> store) throws Exception {
    String training = base + "/training";
    String prepared = base + "/prepared";
    String model = base + "/model";
    String evaluation = base + "/evaluation";

    done(GenerateTrainingData.run(Cli.parse(StoredFiles.args(runner, store, "--rows=3000", "--sensors=10",
        "--partitions=2", "--seed=3", "--output=" + training), GenerateTrainingData.Options.class)));
    done(PrepareTrainingSet.run(Cli.parse(StoredFiles.args(runner, store, "--input=" + training,
        "--output=" + prepared, "--sensors=10", "--seed=4"), PrepareTrainingSet.Options.class)));
    SparkSession spark = SparkModelRoundTrip.spark();
    TrainModel.run(Cli.parse(StoredFiles.args(new String[0], store, "--input=" + prepared, "--model=" + model,
        "--algorithm=logistic-regression", "--maxIter=20", "--seed=5"), TrainModel.Options.class), spark);
    done(EvaluateModel.run(Cli.parse(StoredFiles.args(runner, store, "--input=" + prepared, "--model=" + model,
        "--output=" + evaluation), EvaluateModel.Options.class)));
    List<String> decisions = score(base, runner, store, model);

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
    Map<?, ?> metrics =
        new ObjectMapper().readValue(StoredFiles.readFile(evaluation + "/metrics.json", store), Map.class);
    // StoredFiles.read skips markers; MLlib's own _SUCCESS in its metadata folder must have moved with the model.
    Map<String, byte[]> mllibMetadata = new TreeMap<>(StoredFiles.read(model + "/mllib/metadata", store));
    mllibMetadata.put("_SUCCESS", StoredFiles.readFile(model + "/mllib/metadata/_SUCCESS", store));
    return new Result(rows(spark, prepared + "/train"), rows(spark, prepared + "/test"), outputs, metrics,
        mllibMetadata, decisions);
  }

  /**
   * Scores a recorded stream (10 sensors, 2 devices, 40 one-second intervals) stored under {@code base} with the
   * model stored there, writing the decisions there too; returns the decision records, sorted.
   */
  static List<String> score(String base, String[] runner, List<String> store, String model) throws Exception {
    String events = base + "/events/stream.csv";
    String decisions = base + "/decisions";
    ScoreSensorStream.Options options = Cli.parse(StoredFiles.args(runner, store, "--source=file",
        "--inputFile=" + events, "--model=" + model, "--sensors=10", "--devices=2",
        "--decisionsOutput=" + decisions + "/decisions", "--interval=1"), ScoreSensorStream.Options.class);
    FileSystems.setDefaultPipelineOptions(options);
    try (OutputStream out = Channels.newOutputStream(
        FileSystems.create(FileSystems.matchNewResource(events, false), MimeTypes.TEXT))) {
      out.write(recordedStream().getBytes(StandardCharsets.UTF_8));
    }
    done(ScoreSensorStream.run(options).result());
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

  static void assertSame(Result local, Result remote) {
    assertTrue(local.trainRows().size() > 1000, "train rows " + local.trainRows().size());
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
