package io.iotbench.it.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.it.harness.S3Server;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.generate.GenerateTrainingData;
import io.iotbench.pipelines.prepare.PrepareTrainingSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Train here, score there", as the VMware article does it with two clusters: {@code iotbench train} writes
 * the model to S3 in one process, and {@code iotbench score} in another process (nothing shared but the store) reads
 * it from S3 and scores a recorded stream. Both are launched as a user would, credentials in the environment only.
 * The second process's decisions must equal those of a scorer run in this JVM with the same model read from S3.
 */
class TrainHereScoreThereS3IT {
  // Its own bucket: Hadoop caches one s3a file system per bucket name for the JVM, with the endpoint it first saw.
  @RegisterExtension static final S3Server S3 = new S3Server("handover-it");

  private static final long LIMIT_MILLIS = 300_000;

  @TempDir Path temp;

  @Test
  void aModelTrainedIntoS3InOneProcessScoresAStreamInAnother() throws Exception {
    String base = "s3://" + S3.bucket() + "/handover";
    String model = base + "/model";
    List<String> store = S3.pipelineOptions();
    assertDone(GenerateTrainingData.run(Cli.parse(StoredFiles.args(StoredFiles.DIRECT, store, "--rows=3000",
        "--sensors=10", "--partitions=2", "--seed=3", "--output=" + base + "/training"), GenerateTrainingData.Options.class)));
    assertDone(PrepareTrainingSet.run(Cli.parse(StoredFiles.args(StoredFiles.DIRECT, store,
        "--input=" + base + "/training", "--output=" + base + "/prepared", "--sensors=10", "--seed=4"),
        PrepareTrainingSet.Options.class)));
    Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", S3.accessKey(),
        "AWS_SECRET_ACCESS_KEY", S3.secretKey());

    StoredFiles.Launched trained = StoredFiles.launch(env, LIMIT_MILLIS, command("train", store,
        "--sparkMaster=local[2]", "--input=" + base + "/prepared", "--model=" + model,
        "--algorithm=logistic-regression", "--maxIter=20", "--seed=5"));
    assertEquals(0, trained.code(), String.join("\n", trained.err()));
    assertTrue(S3.keys("handover/model/").contains("handover/model/model.json"), S3.keys("handover/model/").toString());

    // The reference: this JVM scores the recorded stream with the model it reads from S3.
    Path here = temp.resolve("here");
    List<String> expected = PipelineChain.score(here.toString(), StoredFiles.DIRECT, store, model);

    Path there = temp.resolve("there");
    StoredFiles.Launched scored = StoredFiles.launch(env, LIMIT_MILLIS, command("score", store,
        "--runner=DirectRunner", "--source=file", "--inputFile=" + here.resolve("events/stream.csv"),
        "--model=" + model, "--sensors=10", "--devices=2", "--interval=1",
        "--decisionsOutput=" + there.resolve("decisions/decisions")));
    assertEquals(0, scored.code(), String.join("\n", scored.err()));
    assertFalse((String.join("\n", trained.err()) + String.join("\n", scored.err())).contains(S3.secretKey()));

    List<String> actual;
    try (Stream<Path> files = Files.list(there.resolve("decisions"))) {
      actual = files.filter(f -> !f.getFileName().toString().startsWith(".")).flatMap(f -> lines(f).stream())
          .sorted().toList();
    }
    assertEquals(expected, actual);
    System.out.printf("train (process 1) %d ms, score (process 2) %d ms, %d decisions%n", trained.millis(),
        scored.millis(), actual.size());
  }

  private static List<String> command(String name, List<String> store, String... args) {
    List<String> all = new ArrayList<>(List.of(name));
    all.addAll(store);
    all.addAll(List.of(args));
    return all;
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void assertDone(PipelineResult result) {
    assertEquals(PipelineResult.State.DONE, result.getState());
  }
}
