package io.iotbench.runners.bench;

import io.iotbench.model.support.CpuTime;
import io.iotbench.model.support.Folders;
import io.iotbench.model.support.Stats;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.pipelines.generate.GenerateTrainingData;
import io.iotbench.pipelines.generate.TrainingFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * {@code iotbench bench-generate}: times the generate pipeline (default 1,000,000 rows x 100 sensors on the
 * SparkRunner {@code local[2]}) until its files are forced to disk, and in the same run the machine's raw durable
 * write rate for the same number of bytes (a FileChannel writing zeros, forced at the end), so the two compare
 * like with like. Reports medians over {@code --repeats} and ends with
 * {@code RESULT mb_per_cpu_s=... mb_per_wall_s=... raw_write_mb_s=...}.
 */
public final class GenerateBenchmark {
  /** Options of the benchmark: those of generate, plus repeats. */
  public interface Options extends GenerateTrainingData.Options {
    @Description("Timed repetitions; the report gives medians.")
    @Default.Integer(3)
    int getRepeats();

    void setRepeats(int repeats);
  }

  private static final int RAW_CHUNK = 8 << 20;

  private GenerateBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path scratch = Files.createTempDirectory("iotbench-bench-generate");
    String[] withDefaults =
        BenchArgs.withDefaults(
            args,
            "--rows=1000000",
            "--sensors=100",
            "--partitions=4",
            "--runner=SparkRunner",
            "--sparkMaster=local[2]",
            "--output=" + scratch.resolve("training"));
    int code;
    try {
      code = Cli.execute("bench-generate", withDefaults, Options.class, GenerateBenchmark::run);
    } finally {
      Folders.deleteRecursively(scratch);
    }
    System.exit(code);
  }

  static int run(Options options) throws IOException {
    int repeats = Math.max(1, options.getRepeats());
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
