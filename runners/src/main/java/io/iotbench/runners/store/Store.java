package io.iotbench.runners.store;

import static io.iotbench.simulator.cli.Commands.VALUE;

import io.iotbench.simulator.cli.Commands;
import java.io.IOException;
import java.io.PrintStream;
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
 * bucket, prints the endpoint, the bucket, the credentials and the exact flags that point any command at it, and runs
 * until stopped (Ctrl-C or SIGTERM), like {@code iotbench broker}. For users without S3, the README and tests.
 *
 * <pre>{@code
 * iotbench store s3 --port=9000 --bucket=iotbench
 * iotbench store s3 --dataDir=/var/tmp/s3     # objects kept, and served again on the next start
 * }</pre>
 */
@Command(name = "store", subcommands = Store.S3.class, synopsisHeading = "", customSynopsis = Store.USAGE)
public final class Store implements Callable<Integer> {
  static final String USAGE = "usage: iotbench store s3 [--option=value ...]";

  // S3's own rule for bucket names (lower case, digits, dots, hyphens; 3-63 characters).
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

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

    @Override
    public Integer call() {
      Commands.range(spec, "port", port, 0, 65535);
      Commands.check(spec, BUCKET.matcher(bucket).matches(), "bucket", "must be 3-63 lower-case letters, digits, dots or hyphens");
      try {
        return runS3(port, dataDir, bucket, parent.out);
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

  private static int runS3(int port, Path dataDir, String bucket, PrintStream out)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    S3ProxyServer server = S3ProxyServer.start(port, dataDir, bucket);
    long millis = (System.nanoTime() - start) / 1_000_000;
    out.println("S3-compatible store (s3proxy) listening on " + server.endpoint() + " in " + millis + " ms, bucket '"
        + bucket + "', data in " + server.dataDir() + (dataDir == null ? " (deleted at exit)" : "")
        + "; stop with Ctrl-C");
    out.println("Credentials (of this local store only): access key " + S3ProxyServer.ACCESS_KEY + ", secret key "
        + S3ProxyServer.SECRET_KEY + ". Use it from another shell with:");
    out.println("  export AWS_ACCESS_KEY_ID=" + S3ProxyServer.ACCESS_KEY + " AWS_SECRET_ACCESS_KEY="
        + S3ProxyServer.SECRET_KEY);
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
