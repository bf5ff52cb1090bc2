package io.iotbench.pipelines.common.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.generate.GenerateTrainingData;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Checks what goes over the wire, against a tiny HTTP server on 127.0.0.1 that records requests and answers 200:
 * path-style addressing, no aws-chunked bodies, no SSE bucket-key header.
 */
class S3CompatibleClientBuilderFactoryTest {

  record Seen(String method, String path, String host, String bucketKey, String contentEncoding, String body) {}

  private HttpServer server;
  private final List<Seen> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      requests.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          exchange.getRequestHeaders().getFirst("Host"),
          exchange.getRequestHeaders().getFirst(S3CompatibleClientBuilderFactory.BUCKET_KEY_HEADER),
          exchange.getRequestHeaders().getFirst("Content-Encoding"), new String(body, StandardCharsets.UTF_8)));
      // The SDK checks a PutObject's ETag against the MD5 of what it sent.
      exchange.getResponseHeaders().add("ETag", "\"" + md5Hex(body) + "\"");
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private S3Client client(String... extra) {
    String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
    List<String> args = new ArrayList<>(List.of("--output=x", "--awsRegion=us-east-1", "--endpoint=" + endpoint));
    args.addAll(List.of(extra));
    S3Options options = Cli.parse(args.toArray(new String[0]), GenerateTrainingData.Options.class).as(S3Options.class);
    // Set in code, not as an option: the command line refuses keys (StorageSetup).
    options.setAwsCredentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    return new S3CompatibleClientBuilderFactory().createBuilder(options).build();
  }

  @Test
  void pathStyleRequestsCarryTheBucketInThePathAndPlainBodies() {
    try (S3Client s3 = client("--s3PathStyleAccess=true")) {
      s3.putObject(PutObjectRequest.builder().bucket("data").key("a/b.csv").bucketKeyEnabled(false).build(),
          RequestBody.fromString("1,0.5\n"));
    }
    assertEquals(1, requests.size());
    Seen put = requests.get(0);
    assertEquals("PUT", put.method());
    assertEquals("/data/a/b.csv", put.path());
    assertEquals("127.0.0.1:" + server.getAddress().getPort(), put.host());
    assertNull(put.bucketKey(), "the bucket-key header must be removed");
    assertFalse("aws-chunked".equals(put.contentEncoding()));
    assertEquals("1,0.5\n", put.body());
  }

  @Test
  void withoutTheOptionTheClientIsBeamsDefaultWhichS3CompatibleStoresReject() {
    try (S3Client s3 = client()) {
      s3.putObject(PutObjectRequest.builder().bucket("data").key("k").bucketKeyEnabled(false).build(),
          RequestBody.fromString("x"));
    } catch (RuntimeException e) {
      // The fake server's answer need not satisfy the default client; only the request matters here.
    }
    assertFalse(requests.isEmpty()); // the default client retries the fake answer; each attempt looks the same
    // What s3proxy answers 501 to, and a body in aws-chunked framing: why the option exists.
    assertEquals("false", requests.get(0).bucketKey());
    assertTrue(requests.get(0).body().contains("chunk-signature="), requests.get(0).body());
  }

  private static String md5Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
