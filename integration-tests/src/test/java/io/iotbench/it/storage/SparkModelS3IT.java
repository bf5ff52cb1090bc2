package io.iotbench.it.storage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.it.harness.S3Server;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark SQL Parquet and an MLlib model on a real S3-compatible store through s3a://, set up from the same options as
 * Beam's s3:// (see SparkModelRoundTrip). Credentials come from the default chains of both AWS SDKs, here their
 * system-property sources; v1 (hadoop-aws) names the secret {@code aws.secretKey}, v2 (Beam) {@code
 * aws.secretAccessKey}. The environment variables AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY serve both.
 */
class SparkModelS3IT {
  // Its own bucket: Hadoop caches one s3a file system per bucket name for the JVM, with the endpoint it first saw.
  @RegisterExtension static final S3Server S3 = new S3Server("spark-it");

  @TempDir Path temp;

  @Test
  void parquetAndModelRoundTripLikeOnLocalDisk() throws Exception {
    SparkModelRoundTrip.Result local = SparkModelRoundTrip.run(temp.resolve("local").toString(), List.of());
    SparkModelRoundTrip.Result remote =
        SparkModelRoundTrip.run("s3://" + S3.bucket() + "/it/spark", S3.pipelineOptions());
    SparkModelRoundTrip.assertSame(local, remote);
    assertTrue(S3.keys("it/spark/model/mllib/data/").stream().anyMatch(k -> k.endsWith(".parquet")),
        S3.keys("it/spark/").toString());
  }
}
