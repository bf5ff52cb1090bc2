package io.iotbench.it.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotbench.it.harness.Iotbench;
import io.iotbench.model.scoring.PortableModel;
import io.iotbench.model.scoring.Prediction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iotbench serve} as a user runs it, called with {@code curl}: the workshop's body with a generated access key,
 * a batch, the V2 endpoints, the errors, and a model replaced while it runs.
 */
@Timeout(120)
class ServeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WORKSHOP_ROW = "0, 65, 0, 137, 21.95, 83, 19.42, 111, 9.4, 6, 3.43, 4";
  private static final double[] ROW = {0, 65, 0, 137, 21.95, 83, 19.42, 111, 9.4, 6, 3.43, 4};
  private static final PortableModel FIRST = model(0.01);
  private static final PortableModel SECOND = model(-0.01);
  private static final Pattern LISTENING = Pattern.compile(".*listening on http://127\\.0\\.0\\.1:(\\d+) .*");

  @TempDir Path temp;

  private static PortableModel model(double weight) {
    double[] coefficients = new double[12];
    java.util.Arrays.fill(coefficients, weight);
    return PortableModel.logisticRegression(coefficients, 0.0, 0.5, Map.of());
  }

  record Curl(int status, JsonNode body) {}

  /** {@code curl -s} with the given arguments; the status from {@code -w}, the body as JSON. */
  static Curl curl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("/usr/bin/curl", "-s", "--max-time", "10", "-w", "\n%{http_code}"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(15, TimeUnit.SECONDS), "curl did not end");
    assertEquals(0, process.exitValue(), "curl failed: " + out);
    int newline = out.lastIndexOf('\n');
    return new Curl(Integer.parseInt(out.substring(newline + 1).strip()), JSON.readTree(out.substring(0, newline)));
  }

  private static String version(PortableModel model) throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(model.toBytes());
    return HexFormat.of().formatHex(digest, 0, 8);
  }

  @Test
  void servesTheWorkshopRequestWithAKeyAndPicksUpANewModel() throws Exception {
    Path folder = Files.createDirectories(temp.resolve("workshop"));
    Path modelFile = folder.resolve("model.json");
    Files.write(modelFile, FIRST.toBytes());
    Path keyFile = temp.resolve("key");
    try (Iotbench.Running serve = Iotbench.start("serve", "--model=" + folder, "--port=0", "--accessKey=generate",
        "--accessKeyFile=" + keyFile, "--reloadOnChange", "--reloadInterval=200ms")) {
      Matcher listening = LISTENING.matcher(serve.awaitLine(line -> LISTENING.matcher(line).matches(), Duration.ofSeconds(45)));
      assertTrue(listening.matches());
      String base = "http://127.0.0.1:" + listening.group(1);
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
      String key = Files.readAllLines(keyFile).get(0);
      assertEquals(64, key.length());
      String bearer = "Authorization: Bearer " + key;

      Curl workshop = curl("-H", bearer, "-H", "Content-Type: application/json",
          "-d", "{\"feature\": \"" + WORKSHOP_ROW + "\"}", base + "/predict");
      Prediction expected = FIRST.scorer().score(ROW);
      assertEquals(200, workshop.status(), workshop.body().toString());
      assertEquals(1, expected.label());
      assertEquals(1, workshop.body().get("result").asInt());
      assertEquals(expected.probability(), workshop.body().get("probability").asDouble(), 0.0);
      assertEquals(version(FIRST), workshop.body().get("model_version").asText());

      Curl batch = curl("-H", "X-Access-Key: " + key, "-d", "{\"instances\": [[" + WORKSHOP_ROW + "], [" + WORKSHOP_ROW + "]]}",
          base + "/predict");
      assertEquals(200, batch.status());
      assertEquals("[1,1]", batch.body().get("result").toString());

      assertEquals(401, curl("-d", "{\"feature\": \"" + WORKSHOP_ROW + "\"}", base + "/predict").status());
      assertEquals(401, curl("-H", "Authorization: Bearer wrong-key-0000", base + "/v2/health/live").status());
      Curl wrongCount = curl("-H", bearer, "-d", "{\"feature\": \"1, 2, 3\"}", base + "/predict");
      assertEquals(400, wrongCount.status());
      assertEquals("wrong feature count: 'feature' has 3 values, the model takes 12", wrongCount.body().get("error").asText());
      assertEquals(400, curl("-H", bearer, "-d", "{\"feature\": ", base + "/predict").status());
      assertEquals(404, curl("-H", bearer, base + "/v2/models/other").status());
      assertEquals(405, curl("-H", bearer, base + "/predict").status());

      assertTrue(curl("-H", bearer, base + "/v2/health/ready").body().get("ready").asBoolean());
      Curl meta = curl("-H", bearer, base + "/v2/models/workshop");
      assertEquals(200, meta.status());
      assertEquals("[-1,12]", meta.body().get("inputs").get(0).get("shape").toString());
      Curl infer = curl("-H", bearer, "-d", "{\"id\": \"42\", \"inputs\": [{\"name\": \"features\", \"shape\": [1, 12],"
          + " \"datatype\": \"FP64\", \"data\": [" + WORKSHOP_ROW + "]}]}", base + "/v2/models/workshop/infer");
      assertEquals(200, infer.status(), infer.body().toString());
      assertEquals("42", infer.body().get("id").asText());
      assertEquals("workshop", infer.body().get("model_name").asText());
      assertEquals("[1]", infer.body().get("outputs").get(0).get("data").toString());

      // A new model, written beside and renamed over the old one, answers without a restart.
      Path next = folder.resolve(".model.json.new");
      Files.write(next, SECOND.toBytes());
      Files.move(next, modelFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      Curl after;
      do {
        Thread.sleep(100);
        after = curl("-H", bearer, "-d", "{\"feature\": \"" + WORKSHOP_ROW + "\"}", base + "/predict");
      } while (!after.body().path("model_version").asText().equals(version(SECOND)) && System.nanoTime() < deadline);
      assertEquals(version(SECOND), after.body().get("model_version").asText());
      assertEquals(0, after.body().get("result").asInt());
      assertEquals(SECOND.scorer().probability(ROW), after.body().get("probability").asDouble(), 0.0);

      serve.stop(Duration.ofSeconds(20));
    }
  }

  @Test
  void aMissingModelIsOneLineAndExitTwo() throws Exception {
    Iotbench.Result result = Iotbench.run(Duration.ofSeconds(60), "serve", "--model=" + temp.resolve("none"), "--port=0");
    // Nothing started: the status of a bad option.
    assertEquals(2, result.status(), result.err().toString());
    assertEquals(List.of("iotbench serve: error: model file " + temp.resolve("none").resolve("model.json")
        + " does not exist (train a model first, or give --model a model folder)"), result.err());
  }
}
