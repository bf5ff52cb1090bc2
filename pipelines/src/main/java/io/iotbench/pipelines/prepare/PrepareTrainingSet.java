package io.iotbench.pipelines.prepare;

import io.iotbench.model.TrainingRow;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.pipelines.common.DeadLetter;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.common.PipelineCounters;
import io.iotbench.pipelines.common.RejectedRowsOptions;
import io.iotbench.pipelines.common.SeedOptions;
import io.iotbench.pipelines.common.SensorOptions;
import io.iotbench.pipelines.common.WriteDeadLetters;
import io.iotbench.pipelines.common.storage.AtomicOutput;
import io.iotbench.pipelines.common.storage.StorageCheck;
import io.iotbench.pipelines.generate.TrainingFiles;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * Prepares generated training data for model fitting: reads the CSV (any FileSystems location or glob, plain or
 * compressed), validates every row (label 0 or 1, exactly {@code --sensors} finite values; the number of sensors
 * is inferred from the first valid row when not given), splits the valid rows into a training and a test set by
 * a seeded hash of each row (identical on every runner), and writes both as Parquet (label + features) that
 * Spark reads without re-parsing text. Rows that fail validation are written with the reason to
 * {@code <output>/rejected/} and counted; they never stop the pipeline, but a run that rejects every row, or more
 * than {@code --maxRejectedFraction} of them, fails afterwards with one line naming the likely cause
 * ({@link RejectedRows}) and writes no {@code dataset.json}. The output folder then holds {@code train/},
 * {@code test/}, {@code rejected/} and {@code dataset.json} ({@link PreparedSet}). The input may also be Parquet
 * files of the prepared format or a prepared folder (both its sets are read): see {@link InputFiles}; their rows
 * are split by the hash of their CSV text.
 *
 * <pre>{@code
 * --input=/data/training --output=/data/prepared --testFraction=0.3 --seed=42
 * --runner=SparkRunner --sparkMaster=local[2]
 * }</pre>
 */
public final class PrepareTrainingSet {
  /** Options of {@code iotbench prepare}. */
  public interface Options extends SensorOptions, SeedOptions, RejectedRowsOptions {
    // Required, as in every command that has it (Cli's option naming rule: its default would differ per command).
    @Description(
        "Training data to read: CSV (a file, a glob, or a folder of the generator's part files; any FileSystems "
            + "location, plain or compressed: .gz, .bz2, .deflate, .zst), Parquet files of the prepared format (named "
            + "*.parquet or starting with PAR1), or a prepared folder (its train and test sets are read).")
    @Validation.Required
    String getInput();

    void setInput(String input);

    @Description("Output folder; receives train/ and test/ (Parquet), rejected/ (dead letters) and dataset.json.")
    @Validation.Required
    String getOutput();

    void setOutput(String output);

    @Description("Share of the valid rows that goes to the test set, within [0, 1].")
    @Default.Double(0.3)
    double getTestFraction();

    void setTestFraction(double testFraction);
  }

  /**
   * The input as the pipeline reads it.
   *
   * @param patterns the files (one glob, or a prepared folder's two sets)
   * @param parquet whether they are Parquet files of the prepared format (else CSV)
   */
  public record Source(List<String> patterns, boolean parquet) {}

  /** The collections the pipeline writes, for tests to assert on. */
  public record Outputs(
      PCollection<TrainingRow> train, PCollection<TrainingRow> test, PCollection<DeadLetter> deadLetters) {}

  private PrepareTrainingSet() {}

  public static void main(String[] args) {
    Cli.main("prepare", args, Options.class, options -> run(options).getState() == PipelineResult.State.DONE ? 0 : 1);
  }

  /**
   * The number of sensors asked for: {@code --sensors} when it was given, else 0, which means "infer it from the
   * first valid row". The option's declared default is that of the other commands sharing it (generate, cutoffs,
   * score).
   */
  public static int requestedSensors(Options options) {
    return Cli.given(options, "sensors") ? options.getSensors() : 0;
  }

