package io.iotbench.pipelines.cutoffs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.testing.ConsoleCapture;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrintCutoffsTest {
  @Test
  void reproducesTheOriginalTableForOneHundredSensors() throws Exception {
    ConsoleCapture console = new ConsoleCapture();
    int code =
        console.capture(
            () -> Cli.execute("cutoffs", new String[] {"--sensors=100", "--percents=1,10,30,50"}, PrintCutoffs.Options.class, PrintCutoffs::run));
    assertEquals(0, code);
    List<String> lines = console.outLines();
    assertEquals("percent normal montecarlo", lines.get(0));
    assertRow(lines.get(1), "1", 2912);
    assertRow(lines.get(2), "10", 2741);
    assertRow(lines.get(3), "30", 2613);
    assertRow(lines.get(4), "50", 2525);
    assertEquals(5, lines.size());
  }

  private static void assertRow(String line, String percent, double original) {
    String[] fields = line.split("\\s+");
    assertEquals(3, fields.length, line);
    assertEquals(percent, fields[0], line);
    for (int i = 1; i <= 2; i++) {
      double value = Double.parseDouble(fields[i]);
      assertTrue(Math.abs(value - original) <= 0.005 * original, line + " vs " + original);
    }
  }

  @Test
  void badPercentsAreRejectedNamingTheValue() {
    InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> PrintCutoffs.parsePercents("1,x"));
    assertEquals("--percents=1,x: 'x' is not a number", e.getMessage());
    e = assertThrows(InvalidOptionException.class, () -> PrintCutoffs.parsePercents("0,5"));
    assertEquals("--percents=0,5: 0 is not strictly between 0 and 100", e.getMessage());
    e = assertThrows(InvalidOptionException.class, () -> PrintCutoffs.parsePercents("100"));
    assertEquals("--percents=100: 100 is not strictly between 0 and 100", e.getMessage());
  }

  @Test
  void nonPositiveSensorsFailWithExitCodeTwo() throws Exception {
    ConsoleCapture console = new ConsoleCapture();
    int code = console.capture(() -> Cli.execute("cutoffs", new String[] {"--sensors=0"}, PrintCutoffs.Options.class, PrintCutoffs::run));
    assertEquals(Cli.EXIT_USAGE, code);
    assertEquals(List.of("iotbench cutoffs: error: --sensors=0: must be a positive number of sensors"), console.errLines());
  }
}
