package io.iotbench.runners.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

class StoreTest {
  @TempDir Path temp;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int store(String... args) {
    return Store.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void needsToKnowWhichStore() {
    assertEquals(2, store());
    assertEquals("iotbench store: error: which store? (iotbench store s3 [--port=...])\n", err());
    err.reset();
    assertEquals(2, store("gcs"));
    assertEquals("iotbench store: error: unknown store 'gcs' (iotbench store s3 [--port=...])\n", err());
  }

  @Test
  void badValues() {
    assertEquals(2, store("s3", "--bucket=No_Such"));
    assertEquals("iotbench store s3: error: --bucket=No_Such: must be 3-63 lower-case letters, digits, dots or hyphens\n", err());
    err.reset();
    assertEquals(2, store("s3", "--port=65536"));
    assertEquals("iotbench store s3: error: --port=65536: must be <= 65535\n", err());
  }

  @Test
  void helpListsTheOptionsWithTheirDefaults() {
    assertEquals(0, store("--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("--port=...") && help.contains("[9000]") && help.contains("[iotbench]") && help.contains("--dataDir"), help);
  }

  @Test
  void aSecretKeyFileThatCannotBeUsedIsRefusedWithoutItsContent() throws Exception {
    Path secret = Files.writeString(temp.resolve("secret"), "short\n");
    assertEquals(2, store("s3", "--secretKeyFile=" + secret));
    assertEquals("iotbench store s3: error: --secretKeyFile=" + secret + ": its first line must be the secret key: "
        + "8-256 printable ASCII characters, no spaces (the line is not shown)\n", err());
    err.reset();
    assertEquals(2, store("s3", "--secretKeyFile=" + temp.resolve("missing")));
    assertEquals("iotbench store s3: error: --secretKeyFile=" + temp.resolve("missing") + ": cannot read it (NoSuchFileException)\n", err());
    err.reset();
    assertEquals(2, store("s3", "--accessKey=a b"));
    assertTrue(err().startsWith("iotbench store s3: error: --accessKey=a b: must be 3-128 letters"), err());
  }

  @Test
  void randomCredentialsDifferAndHideTheirSecret() {
    S3ProxyServer.Credentials a = S3ProxyServer.Credentials.random();
    S3ProxyServer.Credentials b = S3ProxyServer.Credentials.random();
    assertFalse(a.accessKey().equals(b.accessKey()) || a.secretKey().equals(b.secretKey()));
    assertTrue(a.accessKey().matches("IOTB[A-Z2-7]{16}") && a.secretKey().matches("[A-Za-z0-9_-]{40}"), a.toString());
    assertFalse(a.toString().contains(a.secretKey()), a.toString());
  }

  @Test
  void shellQuotingKeepsEveryCharacter() throws Exception {
    String secret = "a'b$c`d\"e;f\\g";
    Process sh = new ProcessBuilder("sh", "-c", "X=" + Store.shellQuoted(secret) + "; printf %s \"$X\"").start();
    assertEquals(secret, new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    assertEquals(0, sh.waitFor());
  }

  /**
   * Starts a real store twice: random credentials each time, written to an owner-only file that a shell loads, and
   * printed nowhere; requests signed with them are accepted, others refused. Then with given credentials.
   */
  @Test
  void eachStartHasItsOwnCredentialsInAnOwnerOnlyFileAndNeverPrintsTheSecret() throws Exception {
    Map<String, String> first = startAndCheck(temp.resolve("first.env"));
    Map<String, String> second = startAndCheck(temp.resolve("second.env"));
    assertFalse(first.get("AWS_SECRET_ACCESS_KEY").equals(second.get("AWS_SECRET_ACCESS_KEY")));
    assertFalse(first.get("AWS_ACCESS_KEY_ID").equals(second.get("AWS_ACCESS_KEY_ID")));

    Path secret = Files.writeString(temp.resolve("given-secret"), "Given-Secret-0123456789\nignored\n");
    Map<String, String> given = startAndCheck(temp.resolve("given.env"), "--accessKey=me.too", "--secretKeyFile=" + secret);
    assertEquals(Map.of("AWS_ACCESS_KEY_ID", "me.too", "AWS_SECRET_ACCESS_KEY", "Given-Secret-0123456789"), given);
  }

  private Map<String, String> startAndCheck(Path credentials, String... extra) throws Exception {
    out.reset();
    err.reset();
    List<String> args = new java.util.ArrayList<>(List.of("s3", "--port=0", "--credentialsFile=" + credentials));
    args.addAll(List.of(extra));
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> store(args.toArray(new String[0])));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!out.toString(StandardCharsets.UTF_8).contains("iotbench generate") && System.nanoTime() < deadline && !run.isDone()) {
      Thread.sleep(50);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    try {
      assertTrue(printed.contains("both keys in " + credentials.toAbsolutePath()), printed + err());
      assertTrue(printed.contains("  set -a; . " + credentials.toAbsolutePath() + "; set +a"), printed);
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials)));
      Map<String, String> loaded = loadWithShell(credentials);
      assertFalse(printed.contains(loaded.get("AWS_SECRET_ACCESS_KEY")) || err().contains(loaded.get("AWS_SECRET_ACCESS_KEY")), printed);
      assertTrue(printed.contains("access key " + loaded.get("AWS_ACCESS_KEY_ID")), printed);
      String endpoint = printed.replaceAll("(?s).*--endpoint=(\\S+).*", "$1");
      try (S3Client ok = client(endpoint, loaded.get("AWS_ACCESS_KEY_ID"), loaded.get("AWS_SECRET_ACCESS_KEY"))) {
        assertEquals(List.of("iotbench"), ok.listBuckets().buckets().stream().map(b -> b.name()).toList());
      }
      try (S3Client wrong = client(endpoint, loaded.get("AWS_ACCESS_KEY_ID"), "not-the-secret-key")) {
        assertEquals(403, assertThrows(S3Exception.class, wrong::listBuckets).statusCode());
      }
      return loaded;
    } finally {
      // The command runs until s3proxy ends; ending it here makes it return (status 1: "exited by itself").
      ProcessHandle.current().descendants()
          .filter(p -> p.info().commandLine().orElse("").contains("org.gaul.s3proxy.Main"))
          .forEach(ProcessHandle::destroy);
      assertEquals(1, run.get(60, TimeUnit.SECONDS));
    }
  }

  /** The variables {@code set -a; . FILE} gives a shell, as a user would load them. */
  private static Map<String, String> loadWithShell(Path file) throws Exception {
    Process sh = new ProcessBuilder("sh", "-c", "set -a; . \"$0\"; printf '%s\\n%s\\n' \"$AWS_ACCESS_KEY_ID\" \"$AWS_SECRET_ACCESS_KEY\"",
        file.toString()).start();
    String[] lines = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n");
    assertEquals(0, sh.waitFor());
    Map<String, String> vars = new HashMap<>();
    vars.put("AWS_ACCESS_KEY_ID", lines[0]);
    vars.put("AWS_SECRET_ACCESS_KEY", lines[1]);
    return vars;
  }

  private static S3Client client(String endpoint, String accessKey, String secretKey) {
    return S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.of(S3ProxyServer.REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .forcePathStyle(true).build();
  }
}
