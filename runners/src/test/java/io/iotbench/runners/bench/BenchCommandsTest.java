package io.iotbench.runners.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.simulator.cli.Commands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandsTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Object command, String... args) {
    return Commands.execute(
        command, args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        InvalidOptionException.class);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void jmhOptionsPassThrough() {
    JmhBenchmarks jmh = new JmhBenchmarks();
    new CommandLine(jmh).parseArgs("-wi", "1", "-i", "3", "-f", "1");
    assertEquals(List.of("-wi", "1", "-i", "3", "-f", "1"), jmh.jmhArgs);
    assertEquals(2, run(new JmhBenchmarks(), "-wi", "many"));
    assertTrue(err().startsWith("iotbench bench-jmh: error: "), err());
  }

  @Test
  void trainBenchmarkDefaultsAndBadValues() {
    TrainBenchmark train = new TrainBenchmark();
    new CommandLine(train).parseArgs();
    assertEquals(1_000_000L, train.rows);
    assertEquals("local[2]", train.sparkMaster);
    assertEquals(2, run(new TrainBenchmark(), "--testFraction=1"));
    assertEquals("iotbench bench-train: error: --testFraction=1.0: must be within (0, 1)\n", err());
    err.reset();
    assertEquals(2, run(new TrainBenchmark(), "--runner=SparkRunner"));
    assertEquals("iotbench bench-train: error: --runner: unknown option (see iotbench bench-train --help)\n", err());
  }

  @Test
  void generateBenchmarkPassesGeneratesOptionsToBeam() {
    assertEquals(2, run(new GenerateBenchmark(), "--sensors=0"));
    assertEquals("iotbench bench-generate: error: --sensors=0: must be a positive number of sensors\n", err());
    err.reset();
    assertEquals(2, run(new GenerateBenchmark(), "--frobnicate=1"));
    assertTrue(err().startsWith("iotbench bench-generate: error: ") && err().contains("frobnicate"), err());
  }
}
