package io.iotbench.it.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.it.harness.HdfsServer;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.generate.GenerateTrainingData;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code generate} with its output on a real HDFS writes exactly the files it writes to local disk, on both runners. */
class GenerateHdfsIT {
  @RegisterExtension static final HdfsServer HDFS = new HdfsServer();

  @TempDir Path temp;

  private static final String[] DATA = {"--rows=2000", "--sensors=12", "--partitions=3", "--seed=11"};

  @ParameterizedTest
  @ValueSource(strings = {"direct", "spark"})
  void writesTheSameFilesAsOnLocalDisk(String runner) throws Exception {
    String[] flags = runner.equals("direct") ? StoredFiles.DIRECT : StoredFiles.SPARK;
    List<String> store = List.of(HDFS.hdfsConfigurationOption());
    String local = temp.resolve("local").toString();
    String remote = HDFS.uri() + "/it/" + runner + "/training";

    run(StoredFiles.args(flags, List.of(DATA), "--output=" + local));
    run(StoredFiles.args(flags, store, StoredFiles.args(DATA, List.of(), "--output=" + remote)));

    Map<String, byte[]> expected = StoredFiles.read(local, List.of());
    Map<String, byte[]> actual = StoredFiles.read(remote, store);
    assertEquals(3, expected.size());
    assertEquals(expected.keySet(), actual.keySet());
    for (String name : expected.keySet()) {
      assertArrayEquals(expected.get(name), actual.get(name), name);
    }
    // Checked with Hadoop's own client too: Beam's view and the namenode's agree, and no temporary file is left:
    // the three part files and the set's _SUCCESS marker.
    assertEquals(4, HDFS.fileSystem().listStatus(new org.apache.hadoop.fs.Path("/it/" + runner + "/training")).length);
    assertTrue(HDFS.fileSystem().exists(new org.apache.hadoop.fs.Path("/it/" + runner + "/training/_SUCCESS")));
  }

  private static void run(String[] args) throws Exception {
    PipelineResult result = GenerateTrainingData.run(Cli.parse(args, GenerateTrainingData.Options.class));
    assertTrue(result.getState() == PipelineResult.State.DONE, result.getState().toString());
  }
}
