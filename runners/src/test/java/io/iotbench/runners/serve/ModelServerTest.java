package io.iotbench.runners.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotbench.model.scoring.Algorithm;
import io.iotbench.model.scoring.PortableModel;
import io.iotbench.model.scoring.Prediction;
import io.iotbench.model.scoring.Scorer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The model server against a real {@link HttpClient} on 127.0.0.1: every endpoint, every error, the key, reload. */
@Timeout(60)
class ModelServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  // label 1 iff 0.5*x0 - 0.25*x1 + x2 - 1 > 0
  private static final PortableModel FIRST = PortableModel.logisticRegression(new double[] {0.5, -0.25, 1.0}, -1.0, 0.5, Map.of());
  private static final PortableModel SECOND = PortableModel.logisticRegression(new double[] {-2.0, 0.0, 0.0}, 3.0, 0.5, Map.of());

  @TempDir Path temp;
  private ModelServer server;
  private final List<String> console = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private Path modelFolder(PortableModel model) throws Exception {
    Path folder = Files.createDirectories(temp.resolve("lr3"));
    Files.write(folder.resolve(PortableModel.FILE_NAME), model.toBytes());
    return folder;
  }

  private void start(String key, Duration reload) throws Exception {
    Path folder = modelFolder(FIRST);
    server = ModelServer.start(folder.toString(), "lr3",
        new ModelServer.Settings("127.0.0.1", 0, key, 4096, 2, reload), console::add);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (headers.length > 0) {
      request.headers(headers);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
    return JSON.readTree(response.body());
  }

  private static JsonNode ok(HttpResponse<String> response) throws Exception {
    assertEquals(200, response.statusCode(), response.body());
    return json(response);
  }

  private static void assertError(int status, String problem, HttpResponse<String> response) throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    String error = json(response).path("error").asText();
    assertTrue(error.contains(problem), "error '" + error + "' should contain '" + problem + "'");
  }

  private static String version(PortableModel model) {
    return ServedModel.version(model.toBytes());
  }

  @Test
  void predictsTheWorkshopBodyAndAnArrayAsThePortableScorerDoes() throws Exception {
    start(null, null);
    Prediction expected = FIRST.scorer().score(new double[] {4, 1, 0.5});
    JsonNode answer = ok(post("/predict", "{\"feature\": \"4, 1, 0.5\"}"));
    assertEquals(1, expected.label());
    assertEquals(expected.label(), answer.get("result").asInt());
    assertEquals(expected.probability(), answer.get("probability").asDouble(), 0.0);
    assertEquals(version(FIRST), answer.get("model_version").asText());
    assertEquals("lr3", answer.get("model_name").asText());

    JsonNode array = ok(post("/predict", "{\"features\": [0, 4, 0]}"));
    assertEquals(0, array.get("result").asInt());
    assertEquals(FIRST.scorer().probability(new double[] {0, 4, 0}), array.get("probability").asDouble(), 0.0);
  }

  @Test
  void predictsABatchAsLists() throws Exception {
    start(null, null);
    JsonNode answer = ok(post("/predict", "{\"instances\": [[4, 1, 0.5], [0, 4, 0], [1, 1, 1]]}"));
    double[][] rows = {{4, 1, 0.5}, {0, 4, 0}, {1, 1, 1}};
    assertEquals(3, answer.get("result").size());
    for (int i = 0; i < rows.length; i++) {
      Prediction p = FIRST.scorer().score(rows[i]);
      assertEquals(p.label(), answer.get("result").get(i).asInt());
      assertEquals(p.probability(), answer.get("probability").get(i).asDouble(), 0.0);
    }
    assertEquals(version(FIRST), answer.get("model_version").asText());
  }

  @Test
  void answersTheV2HealthMetadataAndInferEndpoints() throws Exception {
    start(null, null);
    assertTrue(ok(get("/v2/health/live")).get("live").asBoolean());
    assertTrue(ok(get("/v2/health/ready")).get("ready").asBoolean());
    assertTrue(ok(get("/v2/models/lr3/ready")).get("ready").asBoolean());
    assertEquals("iotbench", ok(get("/v2")).get("name").asText());

    JsonNode meta = ok(get("/v2/models/lr3"));
    assertEquals("lr3", meta.get("name").asText());
    assertEquals(version(FIRST), meta.get("versions").get(0).asText());
    assertEquals("iotbench-portable-model/" + Algorithm.LOGISTIC_REGRESSION.id(), meta.get("platform").asText());
    assertEquals("{\"name\":\"features\",\"datatype\":\"FP64\",\"shape\":[-1,3]}", meta.get("inputs").get(0).toString());
    assertEquals("result", meta.get("outputs").get(0).get("name").asText());
    assertEquals("probability", meta.get("outputs").get(1).get("name").asText());

    String request = "{\"id\": \"req-7\", \"inputs\": [{\"name\": \"features\", \"shape\": [2, 3], \"datatype\": \"FP64\","
        + " \"data\": [4, 1, 0.5, 0, 4, 0]}]}";
    JsonNode answer = ok(post("/v2/models/lr3/infer", request));
    assertEquals("lr3", answer.get("model_name").asText());
    assertEquals(version(FIRST), answer.get("model_version").asText());
    assertEquals("req-7", answer.get("id").asText());
    JsonNode result = answer.get("outputs").get(0);
    assertEquals("result", result.get("name").asText());
    assertEquals("INT64", result.get("datatype").asText());
    assertEquals("[2]", result.get("shape").toString());
    assertEquals("[1,0]", result.get("data").toString());
    JsonNode probability = answer.get("outputs").get(1);
    assertEquals("FP64", probability.get("datatype").asText());
    assertEquals(FIRST.scorer().probability(new double[] {0, 4, 0}), probability.get("data").get(1).asDouble(), 0.0);

    // Nested rows, a version in the path and one requested output.
    String nested = "{\"inputs\": [{\"name\": \"features\", \"shape\": [2, 3], \"datatype\": \"FP64\","
        + " \"data\": [[4, 1, 0.5], [0, 4, 0]]}], \"outputs\": [{\"name\": \"probability\"}]}";
    JsonNode only = ok(post("/v2/models/lr3/versions/" + version(FIRST) + "/infer", nested));
    assertEquals(1, only.get("outputs").size());
    assertEquals("probability", only.get("outputs").get(0).get("name").asText());
    assertFalse(only.has("id"));
  }

  @Test
  void refusesBadBodiesWith400NamingTheProblem() throws Exception {
    start(null, null);
    assertError(400, "wrong feature count: 'feature' has 2 values, the model takes 3", post("/predict", "{\"feature\": \"1, 2\"}"));
    assertError(400, "wrong feature count: 'features' has 4 values", post("/predict", "{\"features\": [1, 2, 3, 4]}"));
    assertError(400, "wrong feature count: 'instances[1]' has 1 values", post("/predict", "{\"instances\": [[1, 2, 3], [1]]}"));
    assertError(400, "'feature' value 2 is not a number: \"abc\"", post("/predict", "{\"feature\": \"1, abc, 3\"}"));
    assertError(400, "features[1] is not a number: \"2\"", post("/predict", "{\"features\": [1, \"2\", 3]}"));
    assertError(400, "'feature' value 3 is not finite: NaN", post("/predict", "{\"feature\": \"1, 2, NaN\"}"));
    assertError(400, "features[0] is not finite: NaN", post("/predict", "{\"features\": [NaN, 2, 3]}"));
    assertError(400, "features[2] is not finite: -Infinity", post("/predict", "{\"features\": [1, 2, -Infinity]}"));
    assertError(400, "is not finite: 1e999", post("/predict", "{\"feature\": \"1e999, 2, 3\"}"));
    assertError(400, "bad JSON", post("/predict", "{\"features\": [1, 2, 3]"));
    assertError(400, "bad JSON", post("/predict", "{\"features\": [1, 2, 3]} trailing"));
    assertError(400, "bad JSON: expected an object", post("/predict", "[1, 2, 3]"));
    assertError(400, "empty body", post("/predict", ""));
    assertError(400, "missing field: the body needs exactly one of 'feature'", post("/predict", "{\"row\": [1, 2, 3]}"));
    assertError(400, "more than one of", post("/predict", "{\"feature\": \"1, 2, 3\", \"features\": [1, 2, 3]}"));
    assertError(400, "'instances' must be a non-empty array", post("/predict", "{\"instances\": []}"));
    String large = "{\"features\": [" + "1,".repeat(3000) + "1]}";
    assertError(400, "body too large: " + large.length() + " bytes, the limit is 4096", post("/predict", large));

    String v2 = "{\"inputs\": [{\"name\": \"features\", \"shape\": %s, \"datatype\": \"%s\", \"data\": %s}]}";
    assertError(400, "wrong feature count: input shape is [1, 4]", post("/v2/models/lr3/infer", v2.formatted("[1, 4]", "FP64", "[1, 2, 3, 4]")));
    assertError(400, "input 'data' has 2 values, its shape needs 3", post("/v2/models/lr3/infer", v2.formatted("[1, 3]", "FP64", "[1, 2]")));
    assertError(400, "input datatype is 'BYTES', expected FP64", post("/v2/models/lr3/infer", v2.formatted("[1, 3]", "BYTES", "[1, 2, 3]")));
    assertError(400, "input data[1] is not finite: NaN", post("/v2/models/lr3/infer", v2.formatted("[1, 3]", "FP64", "[1, NaN, 3]")));
    assertError(400, "input shape must be [n, 3]", post("/v2/models/lr3/infer", v2.formatted("[3]", "FP64", "[1, 2, 3]")));
    assertError(400, "'inputs' must be an array of exactly one tensor", post("/v2/models/lr3/infer", "{\"id\": \"x\"}"));
    assertError(400, "unknown output 'label'", post("/v2/models/lr3/infer",
        "{\"inputs\": [{\"name\": \"features\", \"shape\": [1, 3], \"datatype\": \"FP64\", \"data\": [1, 2, 3]}], \"outputs\": [{\"name\": \"label\"}]}"));

    // The server is still answering.
    assertEquals(200, post("/predict", "{\"features\": [1, 2, 3]}").statusCode());
  }

  @Test
  void refusesABodyWithoutLengthBeyondTheLimit() throws Exception {
    start(null, null);
    byte[] large = ("{\"features\": [" + "1,".repeat(5000) + "1]}").getBytes(StandardCharsets.UTF_8);
    // From a stream: sent chunked, without Content-Length, so the limit is enforced while reading.
    HttpRequest request = HttpRequest.newBuilder(uri("/predict"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(large))).build();
    assertError(400, "body too large: more than 4096 bytes", CLIENT.send(request, HttpResponse.BodyHandlers.ofString()));
    assertEquals(200, post("/predict", "{\"features\": [1, 2, 3]}").statusCode());
  }

  @Test
  void answers404ForUnknownPathsModelsAndVersionsAnd405ForWrongMethods() throws Exception {
    start(null, null);
    assertError(404, "no such endpoint: /nothing", get("/nothing"));
    assertError(404, "no such endpoint: /v2/models/lr3/explain", post("/v2/models/lr3/explain", "{}"));
    assertError(404, "no model named 'other' (this server serves 'lr3')", get("/v2/models/other"));
    assertError(404, "no model named 'other'", post("/v2/models/other/infer", "{}"));
    assertError(404, "model 'lr3' has no version 'v0'", get("/v2/models/lr3/versions/v0"));
    HttpResponse<String> getPredict = get("/predict");
    assertError(405, "method not allowed; use POST", getPredict);
    assertEquals("POST", getPredict.headers().firstValue("Allow").orElse(""));
    assertError(405, "use GET", post("/v2/health/live", "{}"));
    assertError(405, "use POST", get("/v2/models/lr3/infer"));
    HttpResponse<String> delete = CLIENT.send(HttpRequest.newBuilder(uri("/v2/models/lr3")).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
    assertError(405, "use GET", delete);
  }

  @Test
  void checksTheAccessKeyOnEveryCall() throws Exception {
    start("s3cret-key-123", null);
    String body = "{\"features\": [1, 2, 3]}";
    HttpResponse<String> missing = post("/predict", body);
    assertError(401, "missing access key", missing);
    assertEquals("Bearer", missing.headers().firstValue("WWW-Authenticate").orElse(""));
    assertError(401, "missing access key", get("/v2/health/live"));
    assertError(401, "missing access key", get("/v2/models/lr3"));
    assertError(401, "wrong access key", post("/predict", body, "Authorization", "Bearer s3cret-key-124"));
    assertError(401, "wrong access key", post("/predict", body, "X-Access-Key", "s3cret"));
    assertError(401, "missing access key", post("/predict", body, "Authorization", "Basic czNjcmV0"));
    assertEquals(200, post("/predict", body, "Authorization", "Bearer s3cret-key-123").statusCode());
    assertEquals(200, post("/predict", body, "X-Access-Key", "s3cret-key-123").statusCode());
    assertEquals(200, get("/v2/health/ready", "X-Access-Key", "s3cret-key-123").statusCode());
    // Unknown paths are not revealed without the key.
    assertError(401, "missing access key", get("/nothing"));
  }

  @Test
  void aFailingHandlerAnswers500AndTheServerGoesOn() throws Exception {
    start(null, null);
    server.scorers = scorer -> new Scorer() {
      @Override
      public Algorithm algorithm() {
        return scorer.algorithm();
      }

      @Override
      public int numFeatures() {
        return scorer.numFeatures();
      }

      @Override
      public Prediction score(double[] features) {
        throw new IllegalStateException("scorer broke");
      }
    };
    assertError(500, "internal error: scorer broke", post("/predict", "{\"features\": [1, 2, 3]}"));
    assertError(500, "internal error: scorer broke", post("/v2/models/lr3/infer",
        "{\"inputs\": [{\"name\": \"features\", \"shape\": [1, 3], \"datatype\": \"FP64\", \"data\": [1, 2, 3]}]}"));
    server.scorers = scorer -> scorer;
    assertEquals(200, post("/predict", "{\"features\": [1, 2, 3]}").statusCode());
  }

  @Test
  void reloadsAModelWrittenAtomicallyAndKeepsTheOldOneWhenTheNewFileDoesNotLoad() throws Exception {
    start(null, Duration.ofMillis(50));
    Path file = temp.resolve("lr3").resolve(PortableModel.FILE_NAME);
    String body = "{\"features\": [4, 1, 0.5]}";
    assertEquals(version(FIRST), ok(post("/predict", body)).get("model_version").asText());

    replace(file, SECOND.toBytes());
    JsonNode answer = awaitVersion(body, version(SECOND));
    Prediction expected = SECOND.scorer().score(new double[] {4, 1, 0.5});
    assertEquals(expected.label(), answer.get("result").asInt());
    assertEquals(expected.probability(), answer.get("probability").asDouble(), 0.0);
    assertEquals(version(SECOND), ok(get("/v2/models/lr3")).get("versions").get(0).asText());
    assertEquals(List.of("model lr3: now version " + version(SECOND) + " (was " + version(FIRST) + ")"), console);

    // A file that does not load: the old model keeps answering, and the failure is reported once.
    replace(file, "{\"format\": \"iotbench-portable-model\", \"formatVersion\": 1, \"algorithm\"".getBytes(StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (console.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(300); // several more polls of the same broken file
    assertEquals(2, console.size(), console.toString());
    assertTrue(console.get(1).startsWith("model lr3: keeping version " + version(SECOND) + ", the new file does not load: model file "),
        console.get(1));
    assertEquals(version(SECOND), ok(post("/predict", body)).get("model_version").asText());

    replace(file, FIRST.toBytes());
    awaitVersion(body, version(FIRST));
    assertEquals(3, console.size(), console.toString());
  }

  private void replace(Path file, byte[] content) throws Exception {
    Path next = file.resolveSibling(".model.json.tmp");
    Files.write(next, content);
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private JsonNode awaitVersion(String body, String version) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      JsonNode answer = ok(post("/predict", body));
      if (answer.get("model_version").asText().equals(version) || System.nanoTime() > deadline) {
        assertEquals(version, answer.get("model_version").asText(), "the new model was not picked up in 10 s");
        return answer;
      }
      Thread.sleep(20);
    }
  }

  @Test
  void refusesToStartWithoutAModel() {
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(io.iotbench.model.scoring.PortableModelException.class,
        () -> ModelServer.start(temp.resolve("none").toString(), "none",
            new ModelServer.Settings("127.0.0.1", 0, null, 4096, 1, null), console::add));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }
}
