package io.iotbench.it.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.it.harness.S3Server;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.common.storage.StorageCheck;
import io.iotbench.pipelines.evaluate.EvaluateModel;
import io.iotbench.pipelines.generate.GenerateTrainingData;
import io.iotbench.pipelines.prepare.PrepareTrainingSet;
import io.iotbench.pipelines.score.ScoreSensorStream;
import io.iotbench.pipelines.train.TrainModel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Storage errors against a real S3-compatible store (credentials, an unknown scheme, a missing bucket or path,
 * access denied, an unreachable endpoint): each gives exactly one error line, exit code 2, within 30 s, and leaves nothing behind in the store. Most run the command in this JVM (as {@code Cli.main} does,
 * minus the {@code System.exit}); one runs {@code runners/bin/iotbench} as a user would, credentials in the
 * environment.
 */
class StorageErrorsS3IT {
  @RegisterExtension static final S3Server S3 = new S3Server();

  private static final String[] DATA = {"--rows=100", "--sensors=5", "--partitions=2"};
  private static final long LIMIT_MILLIS = 30_000;
  /** A local file that exists, for the options whose location is not the one under test. */
  private static final String EVENTS = localFile();

  @BeforeEach
  void credentials() {
    System.setProperty("aws.accessKeyId", S3.accessKey());
    System.setProperty("aws.secretAccessKey", S3.secretKey());
  }

  @AfterEach
  void noCredentials() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  private static StoredFiles.Outcome generate(List<String> store, String output) {
    return StoredFiles.execute("generate", StoredFiles.args(DATA, store, "--output=" + output),
        GenerateTrainingData.Options.class, o -> GenerateTrainingData.run(o).getState().isTerminal() ? 0 : 1);
  }

  private static void assertOneLine(String expected, StoredFiles.Outcome outcome) {
    assertEquals(List.of(expected), outcome.err());
    assertEquals(Cli.EXIT_USAGE, outcome.code());
    assertTrue(outcome.millis() < LIMIT_MILLIS, outcome.millis() + " ms");
  }

  @Test
  void unknownScheme() {
    assertOneLine("iotbench generate: error: --output=foo://x/training: unknown scheme 'foo'; use a local path, "
        + "hdfs://... or s3://bucket/...", generate(S3.pipelineOptions(), "foo://x/training"));
  }

  @Test
  void missingBucket() {
    assertOneLine("iotbench generate: error: --output=s3://no-such-bucket/training: bucket 'no-such-bucket' does not "
        + "exist at the S3 endpoint " + S3.endpoint(), generate(S3.pipelineOptions(), "s3://no-such-bucket/training"));
    try (var s3 = S3.client()) {
      assertEquals(List.of(S3.bucket()), s3.listBuckets().buckets().stream().map(b -> b.name()).toList());
    }
  }

  @Test
  void wrongSecretKeyIsAccessDeniedAndWritesNothing() {
    System.setProperty("aws.secretAccessKey", "not-the-secret");
    assertOneLine("iotbench generate: error: --output=s3://" + S3.bucket() + "/denied/training: access denied by the "
            + "S3 endpoint " + S3.endpoint() + " (SignatureDoesNotMatch); check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY "
            + "or AWS_PROFILE and the bucket's permissions",
        generate(S3.pipelineOptions(), "s3://" + S3.bucket() + "/denied/training"));
    assertEquals(List.of(), S3.keys("denied/"));
  }

  @Test
  void unknownAccessKeyIsAccessDenied() {
    System.setProperty("aws.accessKeyId", "nobody");
    assertOneLine("iotbench generate: error: --output=s3://" + S3.bucket() + "/denied2/training: access denied by the "
            + "S3 endpoint " + S3.endpoint() + " (InvalidAccessKeyId); check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY "
            + "or AWS_PROFILE and the bucket's permissions",
        generate(S3.pipelineOptions(), "s3://" + S3.bucket() + "/denied2/training"));
    assertEquals(List.of(), S3.keys("denied2/"));
  }

