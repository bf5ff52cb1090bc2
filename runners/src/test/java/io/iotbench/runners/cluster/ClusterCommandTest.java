package io.iotbench.runners.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClusterCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int cluster(String... args) {
    return ClusterCommand.execute(
        args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void needsAnAction() {
    assertEquals(2, cluster());
    assertEquals("iotbench cluster: error: missing action; usage: iotbench cluster start|stop|status [--option=value ...]\n", err());
  }

  @Test
  void unknownAction() {
    assertEquals(2, cluster("restart"));
    assertEquals("iotbench cluster: error: unknown action 'restart'; usage: iotbench cluster start|stop|status [--option=value ...]\n", err());
  }

  @Test
  void badValuesNameTheCommandAndTheOptionAsGiven() {
    assertEquals(2, cluster("start", "--workerCores=0"));
    assertEquals("iotbench cluster: error: --workerCores=0: must be positive\n", err());
    err.reset();
    assertEquals(2, cluster("start", "--workerMemory=lots"));
    assertEquals("iotbench cluster: error: --workerMemory=lots: must be a size such as 2g or 1536m\n", err());
    err.reset();
    assertEquals(2, cluster("stop", "--nope=1"));
    assertEquals("iotbench cluster: error: --nope: unknown option (see iotbench cluster --help)\n", err());
  }

  @Test
  void helpListsEveryActionsOptions() {
    assertEquals(0, cluster("start", "--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("--workerCores=...") && help.contains("[2]") && help.contains("[2g]") && help.contains("--clusterDir"), help);
  }
}
