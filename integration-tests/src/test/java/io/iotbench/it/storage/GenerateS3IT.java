package io.iotbench.it.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.it.harness.S3Server;
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

/**
 * {@code generate} with its output on a real S3-compatible store writes exactly the files it writes to local disk, on
 * both runners. Credentials reach the pipeline only through the AWS default provider chain: here its system-property
 * source (the environment of an already running JVM cannot be changed), as {@code -Daws.accessKeyId} would.
 */
class GenerateS3IT {
  @RegisterExtension static final S3Server S3 = new S3Server();

  @TempDir Path temp;

  private static final String[] DATA = {"--rows=2000", "--sensors=12", "--partitions=3", "--seed=11"};

  @ParameterizedTest
  @ValueSource(strings = {"direct", "spark"})
  void writesTheSameFilesAsOnLocalDisk(String runner) throws Exception {
    String[] flags = runner.equals("direct") ? StoredFiles.DIRECT : StoredFiles.SPARK;
    String local = temp.resolve("local").toString();
    String remote = "s3://" + S3.bucket() + "/it/" + runner + "/training";

    run(StoredFiles.args(flags, List.of(DATA), "--output=" + local));
    run(StoredFiles.args(flags, S3.pipelineOptions(), StoredFiles.args(DATA, List.of(), "--output=" + remote)));

    Map<String, byte[]> expected = StoredFiles.read(local, List.of());
    Map<String, byte[]> actual = StoredFiles.read(remote, S3.pipelineOptions());
    assertEquals(3, expected.size());
    assertEquals(expected.keySet(), actual.keySet());
    for (String name : expected.keySet()) {
      assertArrayEquals(expected.get(name), actual.get(name), name);
    }
    // The store itself holds exactly the part files and the set's marker: no temporary object, no write probe.
    assertEquals(List.of("_SUCCESS", "part-00000-of-00003.csv", "part-00001-of-00003.csv", "part-00002-of-00003.csv"),
        S3.keys("it/" + runner + "/training/").stream().map(k -> k.substring(k.lastIndexOf('/') + 1)).toList());
  }

  private static void run(String[] args) throws Exception {
    PipelineResult result = GenerateTrainingData.run(Cli.parse(args, GenerateTrainingData.Options.class));
    assertTrue(result.getState() == PipelineResult.State.DONE, result.getState().toString());
  }
}
