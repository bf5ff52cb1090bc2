package io.iotbench.runners.store;

import io.iotbench.model.support.ChildProcess;
import io.iotbench.model.support.Folders;
import io.iotbench.simulator.broker.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * A real S3-compatible store on 127.0.0.1: s3proxy ({@code org.gaul:s3proxy}) with its filesystem backend, run as a
 * child JVM from its self-contained jar, for {@code iotbench store s3} and the integration tests. A child JVM, not a
 * library in ours: s3proxy's Jetty 12, Jackson 3 and jclouds would clash with the versions Beam and Spark need.
 * Requests must be signed (AWS v2 or v4) with the store's {@link Credentials} (random for each start unless given),
 * so wrong credentials are refused as on AWS. The process is stopped by {@link #close()} and, should the JVM exit
 * first, by a shutdown hook.
 */
public final class S3ProxyServer implements AutoCloseable {

  /**
   * The key pair a store accepts. Its {@link #toString()} leaves the secret out, so that it cannot reach a log or a
   * console line by accident.
   */
  public record Credentials(String accessKey, String secretKey) {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    public Credentials {
      Objects.requireNonNull(accessKey, "accessKey");
      Objects.requireNonNull(secretKey, "secretKey");
    }

    /** A fresh pair from a {@link SecureRandom}: a 20-character access key, a 40-character secret (240 bits). */
    public static Credentials random() {
      StringBuilder access = new StringBuilder("IOTB");
      for (int i = 0; i < 16; i++) {
        access.append(KEY_CHARS[RANDOM.nextInt(KEY_CHARS.length)]);
      }
      byte[] secret = new byte[30];
      RANDOM.nextBytes(secret);
      return new Credentials(access.toString(), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    @Override
    public String toString() {
      return "Credentials[accessKey=" + accessKey + ", secretKey=(not shown)]";
    }
  }

  /** Any region works with s3proxy; clients must name one. */
  public static final String REGION = "us-east-1";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final ChildProcess child;
  private final int port;
  private final Path dataDir;
  private final String bucket;
  private final Credentials credentials;

  private S3ProxyServer(ChildProcess child, int port, Path dataDir, String bucket, Credentials credentials) {
    this.child = child;
    this.port = port;
    this.dataDir = dataDir;
    this.bucket = bucket;
    this.credentials = credentials;
  }

  /** Like {@link #start(int, Path, String, Credentials)} with {@link Credentials#random()}. */
  public static S3ProxyServer start(int port, Path dataDir, String bucket) throws IOException {
    return start(port, dataDir, bucket, Credentials.random());
  }

  /**
   * Starts s3proxy on {@code 127.0.0.1:port} (0: a free port) storing into {@code dataDir} (null: a temporary folder
   * deleted at close; a given folder is kept and reused), creates {@code bucket} unless it exists, and returns once
   * the store answers requests. Requests must be signed with {@code credentials}; s3proxy reads them from a
   * properties file readable by the owner only, in a folder of its own deleted at close.
   */
  public static S3ProxyServer start(int port, Path dataDir, String bucket, Credentials credentials) throws IOException {
    Path jar = jar();
    int actualPort = port == 0 ? FreePorts.find() : port;
    if (!FreePorts.isFree(actualPort)) {
      throw new IOException("port " + actualPort + " on 127.0.0.1 is in use; choose another with --port");
    }
    Path runDir = Files.createTempDirectory("iotbench-s3proxy");
    Path data = dataDir == null ? runDir.resolve("data") : dataDir.toAbsolutePath();
    Files.createDirectories(data);
    Properties config = new Properties();
    config.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + actualPort);
    config.setProperty("s3proxy.authorization", "aws-v2-or-v4");
    config.setProperty("s3proxy.identity", credentials.accessKey());
    config.setProperty("s3proxy.credential", credentials.secretKey());
    config.setProperty("jclouds.provider", "filesystem-nio2");
    config.setProperty("jclouds.filesystem.basedir", data.toString());
    Path properties = OwnerOnlyFile.create(runDir.resolve("s3proxy.properties"));
    try (var out = Files.newBufferedWriter(properties, StandardCharsets.UTF_8)) {
      config.store(out, "iotbench store s3");
    }
    Path log = runDir.resolve("s3proxy.log");
    List<String> command = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", // a small local store; start fast
        "-cp", jar.toString(), "org.gaul.s3proxy.Main", "--properties", properties.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    boolean deleteData = dataDir == null;
    ChildProcess child = ChildProcess.start("s3proxy on port " + actualPort, builder, log, Duration.ofSeconds(10), () -> {
      if (deleteData) {
        Folders.deleteQuietly(data);
      }
      Folders.deleteQuietly(runDir);
    });
    child.awaitReady(() -> FreePorts.accepts("127.0.0.1", actualPort, 200), START_TIMEOUT, Duration.ofMillis(50));
    S3ProxyServer server = new S3ProxyServer(child, actualPort, data, bucket, credentials);
    try {
      server.createBucket();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** s3proxy's self-contained jar: {@code -Diotbench.s3proxy.jar}, else where the build copied it. */
  static Path jar() throws IOException {
    String override = System.getProperty("iotbench.s3proxy.jar");
    Path jar;
    if (override != null && !override.isEmpty()) {
      jar = Paths.get(override);
    } else {
      Properties built = new Properties();
      try (InputStream in = S3ProxyServer.class.getResourceAsStream("s3proxy.properties")) {
        if (in == null) {
          throw new IOException("s3proxy.properties is missing from the classpath: build the runners module");
        }
        built.load(in);
      }
      jar = Paths.get(built.getProperty("jar"));
    }
    if (!Files.isRegularFile(jar)) {
      throw new IOException("s3proxy jar not found at " + jar + ": build the project (mvn -DskipTests package)");
    }
    return jar;
  }

  private void createBucket() {
    try (S3Client s3 = client()) {
      s3.createBucket(b -> b.bucket(bucket));
    } catch (BucketAlreadyOwnedByYouException e) {
      // A kept --dataDir already holds it.
    }
  }

  /** An S3 client for this store (path-style, the server's credentials), e.g. for tests that inspect objects. */
  public S3Client client() {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.of(REGION))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(credentials.accessKey(), credentials.secretKey())))
        .forcePathStyle(true)
        .build();
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public String bucket() {
    return bucket;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The key pair this store accepts. */
  public Credentials credentials() {
    return credentials;
  }

  public Process process() {
    return child.process();
  }

  public boolean isStopping() {
    return child.isStopping();
  }

  /**
   * The options that point a command at this store, except the credentials, which go through the environment
   * ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}).
   */
  public List<String> pipelineOptions() {
    return List.of("--awsRegion=" + REGION, "--endpoint=" + endpoint(), "--s3PathStyleAccess=true");
  }

  /** Stops s3proxy and deletes its temporary folders. Safe to call twice. */
  @Override
  public void close() {
    child.close();
  }
}
