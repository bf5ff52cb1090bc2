package io.iotbench.it.storage;

import io.iotbench.it.harness.S3Server;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * generate, prepare, train and evaluate with every input and output on a real S3-compatible store give what they give
 * on local disk; train's MLlib side goes through s3a:// (HadoopStorage). Credentials: see SparkModelS3IT.
 */
class PipelinesS3IT {
  // Its own bucket: Hadoop caches one s3a file system per bucket name for the JVM, with the endpoint it first saw.
  @RegisterExtension static final S3Server S3 = new S3Server("chain-it");

  @TempDir Path temp;

  @ParameterizedTest
  @ValueSource(strings = {"direct", "spark"})
  void sameResultsAsOnLocalDisk(String runner) throws Exception {
    String[] flags = runner.equals("direct") ? StoredFiles.DIRECT : StoredFiles.SPARK;
    PipelineChain.Result local = PipelineChain.run(temp.resolve("local").toString(), flags, List.of());
    PipelineChain.Result remote =
        PipelineChain.run("s3://" + S3.bucket() + "/chain/" + runner, flags, S3.pipelineOptions());
    PipelineChain.assertSame(local, remote);
  }
}
