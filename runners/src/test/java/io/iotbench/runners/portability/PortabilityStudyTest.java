package io.iotbench.runners.portability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.generate.GenerateTrainingData;
import io.iotbench.simulator.cli.Commands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PortabilityStudyTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int study(String... args) {
    return Commands.execute(
        new PortabilityStudy(), args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), InvalidOptionException.class);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theDataOptionsAreGeneratesOwn() {
    PortabilityStudy study = new PortabilityStudy();
    new CommandLine(study).parseArgs("--output=/s", "--rows=500", "--sensors=7", "--seed=9");
    GenerateTrainingData.Options data = study.dataOptions();
    assertEquals(500L, data.getRows());
    assertEquals(7, data.getSensors());
    assertEquals(4, data.getPartitions());
    assertEquals(9L, data.getSeed());
    PortabilityStudy defaults = new PortabilityStudy();
    new CommandLine(defaults).parseArgs("--output=/s");
    assertNull(defaults.dataOptions().getRows(), "the study's own default applies");
  }

  @Test
  void badOptionsAreOneLineAndStatusTwo() {
    assertEquals(2, study("--rows=10"));
    assertEquals("iotbench portability: error: --output: is required\n", err());
    err.reset();
    assertEquals(2, study("--output=/nonexistent/study", "--rows=0"));
    assertEquals("iotbench portability: error: --rows=0: must be a positive number of rows\n", err());
    err.reset();
    assertEquals(2, study("--output=/nonexistent/study", "--runners=direct,storm"));
    assertTrue(err().startsWith("iotbench portability: error: --runners=direct,storm: unknown runner 'storm'"), err());
    err.reset();
    assertEquals(2, study("--output=/nonexistent/study", "--frobnicate=1"));
    assertTrue(err().startsWith("iotbench portability: error: ") && err().contains("frobnicate"), err());
    assertEquals(1, err().split("\n").length, err());
  }
}