  /** Checks option values before anything starts; throws {@link InvalidOptionException} naming the option. */
  public static void validate(Options options) {
    InvalidOptionException.check(
        options.getInput() != null && !options.getInput().isBlank(), "input", options.getInput(), "must name a file, folder or glob");
    InvalidOptionException.check(
        options.getOutput() != null && !options.getOutput().isBlank(), "output", options.getOutput(), "must name a folder");
    InvalidOptionException.check(
        requestedSensors(options) >= 0, "sensors", options.getSensors(), "must be a positive number of sensors, or 0 to infer it");
    InvalidOptionException.check(
        options.getTestFraction() >= 0 && options.getTestFraction() <= 1,
        "testFraction",
        options.getTestFraction(),
        "must be within [0, 1]");
    RejectedRows.validate(options);
  }

  /**
   * Adds the prepare steps to {@code pipeline}: read {@code pattern}, validate rows of {@code sensors} values,
   * split, write the sets and the dead letters into {@code options.getOutput()}.
   */
  public static Outputs buildPipeline(Pipeline pipeline, Options options, String pattern, int sensors) {
    return buildPipeline(pipeline, options, new Source(List.of(pattern), false), sensors);
  }

  /** Like {@link #buildPipeline(Pipeline, Options, String, int)}, for CSV or Parquet input. */
  public static Outputs buildPipeline(Pipeline pipeline, Options options, Source source, int sensors) {
    return buildPipeline(pipeline, options, source, sensors, TrainingFiles.normalize(options.getOutput()));
  }

  /** Like {@link #buildPipeline(Pipeline, Options, Source, int)}, writing into {@code output} (a command's temporary folder). */
  static Outputs buildPipeline(Pipeline pipeline, Options options, Source source, int sensors, String output) {
    PCollectionTuple validated;
    if (source.parquet()) {
      PCollectionList<GenericRecord> sets = PCollectionList.empty(pipeline);
      for (int i = 0; i < source.patterns().size(); i++) {
        sets = sets.and(pipeline.apply("ReadPreparedRows" + (i + 1), ParquetIO.read(PreparedSet.SCHEMA).from(source.patterns().get(i))));
      }
      validated = sets.apply("AllPreparedRows", Flatten.pCollections()).apply("ValidateRows", new ValidateRows.Records(sensors));
    } else {
      // CSV input is always one pattern (a prepared folder, the only input of two, is Parquet).
      PCollection<String> lines = pipeline.apply("ReadTrainingLines", TextIO.read().from(source.patterns().get(0)));
      validated = lines.apply("ValidateRows", new ValidateRows(sensors));
    }
    PCollectionTuple sets =
        validated.get(ValidateRows.ROWS)
            .apply("SplitTrainingAndTestRows", new SplitTrainingAndTestRows(options.getTestFraction(), options.getSeed()));
    sets.apply("WriteParquetSets", new WriteParquetSets(output));
    PCollection<DeadLetter> deadLetters = validated.get(ValidateRows.DEAD_LETTERS);
    deadLetters.apply("WriteDeadLetters", WriteDeadLetters.toFolder(PreparedSet.folder(output, PreparedSet.REJECTED)));
    return new Outputs(sets.get(SplitTrainingAndTestRows.TRAIN), sets.get(SplitTrainingAndTestRows.TEST), deadLetters);
  }

  /** What prepare owns in its output folder: a new set replaces these, and leaves other files alone. */
  public static final List<String> OWNED =
      List.of(PreparedSet.TRAIN + "/", PreparedSet.TEST + "/", PreparedSet.REJECTED + "/", PreparedSet.INFO_FILE);

