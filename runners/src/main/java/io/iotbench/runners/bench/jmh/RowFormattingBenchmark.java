package io.iotbench.runners.bench.jmh;

import io.iotbench.model.TrainingDataGenerator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The generator's hot loop alone: random values, exact integer labeling and 5-decimal text into a byte buffer,
 * with no I/O. Tells how far formatting is from the disk's write rate ({@code iotbench bench-jmh}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RowFormattingBenchmark {
  @Param({"100"})
  public int sensors;

  private TrainingDataGenerator generator;
  private byte[] buffer;
  private int rowBytes;

  @Setup
  public void setUp() {
    generator = new TrainingDataGenerator(sensors, 0.25 * sensors * (sensors + 1), 42, 0);
    rowBytes = TrainingDataGenerator.maxRowBytes(sensors);
    buffer = new byte[1 << 20];
  }

  /** One row per invocation; multiply the score by the row size for bytes per second. */
  @Benchmark
  public int writeRow() {
    int offset = generator.writeRow(buffer, 0);
    return buffer[offset - 2] + offset;
  }

  /** Rows per second times this is the formatted text rate in bytes per second. */
  public int rowBytes() {
    return rowBytes;
  }
}
