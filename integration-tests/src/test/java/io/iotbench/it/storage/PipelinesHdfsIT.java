package io.iotbench.it.storage;

import io.iotbench.it.harness.HdfsServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** generate, prepare, train and evaluate with every input and output on a real HDFS give what they give on local disk. */
class PipelinesHdfsIT {
  @RegisterExtension static final HdfsServer HDFS = new HdfsServer();

  @TempDir Path temp;

  @ParameterizedTest
  @ValueSource(strings = {"direct", "spark"})
  void sameResultsAsOnLocalDisk(String runner) throws Exception {
    String[] flags = runner.equals("direct") ? StoredFiles.DIRECT : StoredFiles.SPARK;
    PipelineChain.Result local = PipelineChain.run(temp.resolve("local").toString(), flags, List.of());
    PipelineChain.Result remote =
        PipelineChain.run(HDFS.uri() + "/chain/" + runner, flags, List.of(HDFS.hdfsConfigurationOption()));
    PipelineChain.assertSame(local, remote);
  }
}
