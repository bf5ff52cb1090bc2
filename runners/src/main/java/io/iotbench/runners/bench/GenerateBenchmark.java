package io.iotbench.runners.bench;

import static io.iotbench.simulator.cli.Commands.VALUE;

import io.iotbench.model.support.ErrorText;
import io.iotbench.model.support.Stats;
import io.iotbench.model.support.Folders;
import io.iotbench.model.support.CpuTime;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.generate.GenerateTrainingData;
import io.iotbench.pipelines.generate.TrainingFiles;
import io.iotbench.simulator.cli.Commands;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code iotbench bench-generate}: times the generate pipeline (default 1,000,000 rows x 100 sensors on the
 * SparkRunner {@code local[2]}) until its files are forced to disk, and in the same run the machine's raw durable
 * write rate for the same number of bytes (a FileChannel writing zeros, forced at the end), so the two compare
 * like with like. Reports medians over {@code --repeats} and ends with
 * {@code RESULT mb_per_cpu_s=... mb_per_wall_s=... raw_write_mb_s=...}.
 */
@Command(
    name = "bench-generate",
    synopsisHeading = "",
    customSynopsis = "usage: iotbench bench-generate [--option=value ...] [generate's options]",
    description = {
      "Times the generate pipeline until its files are on disk, against the raw durable write rate of the same bytes.",
      "Every other option is generate's (iotbench generate --help); the benchmark's defaults are --rows=1000000 and an "
          + "output folder of its own, deleted at the end."
    },
    optionListHeading = Commands.OPTION_LIST_HEADING,
    sortOptions = false)
public final class GenerateBenchmark implements Callable<Integer> {
  /** Rows when {@code --rows} is not given. */
  static final long DEFAULT_ROWS = 1_000_000;

  @Spec CommandSpec spec;
  @Mixin Commands.HelpOption help;

  @Option(names = "--repeats", paramLabel = VALUE, defaultValue = "3", description = "timed repetitions; the report gives medians [${DEFAULT-VALUE}]")
  int repeats;

  @Option(names = "--runner", paramLabel = VALUE, defaultValue = "SparkRunner", description = "the Beam runner of generate [${DEFAULT-VALUE}]")
  String runner;

  @Option(names = "--sparkMaster", paramLabel = VALUE, defaultValue = "local[2]", description = "the Spark master of the SparkRunner [${DEFAULT-VALUE}]")
  String sparkMaster;

  /** generate's own options, parsed by Beam. */
  @Unmatched List<String> generateArgs = new ArrayList<>();

  private static final int RAW_CHUNK = 8 << 20;

  GenerateBenchmark() {}

  public static void main(String[] args) {
    System.exit(Commands.execute(new GenerateBenchmark(), args, System.out, System.err, InvalidOptionException.class));
  }

  @Override
  public Integer call() throws IOException {
    Path scratch = Files.createTempDirectory("iotbench-bench-generate");
    try {
      GenerateTrainingData.Options options;
      try {
        options = Cli.parse(generateArgs(scratch), GenerateTrainingData.Options.class);
      } catch (IllegalArgumentException e) {
        throw Commands.usage(spec, ErrorText.oneLine(e));
      }
      return run(options, repeats);
    } finally {
      Folders.deleteRecursively(scratch);
    }
  }

  /** generate's arguments: the user's, the runner, and the benchmark's rows and output unless given. */
  private String[] generateArgs(Path scratch) {
    List<String> args = new ArrayList<>(generateArgs);
    args.add("--runner=" + runner);
    args.add("--sparkMaster=" + sparkMaster);
    GenerateTrainingData.Options given =
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).as(GenerateTrainingData.Options.class);
    if (given.getRows() == null) {
      args.add("--rows=" + DEFAULT_ROWS);
    }
    if (given.getOutput() == null) {
      args.add("--output=" + scratch.resolve("training"));
    }
    return args.toArray(new String[0]);
  }

  static int run(GenerateTrainingData.Options options, int repeatCount) throws IOException {
    int repeats = Math.max(1, repeatCount);
    double[] wallRates = new double[repeats];
    double[] cpuRates = new double[repeats];
    double[] rawRates = new double[repeats];
    long bytes = 0;
    for (int i = 0; i < repeats; i++) {
      long cpu0 = CpuTime.processNanos();
      long wall0 = System.nanoTime();
      GenerateTrainingData.run(options);
      forceToDisk(options.getOutput());
      double wall = (System.nanoTime() - wall0) / 1e9;
      double cpu = (CpuTime.processNanos() - cpu0) / 1e9;
      bytes = TrainingFiles.totalBytes(options.getOutput());
      wallRates[i] = bytes / 1e6 / wall;
      cpuRates[i] = bytes / 1e6 / cpu;
      rawRates[i] = rawWriteRate(Paths.get(TrainingFiles.normalize(options.getOutput())), bytes);
      ConsoleReport.line(
          String.format(
              Locale.ROOT,
              "run %d: %.1f MB in %.2f s wall, %.2f s CPU: %.1f MB/wall-s, %.1f MB/CPU-s; raw durable write %.1f MB/s",
              i + 1, bytes / 1e6, wall, cpu, wallRates[i], cpuRates[i], rawRates[i]));
    }
    double wall = Stats.median(wallRates);
    double cpu = Stats.median(cpuRates);
    double raw = Stats.median(rawRates);
    ConsoleReport.line(
        String.format(
            Locale.ROOT,
            "generate: median %.1f MB per wall second (%.0f%% of the raw durable write rate %.1f MB/s), %.1f MB per CPU second",
            wall, 100 * wall / raw, raw, cpu));
    ConsoleReport.line(
        String.format(
            Locale.ROOT,
            "RESULT mb_per_cpu_s=%.1f mb_per_wall_s=%.1f raw_write_mb_s=%.1f bytes=%d repeats=%d",
            cpu, wall, raw, bytes, repeats));
    return 0;
  }

  /** fsync every part file, so the timing ends when the data is durable; files on other stores are left alone. */
  private static void forceToDisk(String output) throws IOException {
    for (MatchResult.Metadata file : TrainingFiles.listParts(output)) {
      if (file.resourceId().getScheme().equals("file")) {
        try (FileChannel channel = FileChannel.open(Paths.get(file.resourceId().toString()), StandardOpenOption.WRITE)) {
          channel.force(true);
        }
      }
    }
  }

  /** MB/s of writing {@code bytes} zeros through a FileChannel into {@code folder}, forced to disk at the end. */
  static double rawWriteRate(Path folder, long bytes) throws IOException {
    Path file = Files.createTempFile(folder, ".raw-write", ".bin");
    ByteBuffer zeros = ByteBuffer.allocateDirect(RAW_CHUNK);
    try {
      long start = System.nanoTime();
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        long left = bytes;
        while (left > 0) {
          zeros.clear().limit((int) Math.min(RAW_CHUNK, left));
          while (zeros.hasRemaining()) {
            left -= channel.write(zeros);
          }
        }
        channel.force(true);
      }
      return bytes / 1e6 / ((System.nanoTime() - start) / 1e9);
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