  @Test
  void unreachableEndpoint() throws IOException {
    String closed = "http://127.0.0.1:" + closedPort();
    List<String> store = List.of("--awsRegion=us-east-1", "--endpoint=" + closed, "--s3PathStyleAccess=true");
    assertOneLine("iotbench generate: error: --output=s3://" + S3.bucket() + "/training: cannot reach the S3 endpoint "
        + closed + " (connection refused)", generate(store, "s3://" + S3.bucket() + "/training"));
  }

  @Test
  void missingInputPathAndBucket() {
    var options = Cli.parse(StoredFiles.args(new String[] {"--output=x"}, S3.pipelineOptions()),
        GenerateTrainingData.Options.class);
    String missing = "s3://" + S3.bucket() + "/no/such/folder/part-*";
    assertEquals("--input=" + missing + ": no such file (nothing matches)",
        assertThrows(InvalidOptionException.class, () -> StorageCheck.checkInput(options, "input", missing))
            .getMessage());
    assertEquals("--input=s3://no-such-bucket/part-*: bucket 'no-such-bucket' does not exist at the S3 endpoint "
            + S3.endpoint(),
        assertThrows(InvalidOptionException.class,
            () -> StorageCheck.checkInput(options, "input", "s3://no-such-bucket/part-*")).getMessage());
  }

