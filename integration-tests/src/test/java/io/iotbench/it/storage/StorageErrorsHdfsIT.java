package io.iotbench.it.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.it.harness.HdfsServer;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.common.storage.StorageCheck;
import io.iotbench.pipelines.generate.GenerateTrainingData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Storage errors against a real HDFS (no configuration, an unreachable namenode, a file in the output's place, a
 * missing input, access denied): one error line, exit code 2, within 30 s, nothing left behind.
 * Access denied needs another user than the test's own, HDFS's superuser here, whom permissions never stop: that
 * case runs {@code runners/bin/iotbench} with {@code HADOOP_USER_NAME=nobody}.
 */
class StorageErrorsHdfsIT {
  @RegisterExtension static final HdfsServer HDFS = new HdfsServer();

  private static final String[] DATA = {"--rows=100", "--sensors=5", "--partitions=2"};

  private static StoredFiles.Outcome generate(List<String> store, String output) {
    return StoredFiles.execute("generate", StoredFiles.args(DATA, store, "--output=" + output),
        GenerateTrainingData.Options.class, o -> GenerateTrainingData.run(o).getState().isTerminal() ? 0 : 1);
  }

  private static void assertOneLine(String expected, StoredFiles.Outcome outcome) {
    assertEquals(List.of(expected), outcome.err());
    assertEquals(Cli.EXIT_USAGE, outcome.code());
    assertTrue(outcome.millis() < 30_000, outcome.millis() + " ms");
  }

  @Test
  void hdfsWithoutConfiguration() {
    assertOneLine("iotbench generate: error: --output=" + HDFS.uri() + "/x: hdfs:// needs "
        + "--hdfsConfiguration=[{\"fs.defaultFS\":\"hdfs://NAMENODE:PORT\"}] (or HADOOP_CONF_DIR)",
        generate(List.of(), HDFS.uri() + "/x"));
  }

  @Test
  void unreachableNamenode() throws Exception {
    String closed = "hdfs://127.0.0.1:" + StorageErrorsS3IT.closedPort();
    List<String> store = List.of("--hdfsConfiguration=[{\"fs.defaultFS\":\"" + closed + "\"}]");
    StoredFiles.Outcome outcome = generate(store, closed + "/training");
    assertOneLine("iotbench generate: error: --output=" + closed + "/training: cannot reach " + closed
        + " (connection refused)", outcome);
    System.out.printf("unreachable namenode reported in %d ms%n", outcome.millis());
  }

  @Test
  void aFileWhereTheOutputFolderShouldBeIsReportedAndKept() throws Exception {
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path("/errors/file");
    try (var out = HDFS.fileSystem().create(file)) {
      out.writeBytes("x");
    }
    StoredFiles.Outcome outcome = generate(List.of(HDFS.hdfsConfigurationOption()), HDFS.uri() + "/errors/file/sub");
    assertEquals(1, outcome.err().size(), outcome.err().toString());
    assertTrue(outcome.err().get(0).startsWith("iotbench generate: error: --output=" + HDFS.uri() + "/errors/file/sub: "),
        outcome.err().get(0));
    assertEquals(Cli.EXIT_USAGE, outcome.code());
    assertEquals(1, HDFS.fileSystem().getFileStatus(file).getLen());
  }

  @Test
  void missingInputPath() {
    var options = Cli.parse(new String[] {"--output=x", HDFS.hdfsConfigurationOption()},
        GenerateTrainingData.Options.class);
    String missing = HDFS.uri() + "/no/such/folder/part-*";
    assertEquals("--input=" + missing + ": no such file (nothing matches)",
        assertThrows(InvalidOptionException.class, () -> StorageCheck.checkInput(options, "input", missing))
            .getMessage());
    assertFalse(outputExists("/no"));
  }

  private static boolean outputExists(String path) {
    try {
      return HDFS.fileSystem().exists(new org.apache.hadoop.fs.Path(path));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void permissionDeniedForAnotherUser() throws Exception {
    String output = HDFS.uri() + "/denied/training";
    StoredFiles.Launched launched = StoredFiles.launch(Map.of("HADOOP_USER_NAME", "nobody"), 30_000,
        List.of("generate", "--rows=100", "--sensors=5", HDFS.hdfsConfigurationOption(), "--output=" + output));
    assertEquals(1, launched.err().size(), launched.err().toString());
    String line = launched.err().get(0);
    assertTrue(line.startsWith("iotbench generate: error: --output=" + output + ": permission denied: "), line);
    assertTrue(line.contains("user=nobody, access=WRITE"), line);
    assertEquals(Cli.EXIT_USAGE, launched.code());
    assertFalse(outputExists("/denied"));
    System.out.printf("HDFS permission denied reported in %d ms: %s%n", launched.millis(), line);
  }
}
