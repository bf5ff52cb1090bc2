package io.iotbench.pipelines.evaluate;

import io.iotbench.model.scoring.PortableModel;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.pipelines.common.DeadLetter;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.common.Json;
import io.iotbench.pipelines.common.PipelineCounters;
import io.iotbench.pipelines.common.RejectedRowsOptions;
import io.iotbench.pipelines.common.WriteDeadLetters;
import io.iotbench.pipelines.common.storage.AtomicOutput;
import io.iotbench.pipelines.common.storage.StorageCheck;
import io.iotbench.pipelines.generate.TrainingFiles;
import io.iotbench.pipelines.prepare.InputFiles;
import io.iotbench.pipelines.prepare.PreparedSet;
import io.iotbench.pipelines.prepare.RejectedRows;
import io.iotbench.pipelines.train.ModelFolder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * Scores a labeled set with a portable model on any runner, without Spark MLlib (the batch error analysis of the
 * original's workshop): reads the training CSV ({@code label,v1..vn}, or {@code producer,label,v1..vn} when rows
 * name their producer), the test set of a prepared folder, or Parquet files of the prepared format (a set folder
 * such as {@code <prepared>/test}, or a glob; see {@link InputFiles}), scores every row, and writes into {@code --output}
 * the metrics (AUROC, area under PR, accuracy, confusion matrix), a predictions file, and the prediction errors
 * per producer ({@code producer,total_errors}; rows without a producer count under {@code all}). Rows that are
 * not rows of the model's number of features go to {@code <output>/rejected/}; when all rows, or more than
 * {@code --maxRejectedFraction} of them, are rejected the run fails with one line naming the likely cause
 * ({@link RejectedRows}). Ends with {@code RESULT auroc=... accuracy=... errors=...}.
 *
 * <pre>{@code
 * --input=/data/prepared --model=/data/model --output=/data/evaluation
 * --runner=SparkRunner --sparkMaster=local[2]
 * }</pre>
 */
public final class EvaluateModel {
  /** Options of {@code iotbench evaluate}; all required (Cli's option naming rule). */
  public interface Options extends RejectedRowsOptions {
    @Description(
        "Labeled set to score: a prepared folder (its test set is scored), Parquet files of the prepared format (a "
            + "folder such as <prepared>/test, a glob, or files named *.parquet or starting with PAR1), or training "
            + "CSV (a file, glob, or folder of part files; rows may start with a producer id).")
    @Validation.Required
    String getInput();

    void setInput(String input);

    @Description("Model folder written by iotbench train (or its model.json); any FileSystems location.")
    @Validation.Required
    String getModel();

    void setModel(String model);

    @Description(
        "Output folder: metrics.json, confusion-matrix.csv, errors-by-producer.csv, predictions/, rejected/.")
    @Validation.Required
    String getOutput();

    void setOutput(String output);
  }

  /**
   * The input as the pipeline reads it.
   *
   * @param pattern the files
   * @param parquet whether they are a prepared set's Parquet files
   */
  public record Source(String pattern, boolean parquet) {}

  private EvaluateModel() {}

  public static void main(String[] args) {
    Cli.main("evaluate", args, Options.class, options -> run(options).getState() == PipelineResult.State.DONE ? 0 : 1);
  }

  /** Checks option values before anything starts; throws {@link InvalidOptionException} naming the option. */
  public static void validate(Options options) {
    InvalidOptionException.check(
        options.getInput() != null && !options.getInput().isBlank(), "input", options.getInput(), "must name a labeled set");
    InvalidOptionException.check(
        options.getModel() != null && !options.getModel().isBlank(), "model", options.getModel(), "must name a model folder");
    InvalidOptionException.check(
        options.getOutput() != null && !options.getOutput().isBlank(), "output", options.getOutput(), "must name a folder");
    RejectedRows.validate(options);
  }

  /**
   * Resolves {@code --input} and checks that its rows have as many values as the model has features.
   *
   * @throws InvalidOptionException if they do not, or the input matches nothing
   */
  public static Source resolve(Options options, PortableModel model) throws IOException {
    String input = options.getInput();
    if (PreparedSet.isPrepared(TrainingFiles.normalize(input))) {
      String prepared = TrainingFiles.normalize(input);
      PreparedSet.requireComplete("input", input, prepared);
      int sensors = PreparedSet.readInfo(prepared).sensors();
      checkWidth(options, model, sensors, PreparedSet.infoFile(prepared).toString());
      return new Source(PreparedSet.parquetGlob(prepared, PreparedSet.TEST), true);
    }
    String pattern = InputFiles.resolve(input);
    if (InputFiles.isParquet(input, pattern)) {
      // The set's dataset.json, when the files are one of a prepared folder's sets, tells their width now;
      // otherwise records of another width become dead letters.
      Optional<String> prepared = InputFiles.enclosingPreparedSet(pattern);
      if (prepared.isPresent()) {
        checkWidth(options, model, PreparedSet.readInfo(prepared.get()).sensors(), PreparedSet.infoFile(prepared.get()).toString());
      }
      return new Source(pattern, true);
    }
    Optional<InputFiles.FirstRow> first = InputFiles.firstRow(pattern, ReadLabeledRows::widthOf);
    if (first.isPresent()) {
      checkWidth(options, model, first.get().sensors(), "first row of " + first.get().file());
    }
    return new Source(pattern, false);
  }

  private static void checkWidth(Options options, PortableModel model, int sensors, String where) {
    if (sensors != model.numFeatures()) {
      throw new InvalidOptionException(
          String.format(
              Locale.ROOT,
              "--model=%s: the model has %d features but the rows of --input=%s have %d sensor values (%s)",
              options.getModel(),
              model.numFeatures(),
              options.getInput(),
              sensors,
              where));
    }
  }