  @Test
  void theLauncherTakesCredentialsFromTheEnvironmentAndFailsInOneLine() throws Exception {
    List<String> args = new ArrayList<>(List.of("generate"));
    args.addAll(List.of(DATA));
    args.addAll(S3.pipelineOptions());
    args.add("--output=s3://" + S3.bucket() + "/launcher/training");
    StoredFiles.Launched launched = StoredFiles.launch(
        Map.of("AWS_ACCESS_KEY_ID", S3.accessKey(), "AWS_SECRET_ACCESS_KEY", "wrong-secret"),
        LIMIT_MILLIS, args);
    assertEquals(List.of("iotbench generate: error: --output=s3://" + S3.bucket() + "/launcher/training: access "
        + "denied by the S3 endpoint " + S3.endpoint() + " (SignatureDoesNotMatch); check "
        + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE and the bucket's permissions"), launched.err());
    assertEquals(Cli.EXIT_USAGE, launched.code());
    assertFalse(String.join("\n", launched.err()).contains("wrong-secret"));
    assertEquals(List.of(), S3.keys("launcher/"));
    System.out.printf("launcher: access denied reported in %d ms%n", launched.millis());
  }

  private static StoredFiles.Outcome prepare(List<String> store, String input, String output) {
    return StoredFiles.execute("prepare", StoredFiles.args(new String[0], store, "--input=" + input, "--output=" + output),
        PrepareTrainingSet.Options.class, o -> PrepareTrainingSet.run(o).getState().isTerminal() ? 0 : 1);
  }

  private static StoredFiles.Outcome train(List<String> store, String input, String model) {
    return StoredFiles.execute("train", StoredFiles.args(new String[0], store, "--input=" + input, "--model=" + model),
        TrainModel.Options.class, o -> {
          TrainModel.run(o);
          return 0;
        });
  }

  private static StoredFiles.Outcome evaluate(List<String> store, String input, String model, String output) {
    return StoredFiles.execute("evaluate", StoredFiles.args(new String[0], store, "--input=" + input,
        "--model=" + model, "--output=" + output), EvaluateModel.Options.class,
        o -> EvaluateModel.run(o).getState().isTerminal() ? 0 : 1);
  }

  private static StoredFiles.Outcome score(List<String> store, String model, String... more) {
    return StoredFiles.execute("score", StoredFiles.args(new String[] {"--source=file", "--inputFile=" + EVENTS,
        "--sensors=5", "--model=" + model}, store, more), ScoreSensorStream.Options.class,
        o -> ScoreSensorStream.exitCode(ScoreSensorStream.run(o)));
  }

  @Test
  void prepareTrainEvaluateAndScoreCheckTheirLocationsBeforeStarting() {
    String bucket = "s3://" + S3.bucket();
    List<String> store = S3.pipelineOptions();
    String noBucket = " bucket 'no-such-bucket' does not exist at the S3 endpoint " + S3.endpoint();
    assertOneLine("iotbench prepare: error: --input=s3://no-such-bucket/training:" + noBucket,
        prepare(store, "s3://no-such-bucket/training", bucket + "/p/prepared"));
    assertOneLine("iotbench prepare: error: --output=s3://no-such-bucket/prepared:" + noBucket,
        prepare(store, EVENTS, "s3://no-such-bucket/prepared"));
    assertOneLine("iotbench train: error: --input=" + bucket + "/t/none: no such file or folder",
        train(store, bucket + "/t/none", bucket + "/t/model"));
    assertOneLine("iotbench evaluate: error: --model=" + bucket + "/e/no-model: no model there (" + bucket
        + "/e/no-model/model.json does not exist); train one with iotbench train",
        evaluate(store, EVENTS, bucket + "/e/no-model", bucket + "/e/evaluation"));
    StoredFiles.Outcome noModel = score(store, bucket + "/s/no-model");
    assertOneLine(noModel.err().get(0), noModel);
    assertTrue(noModel.err().get(0).startsWith("iotbench score: error: --model=" + bucket + "/s/no-model: ")
        && noModel.err().get(0).contains("does not exist"), noModel.err().get(0));
    assertOneLine("iotbench score: error: --model=s3://no-such-bucket/model:" + noBucket,
        score(store, "s3://no-such-bucket/model"));
    assertEquals(List.of(), S3.keys("p/"));
    assertEquals(List.of(), S3.keys("t/"));
    assertEquals(List.of(), S3.keys("e/"));
  }

  @Test
  void prepareTrainEvaluateAndScoreReportAccessDeniedAndAnUnreachableStore() throws IOException {
    String bucket = "s3://" + S3.bucket();
    List<String> store = S3.pipelineOptions();
    System.setProperty("aws.secretAccessKey", "not-the-secret");
    // A listing names the store's error code; a HEAD request (one object) gets a 403 without a body, so no code.
    String denied = ": access denied by the S3 endpoint " + S3.endpoint() + "; check "
        + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE and the bucket's permissions";
    assertOneLine("iotbench prepare: error: --output=" + bucket + "/d/prepared" + denied,
        withoutCode(prepare(store, EVENTS, bucket + "/d/prepared")));
    assertOneLine("iotbench train: error: --input=" + bucket + "/d/prepared" + denied,
        withoutCode(train(store, bucket + "/d/prepared", bucket + "/d/model")));
    assertOneLine("iotbench evaluate: error: --model=" + bucket + "/d/model" + denied,
        withoutCode(evaluate(store, EVENTS, bucket + "/d/model", bucket + "/d/evaluation")));
    assertOneLine("iotbench score: error: --model=" + bucket + "/d/model" + denied,
        withoutCode(score(store, bucket + "/d/model")));
    System.setProperty("aws.secretAccessKey", S3.secretKey());
    assertEquals(List.of(), S3.keys("d/"));

    String closed = "http://127.0.0.1:" + closedPort();
    List<String> unreachable = List.of("--awsRegion=us-east-1", "--endpoint=" + closed, "--s3PathStyleAccess=true");
    String refused = ": cannot reach the S3 endpoint " + closed + " (connection refused)";
    assertOneLine("iotbench train: error: --input=" + bucket + "/prepared" + refused,
        train(unreachable, bucket + "/prepared", bucket + "/model"));
    assertOneLine("iotbench score: error: --model=" + bucket + "/model" + refused, score(unreachable, bucket + "/model"));
  }

  private static StoredFiles.Outcome withoutCode(StoredFiles.Outcome outcome) {
    return new StoredFiles.Outcome(outcome.code(),
        outcome.err().stream().map(line -> line.replace(" (SignatureDoesNotMatch)", "")).toList(), outcome.millis());
  }

  private static String localFile() {
    try {
      Path file = Files.createTempFile("storage-errors", ".csv");
      file.toFile().deleteOnExit();
      Files.writeString(file, "1,0.5,0.5,0.5,0.5,0.5\n");
      return file.toString();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort(); // closed when this returns: nothing listens there
    }
  }
}
