package io.iotbench.pipelines.generate;

import io.iotbench.model.LabelingRule;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.common.PipelineCounters;
import io.iotbench.pipelines.common.SeedOptions;
import io.iotbench.pipelines.common.SensorOptions;
import io.iotbench.pipelines.common.storage.AtomicOutput;
import io.iotbench.pipelines.common.storage.StorageCheck;
import java.io.IOException;
import java.util.List;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates synthetic labeled training data (the original benchmark's {@code iotgen}): each row is a label then
 * {@code --sensors} values in [0,1) with five decimals; the label is 1 when {@code sum(i * v_i, i=1..n)} exceeds
 * the cutoff (default {@code 0.25*n*(n+1)}, about 50% ones). Rows are generated in {@code --partitions}
 * independently seeded streams, one file per partition, so the same {@code --seed} gives the same files on
 * every runner.
 *
 * <pre>{@code
 * --rows=1000000 --sensors=100 --partitions=4 --output=/data/training --seed=42
 * --runner=SparkRunner --sparkMaster=local[2]
 * }</pre>
 */
public final class GenerateTrainingData {
  private static final Logger LOG = LoggerFactory.getLogger(GenerateTrainingData.class);

  /** Options of {@code iotbench generate}. */
  public interface Options extends SensorOptions, SeedOptions {
    // No @Default: --rows means something else in cutoffs (see Cli's naming rule); rows() applies the default.
    @Description("Number of rows to generate; rounded up to a multiple of --partitions, as the original does. Default: 100000.")
    Long getRows();

    void setRows(Long rows);

    @Description("Number of partitions: each generates its rows from its own seeded stream and writes one file.")
    @Default.Integer(4)
    int getPartitions();

    void setPartitions(int partitions);

    @Description(
        "Output folder, any Beam FileSystems location (a local path, hdfs://..., s3://bucket/...). It receives "
            + "one part-PPPPP-of-NNNNN.csv file per partition and a _SUCCESS marker, published together when the run "
            + "succeeds; part files of an earlier run there are replaced, a failed run leaves them as they were.")
    @Validation.Required
    String getOutput();

    void setOutput(String output);

    @Description("Label cutoff: a row is labeled 1 when sum(i * v_i) > cutoff. Default 0.25*n*(n+1), ~50% ones.")
    @Default.InstanceFactory(DefaultCutoff.class)
    Double getCutoff();

    void setCutoff(Double cutoff);

    @Description("Compression of the output files: none, gzip, bzip2, deflate or zstd.")
    @Default.String("none")
    String getCompression();

    void setCompression(String compression);
  }

  /** The default cutoff {@code 0.25*n*(n+1)} for the chosen number of sensors. */
  public static class DefaultCutoff implements DefaultValueFactory<Double> {
    @Override
    public Double create(PipelineOptions options) {
      return LabelingRule.defaultCutoff(options.as(Options.class).getSensors());
    }
  }

  /** Rows generated when {@code --rows} is not given. */
  public static final long DEFAULT_ROWS = 100_000;

  private GenerateTrainingData() {}

  /** The requested rows: {@code --rows}, or {@link #DEFAULT_ROWS} when not given. */
  public static long rows(Options options) {
    return options.getRows() == null ? DEFAULT_ROWS : options.getRows();
  }

  public static void main(String[] args) {
    Cli.main("generate", args, Options.class, options -> run(options).getState() == PipelineResult.State.DONE ? 0 : 1);
  }

  /** Checks option values before anything starts; throws {@link InvalidOptionException} naming the option. */
  public static void validate(Options options) {
    InvalidOptionException.check(rows(options) > 0, "rows", options.getRows(), "must be a positive number of rows");
    InvalidOptionException.check(options.getSensors() > 0, "sensors", options.getSensors(), "must be a positive number of sensors");
    InvalidOptionException.check(
        options.getPartitions() > 0, "partitions", options.getPartitions(), "must be a positive number of partitions");
    InvalidOptionException.check(
        options.getOutput() != null && !options.getOutput().isBlank(), "output", options.getOutput(), "must name a folder");
    InvalidOptionException.check(
        options.getCutoff() != null && Double.isFinite(options.getCutoff()), "cutoff", options.getCutoff(), "must be a finite number");
    OutputCompression.parse(options.getCompression());
  }

  /** Rows in each partition: the requested rows rounded up to a multiple of the partitions. */
  public static long rowsPerPartition(Options options) {
    return (rows(options) + options.getPartitions() - 1) / options.getPartitions();
  }

  /** Adds the generate steps to {@code pipeline}. */
  public static void buildPipeline(Pipeline pipeline, GenerateSpec spec) {
    pipeline.apply("GenerateTrainingFiles", new GenerateTrainingFiles(spec));
  }

  /** What generate owns in its output folder: a new set replaces these, and leaves other files alone. */
  public static final List<String> OWNED = List.of(TrainingFiles.PART_GLOB);

  /**
   * Validates, checks that the output folder can be written ({@link StorageCheck}), runs the pipeline into a
   * temporary sibling of the output folder and publishes its part files with a {@value AtomicOutput#MARKER} marker
   * only when every partition is written ({@link AtomicOutput}), so a failed run leaves the previous files as they
   * were; prints the original's two report lines. Returns the finished pipeline's result.
   */
  public static PipelineResult run(Options options) throws IOException {
    validate(options);
    FileSystems.setDefaultPipelineOptions(options);
    // Before anything is written: a bad location fails here in one line, not inside the pipeline.
    StorageCheck.checkOutputFolder(options, "output", options.getOutput());
    PipelineResult result;
    long start;
    GenerateSpec spec;
    try (AtomicOutput output = AtomicOutput.begin(options.getOutput(), OWNED)) {
      spec = GenerateSpec.of(options, output.temp(), UUID.randomUUID().toString());
      ConsoleReport.line(ConsoleReport.stampSeconds(Instant.now(),
          String.format(
              Locale.ROOT,
              "Creating file %s with %d rows of %d sensors, each row preceded by score using cutoff %.1f, in %d partitions",
              options.getOutput(),
              spec.totalRows(),
              options.getSensors(),
              options.getCutoff(),
              options.getPartitions())));
      start = System.nanoTime();
      Pipeline pipeline = Pipeline.create(options);
      buildPipeline(pipeline, spec);
      try {
        result = pipeline.run();
        result.waitUntilFinish();
      } finally {
        GenerateProgress.finish(spec.runId());
      }
      if (result.getState() != PipelineResult.State.DONE) {
        return result;
      }
      output.commit();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long ones = PipelineCounters.get(result, WritePartitionFileFn.class, "ones");
    // The original's line; the seconds and ones after the size are its later version's.
    ConsoleReport.line(ConsoleReport.stampSeconds(Instant.now(),
        String.format(
            Locale.ROOT,
            "Created file %s with size %s in %.1f seconds with %d ones (%.1f%%)",
            options.getOutput(),
            ConsoleReport.size(TrainingFiles.totalBytes(options.getOutput())),
            seconds,
            ones,
            100.0 * ones / spec.totalRows())));
    return result;
  }
}
