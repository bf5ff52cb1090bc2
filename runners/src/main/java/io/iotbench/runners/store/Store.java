package io.iotbench.runners.store;

import static io.iotbench.simulator.cli.Commands.VALUE;

import io.iotbench.model.support.Folders;
import io.iotbench.simulator.cli.Commands;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code iotbench store s3}: starts a real S3-compatible store on 127.0.0.1 ({@link S3ProxyServer}), creates the
 * bucket, prints the endpoint, the bucket, where its credentials are and the exact flags that point any command at
 * it, and runs until stopped (Ctrl-C or SIGTERM), like {@code iotbench broker}. For users without S3, the README and
 * tests. The credentials are random for each start unless given ({@code --accessKey}, {@code --secretKeyFile}); they
 * are written to an owner-only file ({@code --credentialsFile}) in the form a shell loads, and the secret is never
 * printed.
 *
 * <pre>{@code
 * iotbench store s3 --port=9000 --bucket=iotbench
 * iotbench store s3 --dataDir=/var/tmp/s3 --accessKey=me --secretKeyFile=$HOME/.s3-secret --credentialsFile=$HOME/.s3.env
 * }</pre>
 */
@Command(name = "store", subcommands = Store.S3.class, synopsisHeading = "", customSynopsis = Store.USAGE)
public final class Store implements Callable<Integer> {
  static final String USAGE = "usage: iotbench store s3 [--option=value ...]";

  // S3's own rule for bucket names (lower case, digits, dots, hyphens; 3-63 characters).
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  // Safe in a shell assignment and in s3proxy's properties file without quoting.
  private static final Pattern ACCESS_KEY = Pattern.compile("[A-Za-z0-9._-]{3,128}");
  private static final Pattern SECRET_KEY = Pattern.compile("[\\x21-\\x7e]{8,256}");

  @Spec CommandSpec spec;

  // Not picocli's usage help: the help of 'store' shows the options of every store.
  @Option(names = {"-h", "--help"}, description = "print this help and exit")
  boolean help;

  @Parameters(arity = "0..1", paramLabel = "s3", description = "the store to run")
  String kind;

  private final PrintStream out;

  Store(PrintStream out) {
    this.out = out;
  }

  /** {@code store s3}. */
  @Command(
      name = "s3",
      synopsisHeading = "",
      customSynopsis = "usage: iotbench store s3 [--option=value ...]",
      description = "Runs an S3-compatible store (s3proxy) on 127.0.0.1 until stopped, with one bucket.",
      optionListHeading = Commands.OPTION_LIST_HEADING,
      sortOptions = false)
  static final class S3 implements Callable<Integer> {
    @ParentCommand Store parent;
    @Spec CommandSpec spec;
    @Mixin Commands.HelpOption help;

    @Option(names = "--port", paramLabel = VALUE, defaultValue = "9000", description = "HTTP port (0 = any free port) [${DEFAULT-VALUE}]")
    int port;

    @Option(names = "--dataDir", paramLabel = VALUE,
        description = "folder for the objects, kept and reused; by default a temporary folder deleted at exit [none]")
    Path dataDir;

    @Option(names = "--bucket", paramLabel = VALUE, defaultValue = "iotbench", description = "bucket to create (kept if it exists) [${DEFAULT-VALUE}]")
    String bucket;

    @Option(names = "--accessKey", paramLabel = VALUE,
        description = "access key the store accepts; by default a random one for each start [random]")
    String accessKey;

    @Option(names = "--secretKeyFile", paramLabel = VALUE,
        description = "file whose first line is the secret key the store accepts; by default a random one for each start [random]")
    Path secretKeyFile;

    @Option(names = "--credentialsFile", paramLabel = VALUE,
        description = "where to write AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (mode 0600, for 'set -a; . FILE'); "
            + "by default a file in a temporary folder deleted at exit [temporary]")
    Path credentialsFile;