  /** The collections the pipeline writes, for tests to assert on. */
  public record Outputs(PCollection<ScoredRow> scored, PCollection<DeadLetter> deadLetters) {}

  /** Adds the evaluate steps: read, score, compute and write into {@code options.getOutput()}. */
  public static Outputs buildPipeline(Pipeline pipeline, Options options, Source source, PortableModel model) {
    return buildPipeline(pipeline, options, source, model, TrainingFiles.normalize(options.getOutput()));
  }

  /** Like {@link #buildPipeline(Pipeline, Options, Source, PortableModel)}, writing into {@code output}. */
  static Outputs buildPipeline(Pipeline pipeline, Options options, Source source, PortableModel model, String output) {
    PCollectionTuple rows = pipeline.apply("ReadLabeledRows", new ReadLabeledRows(source.pattern(), source.parquet(), model.numFeatures()));
    PCollection<ScoredRow> scored =
        rows.get(ReadLabeledRows.ROWS).apply("ScoreRows", new ScoreRows(ModelFolder.portableFile(options.getModel()).toString()));
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("model", ModelFolder.portableFile(options.getModel()).toString());
    header.put("algorithm", model.algorithm().id());
    header.put("input", source.pattern());
    scored.apply("WriteEvaluation", new WriteEvaluation(output, header));
    PCollection<DeadLetter> deadLetters = rows.get(ReadLabeledRows.DEAD_LETTERS);
    deadLetters.apply("WriteDeadLetters", WriteDeadLetters.toFolder(PreparedSet.folder(output, PreparedSet.REJECTED)));
    return new Outputs(scored, deadLetters);
  }

  /** What evaluate owns in its output folder: a new evaluation replaces these, and leaves other files alone. */
  public static final List<String> OWNED =
      List.of(WriteEvaluation.METRICS, WriteEvaluation.CONFUSION, WriteEvaluation.ERRORS, WriteEvaluation.PREDICTIONS + "/",
          PreparedSet.REJECTED + "/");

  /**
   * Validates, loads the model (a missing or corrupt model, or one whose number of features differs from the
   * data's, is an error before anything runs), runs the pipeline into a temporary sibling of the output folder,
   * publishes the evaluation with its {@value AtomicOutput#MARKER} marker ({@link AtomicOutput}; a failed run
   * leaves the previous evaluation as it was) and prints the report. Returns the finished pipeline's result.
   */
  public static PipelineResult run(Options options) throws IOException {
    validate(options);
    StorageCheck.checkReachable(options, "input", options.getInput());
    StorageCheck.checkReachable(options, "model", options.getModel());
    StorageCheck.checkOutputFolder(options, "output", options.getOutput());
    PortableModel model = ModelFolder.loadPortable(options.getModel());
    Source source = resolve(options, model);
    String output = TrainingFiles.normalize(options.getOutput());
    PipelineResult result;
    long read;
    long rejected;
    try (AtomicOutput out = AtomicOutput.begin(output, OWNED)) {
      Pipeline pipeline = Pipeline.create(options);
      buildPipeline(pipeline, options, source, model, out.temp());
      result = pipeline.run();
      result.waitUntilFinish();

      read = PipelineCounters.get(result, ReadLabeledRows.ParseLabeledRowFn.class, "rows");
      rejected = PipelineCounters.get(result, ReadLabeledRows.ParseLabeledRowFn.class, "rejected");
      if (RejectedRows.tooMany(read, rejected, options.getMaxRejectedFraction())) {
        // The dead letters explain the failure: kept beside the output, without a marker (never read as a set).
        out.keepTemporary();
      }
      RejectedRows.check(options.getInput(), read, rejected, options.getMaxRejectedFraction(), PreparedSet.folder(out.temp(), PreparedSet.REJECTED));
      out.commit();
    }
    Map<?, ?> metrics = readMetrics(output);
    ConsoleReport.line(
        String.format(
            Locale.ROOT,
            "Scored %d rows of %s with the %s model %s: AUROC %.6f, AUPR %.6f, accuracy %.6f, %d errors",
            ((Number) metrics.get("rows")).longValue(),
            source.pattern(),
            model.algorithm(),
            ModelFolder.portableFile(options.getModel()),
            ((Number) metrics.get("auroc")).doubleValue(),
            ((Number) metrics.get("aupr")).doubleValue(),
            ((Number) metrics.get("accuracy")).doubleValue(),
            ((Number) metrics.get("errors")).longValue()));
    ConsoleReport.line(
        String.format(
            Locale.ROOT,
            "Wrote %s, %s, %s and %s/ to %s; %d of %d rows rejected (dead letters in %s)",
            WriteEvaluation.METRICS,
            WriteEvaluation.CONFUSION,
            WriteEvaluation.ERRORS,
            WriteEvaluation.PREDICTIONS,
            output,
            rejected,
            read,
            PreparedSet.folder(output, PreparedSet.REJECTED)));
    ConsoleReport.line(
        String.format(
            Locale.ROOT,
            "RESULT auroc=%.6f accuracy=%.6f errors=%d",
            ((Number) metrics.get("auroc")).doubleValue(),
            ((Number) metrics.get("accuracy")).doubleValue(),
            ((Number) metrics.get("errors")).longValue()));
    return result;
  }

  /** The metrics file the pipeline wrote, as a map. */
  public static Map<?, ?> readMetrics(String output) throws IOException {
    ResourceId file =
        FileSystems.matchNewResource(TrainingFiles.normalize(output), true)
            .resolve(WriteEvaluation.METRICS, StandardResolveOptions.RESOLVE_FILE);
    try (InputStream in = Channels.newInputStream(FileSystems.open(file))) {
      return Json.MAPPER.readValue(in, Map.class);
    }
  }
}
