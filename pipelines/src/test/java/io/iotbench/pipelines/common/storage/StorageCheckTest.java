package io.iotbench.pipelines.common.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.generate.GenerateTrainingData;
import io.iotbench.pipelines.testing.ConsoleCapture;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class StorageCheckTest {
  @TempDir Path temp;

  @BeforeAll
  static void credentials() {
    // The default chain reads system properties too: the unreachable-endpoint check needs some credentials.
    System.setProperty("aws.accessKeyId", "unit-test");
    System.setProperty("aws.secretAccessKey", "unit-test-secret");
  }

  @AfterAll
  static void noCredentials() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  private static PipelineOptions options(String... args) {
    return Cli.parse(args, GenerateTrainingData.Options.class);
  }

  private static String outputError(PipelineOptions options, String folder) {
    return assertThrows(InvalidOptionException.class, () -> StorageCheck.checkOutputFolder(options, "output", folder))
        .getMessage();
  }

  @Test
  void unknownSchemeIsNamedWithTheRemedy() {
    assertEquals("--output=foo://x: unknown scheme 'foo'; use a local path, hdfs://... or s3://bucket/...",
        outputError(options("--output=x"), "foo://x"));
    assertEquals("--input=foo://x/part-*: unknown scheme 'foo'; use a local path, hdfs://... or s3://bucket/...",
        assertThrows(InvalidOptionException.class,
            () -> StorageCheck.checkInput(options("--output=x"), "input", "foo://x/part-*")).getMessage());
  }

  @Test
  void hdfsWithoutConfigurationSaysWhichOptionIsMissing() {
    assertEquals("--output=hdfs://nn:8020/data: hdfs:// needs "
            + "--hdfsConfiguration=[{\"fs.defaultFS\":\"hdfs://NAMENODE:PORT\"}] (or HADOOP_CONF_DIR)",
        outputError(options("--output=x"), "hdfs://nn:8020/data"));
  }

  @Test
  void aWritableLocalFolderPassesAndKeepsNoProbe() throws IOException {
    Path out = temp.resolve("out");
    Files.createDirectories(out);
    StorageCheck.checkOutputFolder(options("--output=x"), "output", out.toString());
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(List.of(), files.toList());
    }
  }

  @Test
  void checkingAMissingLocalFolderLeavesNoFolderBehind() {
    Path out = temp.resolve("new/deeper/out");
    StorageCheck.checkOutputFolder(options("--output=x"), "output", out.toString());
    assertFalse(Files.exists(temp.resolve("new")));
  }

  @Test
  void reachableSaysWhetherAnythingIsThere() throws IOException {
    Files.createDirectories(temp.resolve("full"));
    Files.writeString(temp.resolve("full/part-0"), "x");
    assertTrue(StorageCheck.checkReachable(options("--output=x"), "input", temp.resolve("full").toString()));
    assertTrue(StorageCheck.checkReachable(options("--output=x"), "input", temp.resolve("full/part-*").toString()));
    assertFalse(StorageCheck.checkReachable(options("--output=x"), "input", temp.resolve("empty").toString()));
    assertEquals("--input=" + temp.resolve("empty") + ": no such file or folder",
        assertThrows(InvalidOptionException.class,
            () -> StorageCheck.checkExisting(options("--output=x"), "input", temp.resolve("empty").toString()))
            .getMessage());
  }

  @Test
  void aFolderThatCannotBeCreatedIsReported() throws IOException {
    Path file = Files.writeString(temp.resolve("file"), "x");
    String message = outputError(options("--output=x"), file.resolve("sub").toString());
    assertTrue(message.startsWith("--output=" + file.resolve("sub") + ": "), message);
  }

  @Test
  void aMissingInputIsReported() {
    String glob = temp.resolve("nothing/part-*").toString();
    assertEquals("--input=" + glob + ": no such file (nothing matches)",
        assertThrows(InvalidOptionException.class,
            () -> StorageCheck.checkInput(options("--output=x"), "input", glob)).getMessage());
  }

  @Test
  void anExistingInputIsCounted() throws IOException {
    Files.writeString(temp.resolve("part-00000-of-00002.csv"), "1\n");
    Files.writeString(temp.resolve("part-00001-of-00002.csv"), "0\n");
    assertEquals(2, StorageCheck.checkInput(options("--output=x"), "input", temp.resolve("part-*").toString()));
  }

  @Test
  void anUnreachableS3EndpointFailsFastInOneLine() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // closed again: nothing listens there
    }
    String endpoint = "http://127.0.0.1:" + port;
    long start = System.nanoTime();
    String message = outputError(
        options("--output=x", "--awsRegion=us-east-1", "--endpoint=" + endpoint, "--s3PathStyleAccess=true"),
        "s3://bucket/training");
    assertEquals("--output=s3://bucket/training: cannot reach the S3 endpoint " + endpoint + " (connection refused)",
        message);
    assertTrue(System.nanoTime() - start < 30_000_000_000L);
  }

  @Test
  void generateReportsABadOutputInOneLineAndExitsWithUsageError() throws Exception {
    ConsoleCapture console = new ConsoleCapture();
    int code = console.capture(() -> Cli.execute("generate", new String[] {"--output=foo://x", "--rows=10"},
        GenerateTrainingData.Options.class, o -> GenerateTrainingData.run(o) == null ? 1 : 0));
    assertEquals(Cli.EXIT_USAGE, code);
    assertEquals(List.of("iotbench generate: error: --output=foo://x: unknown scheme 'foo'; use a local path, "
        + "hdfs://... or s3://bucket/..."), console.errLines());
  }

  @Test
  void storeErrorsAreDescribedInTheUsersTerms() {
    PipelineOptions options = options("--output=x", "--endpoint=http://127.0.0.1:9000", "--awsRegion=us-east-1");
    String location = "s3://missing/data";
    assertEquals("bucket 'missing' does not exist at the S3 endpoint http://127.0.0.1:9000",
        StorageCheck.describe(new IOException(NoSuchBucketException.builder().statusCode(404).build()), location, options));
    S3Exception denied = (S3Exception) S3Exception.builder().statusCode(403)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidAccessKeyId").build()).build();
    assertEquals("access denied by the S3 endpoint http://127.0.0.1:9000 (InvalidAccessKeyId); check "
            + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE and the bucket's permissions",
        StorageCheck.describe(new IOException(denied), location, options));
    assertEquals("no AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE",
        StorageCheck.describe(SdkClientException.create("Unable to load credentials from any of the providers"),
            location, options));
    assertEquals("cannot reach hdfs://nn:8020 (connection refused)",
        StorageCheck.describe(new IOException("Call failed", new ConnectException("Connection refused")),
            "hdfs://nn:8020/data", options));
    assertEquals("cannot reach AWS S3 (connection refused)",
        StorageCheck.describe(new ConnectException("Connection refused"), location, options("--output=x")));
    assertFalse(StorageCheck.describe(new IOException("disk full"), "/data", options).isEmpty());
  }
}