    @Override
    public Integer call() {
      Commands.range(spec, "port", port, 0, 65535);
      Commands.check(spec, BUCKET.matcher(bucket).matches(), "bucket", "must be 3-63 lower-case letters, digits, dots or hyphens");
      if (accessKey != null) {
        Commands.check(spec, ACCESS_KEY.matcher(accessKey).matches(), "accessKey",
            "must be 3-128 letters, digits, dots, hyphens or underscores");
      }
      S3ProxyServer.Credentials random = S3ProxyServer.Credentials.random();
      S3ProxyServer.Credentials credentials = new S3ProxyServer.Credentials(
          accessKey != null ? accessKey : random.accessKey(),
          secretKeyFile != null ? readSecret(spec, secretKeyFile) : random.secretKey());
      try {
        return runS3(port, dataDir, bucket, credentials, credentialsFile, parent.out);
      } catch (IOException | RuntimeException e) {
        spec.commandLine().getErr().println("iotbench store s3: error: " + e.getMessage());
        return Commands.EXIT_FAILED;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Commands.EXIT_FAILED;
      }
    }
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns only on errors or after the store stopped. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    return Commands.execute(new Store(out), args, out, err);
  }

  /** Without a store's name: the help of every store, or an error. */
  @Override
  public Integer call() {
    if (help) {
      out.println(USAGE);
      for (CommandLine store : spec.subcommands().values()) {
        out.println();
        store.usage(out);
      }
      return 0;
    }
    throw Commands.usage(spec, (kind == null ? "which store?" : "unknown store '" + kind + "'") + " (iotbench store s3 [--port=...])");
  }

  /**
   * The secret key in the first line of {@code file}; a usage error naming the file (never its content) when it
   * cannot be read or its first line is not a usable key.
   */
  static String readSecret(CommandSpec spec, Path file) {
    String first;
    try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
      first = lines.findFirst().orElse("").strip();
    } catch (IOException | UncheckedIOException e) {
      throw Commands.bad(spec, "secretKeyFile", "cannot read it (" + e.getClass().getSimpleName() + ")");
    }
    Commands.check(spec, SECRET_KEY.matcher(first).matches(), "secretKeyFile",
        "its first line must be the secret key: 8-256 printable ASCII characters, no spaces (the line is not shown)");
    return first;
  }

  /**
   * The lines {@code set -a; . FILE; set +a} loads into a shell: the variables both AWS SDKs read (Beam's v2 and
   * hadoop-aws' v1).
   */
  static String credentialsText(S3ProxyServer server) {
    return "# iotbench store s3 at " + server.endpoint() + "; load with: set -a; . THIS_FILE; set +a\n"
        + "AWS_ACCESS_KEY_ID=" + shellQuoted(server.credentials().accessKey()) + "\n"
        + "AWS_SECRET_ACCESS_KEY=" + shellQuoted(server.credentials().secretKey()) + "\n";
  }

  /** {@code text} in single quotes for a POSIX shell (a secret may hold $, `, " or ;). */
  static String shellQuoted(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  private static int runS3(int port, Path dataDir, String bucket, S3ProxyServer.Credentials credentials,
      Path credentialsFile, PrintStream out) throws IOException, InterruptedException {
    long start = System.nanoTime();
    Path file = credentialsFile;
    if (file == null) {
      Path folder = Files.createTempDirectory("iotbench-s3-credentials"); // mode 0700
      Runtime.getRuntime().addShutdownHook(new Thread(() -> Folders.deleteQuietly(folder), "delete-s3-credentials"));
      file = folder.resolve("credentials.env");
    }
    S3ProxyServer server = S3ProxyServer.start(port, dataDir, bucket, credentials);
    OwnerOnlyFile.write(file, credentialsText(server));
    long millis = (System.nanoTime() - start) / 1_000_000;
    out.println("S3-compatible store (s3proxy) listening on " + server.endpoint() + " in " + millis + " ms, bucket '"
        + bucket + "', data in " + server.dataDir() + (dataDir == null ? " (deleted at exit)" : "")
        + "; stop with Ctrl-C");
    out.println("Credentials (" + (credentialsFile == null ? "deleted at exit" : "kept") + ", readable by you only): "
        + "access key " + server.credentials().accessKey() + ", both keys in " + file.toAbsolutePath()
        + ". Use them from another shell with:");
    out.println("  set -a; . " + file.toAbsolutePath() + "; set +a");
    out.println("  iotbench generate --output=s3://" + bucket + "/training " + String.join(" ", server.pipelineOptions()));
    out.flush();
    int status = server.process().waitFor();
    if (server.isStopping()) {
      return 0; // stopped by Ctrl-C or SIGTERM through the shutdown hook
    }
    server.close();
    throw new IOException("s3proxy on " + server.endpoint() + " exited by itself with status " + status);
  }
}
