package io.iotbench.pipelines.common.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.generate.GenerateTrainingData;
import io.iotbench.pipelines.testing.ConsoleCapture;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.io.hdfs.HadoopFileSystemOptions;
import org.apache.hadoop.conf.Configuration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StorageSetupTest {

  private static GenerateTrainingData.Options parse(String... args) {
    return Cli.parse(args, GenerateTrainingData.Options.class);
  }

  @Test
  void everyCommandGetsThePathStyleCapableFactoryAndTheOption() {
    GenerateTrainingData.Options options = parse("--output=s3://b/x", "--s3PathStyleAccess=true");
    assertSame(S3CompatibleClientBuilderFactory.class, options.as(S3Options.class).getS3ClientFactoryClass());
    assertTrue(options.as(StorageOptions.class).getS3PathStyleAccess());
    assertFalse(parse("--output=x").as(StorageOptions.class).getS3PathStyleAccess());
  }

  @Test
  void aHadoopConfigurationWithTheLocalDefaultFileSystemDoesNotClaimTheFileScheme() {
    // As a single-machine YARN's HADOOP_CONF_DIR gives it: without the fix, registering the file systems fails
    // with "Scheme: [file] has conflicting filesystems".
    GenerateTrainingData.Options options =
        parse(
            "--output=x",
            "--hdfsConfiguration=[{\"fs.defaultFS\":\"file:///\"},{\"fs.defaultFS\":\"hdfs://127.0.0.1:8020\"}]");
    List<Configuration> kept = options.as(HadoopFileSystemOptions.class).getHdfsConfiguration();
    assertEquals(1, kept.size());
    assertEquals("hdfs://127.0.0.1:8020", kept.get(0).get("fs.defaultFS"));
    FileSystems.setDefaultPipelineOptions(options);
    ResourceId local = FileSystems.matchNewResource("/tmp/x", false);
    assertEquals("file", local.getScheme());

    GenerateTrainingData.Options onlyLocal = parse("--output=x", "--hdfsConfiguration=[{\"fs.defaultFS\":\"file:///\"}]");
    assertEquals(null, onlyLocal.as(HadoopFileSystemOptions.class).getHdfsConfiguration());
    FileSystems.setDefaultPipelineOptions(onlyLocal);
    assertEquals("file", FileSystems.matchNewResource("/tmp/x", false).getScheme());
  }

  @Test
  void aFactoryGivenByTheUserIsKept() {
    GenerateTrainingData.Options options =
        parse("--output=x", "--s3ClientFactoryClass=" + DefaultS3ClientBuilderFactory.class.getName());
    // Beam's default class named explicitly is indistinguishable from the default: ours replaces it, and ours
    // builds the same client when --s3PathStyleAccess is off. Any other class stays.
    assertSame(S3CompatibleClientBuilderFactory.class, options.as(S3Options.class).getS3ClientFactoryClass());
    GenerateTrainingData.Options custom =
        parse("--output=x", "--s3ClientFactoryClass=" + CustomFactory.class.getName());
    assertSame(CustomFactory.class, custom.as(S3Options.class).getS3ClientFactoryClass());
  }

  @Test
  void credentialsGivenAsAnOptionAreRefusedWithoutEchoingTheSecret() throws Exception {
    ConsoleCapture console = new ConsoleCapture();
    String provider = "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\","
        + "\"accessKeyId\":\"AKIAEXAMPLE\",\"secretAccessKey\":\"TOPSECRET\"}";
    int code = console.capture(() -> Cli.execute("generate", new String[] {"--output=x", provider},
        GenerateTrainingData.Options.class, o -> 0));
    assertEquals(Cli.EXIT_USAGE, code);
    assertEquals(
        java.util.List.of("iotbench generate: error: --awsCredentialsProvider: keys given as an option end up in logs "
            + "and in the serialized pipeline; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, "
            + "instead"),
        console.errLines());
    assertFalse(String.join("\n", console.outLines()).contains("TOPSECRET"));
  }

  /** A user's own factory. */
  public static class CustomFactory extends DefaultS3ClientBuilderFactory {}
}