  /**
   * Validates, resolves the input (inferring the number of sensors if needed), runs the pipeline into a temporary
   * sibling of the output folder, writes {@code dataset.json} there and publishes the set with its
   * {@value AtomicOutput#MARKER} marker ({@link AtomicOutput}): a failed run leaves the previous set as it was.
   * Prints the report line. Returns the finished pipeline's result.
   */
  public static PipelineResult run(Options options) throws IOException {
    validate(options);
    StorageCheck.checkReachable(options, "input", options.getInput());
    StorageCheck.checkOutputFolder(options, "output", options.getOutput());
    Source source = resolve(options);
    int requested = requestedSensors(options);
    int sensors = requested > 0 ? requested : inferSensors(options, source);
    String output = TrainingFiles.normalize(options.getOutput());
    PipelineResult result;
    long read;
    long rejected;
    long train;
    long test;
    try (AtomicOutput out = AtomicOutput.begin(output, OWNED)) {
      Pipeline pipeline = Pipeline.create(options);
      buildPipeline(pipeline, options, source, sensors, out.temp());
      result = pipeline.run();
      result.waitUntilFinish();

      read = PipelineCounters.get(result, ValidateRows.ValidateRowFn.class, "rows");
      rejected = PipelineCounters.get(result, ValidateRows.ValidateRowFn.class, "rejected");
      train = PipelineCounters.get(result, SplitTrainingAndTestRows.SplitFn.class, "train");
      test = PipelineCounters.get(result, SplitTrainingAndTestRows.SplitFn.class, "test");
      if (RejectedRows.tooMany(read, rejected, options.getMaxRejectedFraction())) {
        // The dead letters explain the failure: kept beside the output, without a marker (never read as a set).
        out.keepTemporary();
      }
      RejectedRows.check(options.getInput(), read, rejected, options.getMaxRejectedFraction(), PreparedSet.folder(out.temp(), PreparedSet.REJECTED));
      PreparedSet.writeInfo(
          out.temp(),
          new PreparedSet.Info(sensors, String.join(",", source.patterns()), options.getTestFraction(), options.getSeed(), read, train, test, rejected));
      out.commit();
    }
    ConsoleReport.line(
        String.format(
            Locale.ROOT,
            "Prepared %s: %d rows read, %d train rows, %d test rows, %d rejected rows (dead letters in %s)",
            output,
            read,
            train,
            test,
            rejected,
            PreparedSet.folder(output, PreparedSet.REJECTED)));
    if (rejected > 0) {
      ConsoleReport.alert(
          String.format(Locale.ROOT, "%d of %d rows were rejected; see %s", rejected, read, PreparedSet.folder(output, PreparedSet.REJECTED)));
    }
    return result;
  }

  /**
   * What {@code --input} names: a prepared folder (both sets), Parquet files, or CSV.
   *
   * @throws InvalidOptionException if it matches nothing, or lies in a set of the output folder (which the run
   *     replaces)
   */
  public static Source resolve(Options options) throws IOException {
    String input = TrainingFiles.normalize(options.getInput());
    Source source;
    if (PreparedSet.isPrepared(input)) {
      PreparedSet.requireComplete("input", options.getInput(), input);
      source =
          new Source(List.of(PreparedSet.parquetGlob(input, PreparedSet.TRAIN), PreparedSet.parquetGlob(input, PreparedSet.TEST)), true);
    } else {
      String pattern = InputFiles.resolve(options.getInput());
      source = new Source(List.of(pattern), InputFiles.isParquet(options.getInput(), pattern));
    }
    String output = TrainingFiles.normalize(options.getOutput());
    for (String set : new String[] {PreparedSet.TRAIN, PreparedSet.TEST, PreparedSet.REJECTED}) {
      String folder = PreparedSet.folder(output, set);
      for (String pattern : source.patterns()) {
        if (pattern.startsWith(folder)) {
          throw new InvalidOptionException(
              "--input=" + options.getInput() + ": lies in " + folder + ", which this run replaces; give another --output");
        }
      }
    }
    return source;
  }

  /**
   * The number of sensors of the input's rows: from its first valid CSV row, or from the {@code dataset.json} of
   * the prepared folder its Parquet files belong to.
   *
   * @throws InvalidOptionException if there is no such row or file
   */
  static int inferSensors(Options options, Source source) throws IOException {
    if (!source.parquet()) {
      return InputFiles.inferSensors(options.getInput(), source.patterns().get(0));
    }
    Optional<String> prepared = InputFiles.enclosingPreparedSet(source.patterns().get(0));
    if (prepared.isEmpty()) {
      throw new InvalidOptionException(
          "--input=" + options.getInput() + ": cannot infer the number of sensors of Parquet files outside a prepared "
              + "folder (no " + PreparedSet.INFO_FILE + " beside their folder); give --sensors");
    }
    return PreparedSet.readInfo(prepared.get()).sensors();
  }
}
