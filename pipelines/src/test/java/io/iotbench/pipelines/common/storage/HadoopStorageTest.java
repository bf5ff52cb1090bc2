package io.iotbench.pipelines.common.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.generate.GenerateTrainingData;
import java.nio.file.Paths;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class HadoopStorageTest {

  @Test
  void s3BecomesS3aLocalPathsBecomeFileUrisAndHdfsStays() {
    assertEquals("s3a://bucket/models/lr", HadoopStorage.hadoopPath("s3://bucket/models/lr"));
    assertEquals("hdfs://nn:8020/models/lr", HadoopStorage.hadoopPath("hdfs://nn:8020/models/lr"));
    assertEquals("file:///data/models/lr", HadoopStorage.hadoopPath("/data/models/lr"));
    assertEquals("file://" + Paths.get("models").toAbsolutePath(), HadoopStorage.hadoopPath("models"));
    assertEquals("s3://bucket/models/lr", HadoopStorage.beamPath("s3a://bucket/models/lr"));
  }

  @Test
  void s3aGetsTheSameEndpointRegionPathStyleAndCredentialSourcesAsBeam() {
    GenerateTrainingData.Options options = Cli.parse(new String[] {"--output=x", "--awsRegion=eu-west-1",
        "--endpoint=http://127.0.0.1:9000", "--s3PathStyleAccess=true",
        "--hdfsConfiguration=[{\"fs.defaultFS\":\"hdfs://127.0.0.1:8020\",\"dfs.replication\":\"1\"}]"},
        GenerateTrainingData.Options.class);
    assertEquals(
        Map.of(
            "fs.defaultFS", "hdfs://127.0.0.1:8020",
            "dfs.replication", "1",
            "fs.s3a.endpoint", "http://127.0.0.1:9000",
            "fs.s3a.connection.ssl.enabled", "false",
            "fs.s3a.endpoint.region", "eu-west-1",
            "fs.s3a.path.style.access", "true",
            "fs.s3a.aws.credentials.provider", "com.amazonaws.auth.DefaultAWSCredentialsProviderChain"),
        HadoopStorage.settings(options));

    Configuration conf = new Configuration(false);
    HadoopStorage.configure(conf, options);
    assertEquals("http://127.0.0.1:9000", conf.get("fs.s3a.endpoint"));
    assertEquals("hdfs://127.0.0.1:8020", conf.get("fs.defaultFS"));
  }

  @Test
  void realAwsNeedsNoEndpointAndKeepsVirtualHostStyle() {
    GenerateTrainingData.Options options =
        Cli.parse(new String[] {"--output=x", "--awsRegion=us-east-2"}, GenerateTrainingData.Options.class);
    assertEquals(
        Map.of(
            "fs.s3a.endpoint.region", "us-east-2",
            "fs.s3a.path.style.access", "false",
            "fs.s3a.aws.credentials.provider", "com.amazonaws.auth.DefaultAWSCredentialsProviderChain"),
        HadoopStorage.settings(options));
  }
}
