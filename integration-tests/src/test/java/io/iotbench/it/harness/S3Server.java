package io.iotbench.it.harness;

import io.iotbench.runners.store.S3ProxyServer;
import java.io.IOException;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3-compatible store for integration tests: {@code iotbench store s3}'s {@link S3ProxyServer} (s3proxy in a
 * child JVM) on 127.0.0.1 and a free port, with one bucket, its objects in a temporary folder that {@link #close()}
 * deletes. Requests must be signed with the store's random credentials ({@link #accessKey()}, {@link #secretKey()}),
 * so tests with wrong credentials see a real refusal.
 */
public final class S3Server extends ManagedServer {

  private final String bucket;
  private S3ProxyServer server;

  public S3Server() {
    this("it-bucket");
  }

  public S3Server(String bucket) {
    this.bucket = bucket;
  }

  @Override
  public String name() {
    return "S3 (s3proxy)";
  }

  /**
   * Starts the store and puts its credentials where both AWS SDKs' default chains find them in this JVM (system
   * properties: v2, Beam's, reads {@code aws.secretAccessKey}, v1, hadoop-aws', {@code aws.secretKey}); the
   * environment variables AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY serve both in a child process.
   */
  @Override
  protected void startServer() throws IOException {
    server = S3ProxyServer.start(0, null, bucket);
    System.setProperty("aws.accessKeyId", server.credentials().accessKey());
    System.setProperty("aws.secretAccessKey", server.credentials().secretKey());
    System.setProperty("aws.secretKey", server.credentials().secretKey());
  }

  @Override
  protected void stopServer() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    System.clearProperty("aws.secretKey");
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    checkRunning();
    return server.endpoint();
  }

  public String bucket() {
    return bucket;
  }

  /** The access key this store accepts (random for each start). */
  public String accessKey() {
    checkRunning();
    return server.credentials().accessKey();
  }

  /** The secret key this store accepts (random for each start). */
  public String secretKey() {
    checkRunning();
    return server.credentials().secretKey();
  }

  /** {@code --awsRegion --endpoint --s3PathStyleAccess} for this store; credentials go through the environment. */
  public List<String> pipelineOptions() {
    checkRunning();
    return server.pipelineOptions();
  }

  /** A client with the right credentials, for checks independent of Beam. */
  public S3Client client() {
    checkRunning();
    return server.client();
  }

  /** The keys of every object under {@code prefix} in the bucket. */
  public List<String> keys(String prefix) {
    try (S3Client s3 = client()) {
      return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
          .map(S3Object::key).toList();
    }
  }

  /** The s3proxy process (tests check that it is gone after a stop). */
  public Process process() {
    checkRunning();
    return server.process();
  }
}
