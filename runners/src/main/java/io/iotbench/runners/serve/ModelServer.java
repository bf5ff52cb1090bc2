package io.iotbench.runners.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.iotbench.model.scoring.Prediction;
import io.iotbench.model.scoring.Scorer;
import io.iotbench.model.support.ErrorText;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of {@code iotbench serve}: a portable model behind the workshop's {@code POST /predict} and the
 * Open Inference Protocol (V2) endpoints, on the JDK's {@link HttpServer} with a bounded pool of handler threads.
 * Every answer is JSON and names the model version that gave it; a refused request gets its status and
 * {@code {"error": "..."}}; a failing handler answers 500 and the server goes on. With {@code reloadOnChange} a
 * poller re-reads the model file and swaps the model when its content changed and loads; a file that does not load
 * leaves the old model serving and is reported once.
 */
public final class ModelServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);

  /** The V2 name of the only input, a [n, sensors] tensor. */
  static final String INPUT = "features";
  static final String OUTPUT_RESULT = "result";
  static final String OUTPUT_PROBABILITY = "probability";
  private static final String BODY_READ = "iotbench.bodyRead";
  private static final Set<String> NUMERIC_TYPES = Set.of("FP64", "FP32", "INT64", "INT32");

  static {
    // The JDK server writes an answer's headers and body in two writes; with Nagle's algorithm on, the body waits for
    // the client's delayed ACK of the headers, about 40 ms per request on Linux. Read once, when the server's
    // configuration class loads, so it is set before the first server starts (a -D on the command line wins).
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  static final JsonMapper JSON = JsonMapper.builder()
      // NaN and Infinity are read as numbers so that the error can name them instead of "bad JSON".
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      // Reading the decimal text of 10,000 numbers is most of a batch's cost; this parser gives the same doubles.
      .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .build();

  /**
   * How the server runs.
   *
   * @param bindAddress the address to listen on (127.0.0.1 unless the user says otherwise)
   * @param port the port, 0 for any free one
   * @param accessKey the key every request must carry, or null for none
   * @param maxBodyBytes the largest request body accepted
   * @param threads the handler threads
   * @param reloadInterval how often the model file is checked, or null to never reload
   */
  public record Settings(
      String bindAddress, int port, String accessKey, int maxBodyBytes, int threads, Duration reloadInterval) {
    public Settings {
      Objects.requireNonNull(bindAddress, "bindAddress");
      if (accessKey != null && accessKey.isEmpty()) {
        throw new IllegalArgumentException("empty access key");
      }
    }
  }

  private final String location;
  private final Settings settings;
  private final Consumer<String> console;
  private final AtomicReference<ServedModel> model;
  private final byte[] accessKey;
  private final HttpServer http;
  private final ThreadPoolExecutor handlers;
  private final ScheduledExecutorService poller;
  // Tests replace it to make the scorer fail and see the server answer 500 and go on.
  volatile java.util.function.UnaryOperator<Scorer> scorers = java.util.function.UnaryOperator.identity();
  // The content hash of the last model file that failed to load, so that its failure is reported once.
  private volatile String refusedVersion;

  private ModelServer(String location, ServedModel first, Settings settings, Consumer<String> console) throws IOException {
    this.location = location;
    this.settings = settings;
    this.console = console;
    this.model = new AtomicReference<>(first);
    this.accessKey = settings.accessKey() == null ? null : settings.accessKey().getBytes(StandardCharsets.UTF_8);
    this.http = HttpServer.create(new InetSocketAddress(settings.bindAddress(), settings.port()), 256);
    AtomicInteger n = new AtomicInteger();
    // Bounded: a flood queues at most 1,024 exchanges; beyond that the dispatcher thread runs the exchange itself,
    // which stops it accepting more until one is done (back-pressure instead of an unbounded queue).
    this.handlers = new ThreadPoolExecutor(settings.threads(), settings.threads(), 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(1024), r -> daemon(r, "serve-handler-" + n.incrementAndGet()),
        new ThreadPoolExecutor.CallerRunsPolicy());
    http.setExecutor(handlers);
    http.createContext("/", this::handle);
    this.poller = settings.reloadInterval() == null ? null
        : Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "serve-model-reload"));
  }

  /**
   * Loads the model of {@code location} and starts serving it.
   *
   * @param name the V2 model name
   * @param console where the one-line notices go (reloads, refused model files)
   * @throws io.iotbench.model.scoring.PortableModelException if the model cannot be loaded
   * @throws IOException if the model cannot be read or the port cannot be bound
   */
  public static ModelServer start(String location, String name, Settings settings, Consumer<String> console)
      throws IOException {
    ServedModel first = ServedModel.of(name, location, ServedModel.read(location));
    ModelServer server = new ModelServer(location, first, settings, console);
    server.http.start();
    if (server.poller != null) {
      long every = Math.max(1, settings.reloadInterval().toMillis());
      server.poller.scheduleWithFixedDelay(server::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
    }
    return server;
  }

  /** The bound port. */
  public int port() {
    return http.getAddress().getPort();
  }

  /** The model answering now. */
  ServedModel model() {
    return model.get();
  }

  /**
   * Reads the model file and, if its content changed, loads it and serves it from now on; a file that cannot be read
   * or loaded leaves the current model in place, reported in one line (once per distinct content).
   */
  void reloadIfChanged() {
    ServedModel current = model.get();
    byte[] bytes;
    try {
      bytes = ServedModel.read(location);
    } catch (IOException | RuntimeException e) {
      refuse("missing", current, e);
      return;
    }
    String version = ServedModel.version(bytes);
    if (version.equals(current.version()) || version.equals(refusedVersion)) {
      return;
    }
    try {
      ServedModel next = ServedModel.of(current.name(), location, bytes);
      model.set(next);
      refusedVersion = null;
      console.accept("model " + current.name() + ": now version " + next.version() + " (was " + current.version() + ")");
    } catch (RuntimeException e) {
      refuse(version, current, e);
    }
  }

  private void refuse(String version, ServedModel current, Exception e) {
    if (!version.equals(refusedVersion)) {
      refusedVersion = version;
      console.accept("model " + current.name() + ": keeping version " + current.version() + ", the new file does not load: "
          + ErrorText.oneLine(e));
    }
  }

  /** Stops accepting, lets running exchanges end (up to a second), stops the threads. */
  @Override
  public void close() {
    if (poller != null) {
      poller.shutdownNow();
    }
    http.stop(1);
    handlers.shutdownNow();
  }

  // ---- requests ----

  /** An answer: status and JSON body. */
  private record Answer(int status, byte[] body, String allow, boolean close) {
    static Answer ok(Object json) {
      return new Answer(200, bytes(json), null, false);
    }
  }

  private void handle(HttpExchange exchange) {
    try {
      Answer answer;
      try {
        answer = route(exchange);
      } catch (BadRequest e) {
        answer = error(e.status(), e.getMessage(), false);
      } catch (RuntimeException | IOException e) {
        LOG.warn("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        answer = error(500, "internal error: " + ErrorText.oneLine(e), true);
      }
      send(exchange, answer);
    } catch (IOException | RuntimeException e) {
      LOG.debug("could not answer {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
    } finally {
      exchange.close();
    }
  }

  private Answer route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    checkKey(exchange);
    if (path.equals("/predict")) {
      return method(method, "POST") ? predict(readBody(exchange)) : notAllowed("POST");
    }
    if (path.equals("/v2/health/live")) {
      return method(method, "GET") ? Answer.ok(JSON.createObjectNode().put("live", true)) : notAllowed("GET");
    }
    if (path.equals("/v2/health/ready")) {
      return method(method, "GET") ? Answer.ok(JSON.createObjectNode().put("ready", true)) : notAllowed("GET");
    }
    if (path.equals("/v2") || path.equals("/v2/")) {
      return method(method, "GET") ? Answer.ok(serverMetadata()) : notAllowed("GET");
    }
    if (path.startsWith("/v2/models/")) {
      return model(method, path.substring("/v2/models/".length()), exchange);
    }
    throw new BadRequest(404, "no such endpoint: " + path
        + " (POST /predict, GET /v2/health/live, GET /v2/health/ready, GET /v2/models/NAME, POST /v2/models/NAME/infer)");
  }

  // /v2/models/{name}[/versions/{version}][/ready|/infer]
  private Answer model(String method, String rest, HttpExchange exchange) throws IOException {
    ServedModel served = model.get();
    List<String> parts = new ArrayList<>(Arrays.asList(rest.split("/", -1)));
    String name = parts.remove(0);
    if (!name.equals(served.name())) {
      throw new BadRequest(404, "no model named '" + name + "' (this server serves '" + served.name() + "')");
    }
    if (parts.size() >= 2 && parts.get(0).equals("versions")) {
      String version = parts.get(1);
      if (!version.equals(served.version())) {
        throw new BadRequest(404, "model '" + name + "' has no version '" + version + "' (it serves version " + served.version() + ")");
      }
      parts = parts.subList(2, parts.size());
    }
    String action = parts.isEmpty() ? "" : String.join("/", parts);
    return switch (action) {
      case "" -> method(method, "GET") ? Answer.ok(modelMetadata(served)) : notAllowed("GET");
      case "ready" -> method(method, "GET")
          ? Answer.ok(JSON.createObjectNode().put("name", served.name()).put("ready", true)) : notAllowed("GET");
      case "infer" -> method(method, "POST") ? infer(readJson(readBody(exchange))) : notAllowed("POST");
      default -> throw new BadRequest(404, "no such endpoint: /v2/models/" + rest);
    };
  }

  private static boolean method(String given, String wanted) {
    return given.equals(wanted);
  }

  private static Answer notAllowed(String allowed) {
    Answer error = error(405, "method not allowed; use " + allowed, false);
    return new Answer(405, error.body(), allowed, false);
  }

  private void checkKey(HttpExchange exchange) {
    if (accessKey == null) {
      return;
    }
    String given = exchange.getRequestHeaders().getFirst("X-Access-Key");
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (given == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      given = authorization.substring(7).strip();
    }
    if (given == null) {
      throw new BadRequest(401, "missing access key: send 'Authorization: Bearer KEY' or 'X-Access-Key: KEY'");
    }
    // Constant time, so the answer's timing says nothing about how much of a guess was right.
    if (!MessageDigest.isEqual(accessKey, given.getBytes(StandardCharsets.UTF_8))) {
      throw new BadRequest(401, "wrong access key");
    }
  }

  // ---- /predict ----

  private Answer predict(byte[] body) {
    ServedModel served = model.get();
    Scorer scorer = scorers.apply(served.scorer());
    PredictRequest request = PredictRequest.parse(JSON, body, served.numFeatures());
    ObjectNode answer = JSON.createObjectNode();
    if (request.batch()) {
      ArrayNode results = answer.putArray(OUTPUT_RESULT);
      ArrayNode probabilities = answer.putArray(OUTPUT_PROBABILITY);
      for (double[] row : request.rows()) {
        Prediction p = scorer.score(row);
        results.add(p.label());
        probabilities.add(p.probability());
      }
    } else {
      Prediction p = scorer.score(request.rows().get(0));
      answer.put(OUTPUT_RESULT, p.label()).put(OUTPUT_PROBABILITY, p.probability());
    }
    answer.put("model_name", served.name()).put("model_version", served.version());
    return Answer.ok(answer);
  }

  private static double number(JsonNode value, String where) {
    if (!value.isNumber()) {
      throw new BadRequest(where + " is not a number: " + shown(value));
    }
    double v = value.doubleValue();
    if (!Double.isFinite(v)) {
      throw new BadRequest(where + " is not finite: " + value.asText());
    }
    return v;
  }

  // ---- V2 ----

  private static ObjectNode serverMetadata() {
    ObjectNode meta = JSON.createObjectNode().put("name", "iotbench").put("version", "1");
    meta.putArray("extensions");
    return meta;
  }

  private static ObjectNode modelMetadata(ServedModel served) {
    ObjectNode meta = JSON.createObjectNode().put("name", served.name());
    meta.putArray("versions").add(served.version());
    meta.put("platform", "iotbench-portable-model/" + served.model().algorithm().id());
    ObjectNode input = meta.putArray("inputs").addObject().put("name", INPUT).put("datatype", "FP64");
    input.putArray("shape").add(-1).add(served.numFeatures());
    ArrayNode outputs = meta.putArray("outputs");
    ObjectNode result = outputs.addObject().put("name", OUTPUT_RESULT).put("datatype", "INT64");
    result.putArray("shape").add(-1);
    ObjectNode probability = outputs.addObject().put("name", OUTPUT_PROBABILITY).put("datatype", "FP64");
    probability.putArray("shape").add(-1);
    return meta;
  }

  private Answer infer(JsonNode body) {
    ServedModel served = model.get();
    JsonNode inputs = body.get("inputs");
    if (inputs == null || !inputs.isArray() || inputs.size() != 1 || !inputs.get(0).isObject()) {
      throw new BadRequest("'inputs' must be an array of exactly one tensor {\"name\": \"" + INPUT
          + "\", \"shape\": [n, " + served.numFeatures() + "], \"datatype\": \"FP64\", \"data\": [...]}");
    }
    JsonNode input = inputs.get(0);
    String datatype = input.path("datatype").asText("");
    if (!NUMERIC_TYPES.contains(datatype)) {
      throw new BadRequest("input datatype is " + (datatype.isEmpty() ? "missing" : "'" + datatype + "'") + ", expected FP64");
    }
    JsonNode shape = input.get("shape");
    if (shape == null || !shape.isArray() || shape.size() != 2 || !shape.get(0).canConvertToInt()
        || !shape.get(1).canConvertToInt() || shape.get(0).asInt() < 1) {
      throw new BadRequest("input shape must be [n, " + served.numFeatures() + "] with n >= 1, found " + shape);
    }
    int rows = shape.get(0).asInt();
    int columns = shape.get(1).asInt();
    if (columns != served.numFeatures()) {
      throw new BadRequest("wrong feature count: input shape is [" + rows + ", " + columns + "], the model takes "
          + served.numFeatures() + " features");
    }
    double[] data = flatten(input.get("data"), (long) rows * columns);
    Set<String> wanted = requestedOutputs(body.get("outputs"));
    long[] labels = new long[rows];
    double[] probabilities = new double[rows];
    Scorer scorer = scorers.apply(served.scorer());
    for (int r = 0; r < rows; r++) {
      Prediction p = scorer.score(Arrays.copyOfRange(data, r * columns, (r + 1) * columns));
      labels[r] = p.label();
      probabilities[r] = p.probability();
    }
    ObjectNode answer = JSON.createObjectNode().put("model_name", served.name()).put("model_version", served.version());
    if (body.hasNonNull("id")) {
      answer.put("id", body.get("id").asText());
    }
    ArrayNode outputs = answer.putArray("outputs");
    if (wanted.contains(OUTPUT_RESULT)) {
      ObjectNode out = outputs.addObject().put("name", OUTPUT_RESULT).put("datatype", "INT64");
      out.putArray("shape").add(rows);
      ArrayNode values = out.putArray("data");
      for (long label : labels) {
        values.add(label);
      }
    }
    if (wanted.contains(OUTPUT_PROBABILITY)) {
      ObjectNode out = outputs.addObject().put("name", OUTPUT_PROBABILITY).put("datatype", "FP64");
      out.putArray("shape").add(rows);
      ArrayNode values = out.putArray("data");
      for (double probability : probabilities) {
        values.add(probability);
      }
    }
    return Answer.ok(answer);
  }

  /** The tensor's data, row-major: flat as V2 sends it, or nested rows. */
  private static double[] flatten(JsonNode data, long expected) {
    if (data == null || !data.isArray()) {
      throw new BadRequest("input 'data' must be an array of numbers");
    }
    List<JsonNode> values = new ArrayList<>();
    collect(data, values, 0);
    if (values.size() != expected) {
      throw new BadRequest("input 'data' has " + values.size() + " values, its shape needs " + expected);
    }
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = number(values.get(i), "input data[" + i + "]");
    }
    return out;
  }

  private static void collect(JsonNode node, List<JsonNode> into, int depth) {
    for (JsonNode value : node) {
      if (value.isArray() && depth < 1) {
        collect(value, into, depth + 1);
      } else {
        into.add(value);
      }
    }
  }

  private static Set<String> requestedOutputs(JsonNode outputs) {
    Set<String> wanted = new LinkedHashSet<>(List.of(OUTPUT_RESULT, OUTPUT_PROBABILITY));
    if (outputs == null || outputs.isNull()) {
      return wanted;
    }
    if (!outputs.isArray()) {
      throw new BadRequest("'outputs' must be an array of {\"name\": ...}");
    }
    Set<String> asked = new LinkedHashSet<>();
    for (JsonNode output : outputs) {
      String name = output.path("name").asText("");
      if (!wanted.contains(name)) {
        throw new BadRequest("unknown output '" + name + "' (outputs are '" + OUTPUT_RESULT + "' and '" + OUTPUT_PROBABILITY + "')");
      }
      asked.add(name);
    }
    return asked.isEmpty() ? wanted : asked;
  }

  // ---- bodies ----

  private byte[] readBody(HttpExchange exchange) throws IOException {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    int max = settings.maxBodyBytes();
    if (length != null) {
      long declared;
      try {
        declared = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        throw new BadRequest("bad Content-Length: " + length);
      }
      if (declared > max) {
        throw new BadRequest("body too large: " + declared + " bytes, the limit is " + max);
      }
    }
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(max + 1);
      exchange.setAttribute(BODY_READ, Boolean.TRUE);
      if (body.length > max) {
        throw new BadRequest("body too large: more than " + max + " bytes, the limit is " + max);
      }
    }
    if (body.length == 0) {
      throw new BadRequest("empty body: expected a JSON object");
    }
    return body;
  }

  private static JsonNode readJson(byte[] body) throws IOException {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadRequest("bad JSON: " + String.valueOf(e.getOriginalMessage()).strip().replaceAll("\\s*\\R\\s*", " "));
    }
    if (json == null || !json.isObject()) {
      throw new BadRequest("bad JSON: expected an object, found " + (json == null ? "nothing" : json.getNodeType().toString().toLowerCase()));
    }
    return json;
  }

  /** Whether the request has a body the handler did not read (then the connection is closed after the answer). */
  private static boolean bodyLeftUnread(HttpExchange exchange) {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    boolean body = (length != null && !length.strip().equals("0"))
        || exchange.getRequestHeaders().containsKey("Transfer-Encoding");
    return body && exchange.getAttribute(BODY_READ) == null;
  }

  private static Answer error(int status, String problem, boolean close) {
    return new Answer(status, bytes(JSON.createObjectNode().put("error", problem)), null, close);
  }

  private static void send(HttpExchange exchange, Answer answer) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    if (answer.allow() != null) {
      exchange.getResponseHeaders().set("Allow", answer.allow());
    }
    if (answer.status() == 401) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
    }
    if (answer.close() || bodyLeftUnread(exchange)) {
      // The server drains at most 64 KiB of an unread body; the connection cannot be reused after that.
      exchange.getResponseHeaders().set("Connection", "close");
    }
    exchange.sendResponseHeaders(answer.status(), answer.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(answer.body());
    }
  }

  private static byte[] bytes(Object json) {
    try {
      return JSON.writeValueAsBytes(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  private static String shown(JsonNode value) {
    String text = value.toString();
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
