package io.iotbench.runners.store;

import io.iotbench.simulator.cli.OptionSet;
import io.iotbench.simulator.cli.ParsedOptions;
import io.iotbench.simulator.cli.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;

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
public final class Store {

  // S3's own rule for bucket names (lower case, digits, dots, hyphens; 3-63 characters).
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private Store() {}

  static OptionSet s3Options() {
    return new OptionSet("store s3", "usage: iotbench store s3 [--option=value ...]\n"
            + "Runs an S3-compatible store (s3proxy) on 127.0.0.1 until stopped, with one bucket.")
        .value("port", "9000", "HTTP port (0 = any free port)")
        .value("dataDir", null, "folder for the objects, kept and reused; by default a temporary folder deleted at exit")
        .value("bucket", "iotbench", "bucket to create (kept if it exists)");
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns only on errors or after the store stopped. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    String kind = args.length > 0 && !args[0].startsWith("-") ? args[0] : "";
    String[] rest = kind.isEmpty() ? args : Arrays.copyOfRange(args, 1, args.length);
    if (!kind.equals("s3")) {
      if (OptionSet.wantsHelp(args)) {
        out.println("usage: iotbench store s3 [--option=value ...]");
        out.println();
        s3Options().printHelp(out);
        return 0;
      }
      err.println("iotbench store: error: " + (kind.isEmpty() ? "which store?" : "unknown store '" + kind + "'")
          + " (iotbench store s3 [--port=...])");
      return 2;
    }
    OptionSet options = s3Options();
    if (OptionSet.wantsHelp(rest)) {
      options.printHelp(out);
      return 0;
    }
    try {
      ParsedOptions o = options.parse(rest);
      if (!o.positional().isEmpty()) {
        throw new UsageException("unexpected argument '" + o.positional().get(0) + "'");
      }
      int port = o.intValue("port", 0, 65535);
      String bucket = o.string("bucket");
      if (!BUCKET.matcher(bucket).matches()) {
        throw ParsedOptions.bad("bucket", bucket, "must be 3-63 lower-case letters, digits, dots or hyphens");
      }
      String dataDir = o.string("dataDir");
      return runS3(port, dataDir == null ? null : Path.of(dataDir), bucket, out);
    } catch (UsageException e) {
      err.println("iotbench store s3: error: " + e.getMessage());
      return 2;
    } catch (IOException | RuntimeException e) {
      err.println("iotbench store s3: error: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
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
