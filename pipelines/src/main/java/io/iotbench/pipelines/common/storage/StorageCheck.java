package io.iotbench.pipelines.common.storage;

import io.iotbench.model.support.ErrorText;
import io.iotbench.pipelines.common.InvalidOptionException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.MimeTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Checks a command's storage locations before its pipeline starts, through Beam FileSystems (so the same code serves
 * local disk, {@code hdfs://} and {@code s3://}), and turns what goes wrong into one line naming the option, the
 * location and the problem: an unknown scheme, a missing bucket or input, access denied, an unreachable store.
 * Without it these surface only inside a running pipeline, after runner retries, as a stack trace, and possibly
 * after some output was written. Each probe has a deadline ({@link #PROBE_TIMEOUT}): store clients retry for
 * minutes by default (Hadoop's IPC client 45 times on connect timeouts), and a command must fail within 30 s.
 *
 * <p>Every failure is an {@link InvalidOptionException}: nothing was started, the exit code is 2.
 */
public final class StorageCheck {
  private static final Logger LOG = LoggerFactory.getLogger(StorageCheck.class);

  /** How long one probe of a location may take before the store counts as unreachable. */
  public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

  /** Name prefix of the object an output check writes and deletes again. */
  static final String PROBE_PREFIX = ".iotbench-write-probe-";

  private StorageCheck() {}

  /**
   * The location as FileSystems expects it: a plain local path is made absolute (so every worker means the same
   * folder), anything with a scheme is left as it is.
   */
  public static String normalize(String location) {
    if (location.contains("://")) {
      return location;
    }
    return Paths.get(location).toAbsolutePath().normalize().toString();
  }

  /**
   * Checks that {@code --option=folder} can be written: its scheme is known, the store answers, the bucket exists,
   * and a small probe object can be created and deleted there (which proves write access with the credentials in
   * use). The probe object is deleted again, so a failed check leaves nothing behind.
   */
  public static void checkOutputFolder(PipelineOptions options, String option, String folder) {
    FileSystems.setDefaultPipelineOptions(options);
    ResourceId dir = resource(option, folder, true);
    // On local disk, creating the probe creates the missing folders too; they are removed again below.
    java.nio.file.Path local = folder.contains("://") ? null : Paths.get(normalize(folder));
    java.nio.file.Path existing = local;
    while (existing != null && !java.nio.file.Files.exists(existing)) {
      existing = existing.getParent();
    }
    try {
      probeOutput(options, option, folder, dir);
    } finally {
      for (java.nio.file.Path p = local; p != null && !p.equals(existing); p = p.getParent()) {
        try {
          java.nio.file.Files.deleteIfExists(p);
        } catch (IOException e) {
          break; // not empty: something else writes there now
        }
      }
    }
  }

  private static void probeOutput(PipelineOptions options, String option, String folder, ResourceId dir) {
    probe(options, option, folder, () -> {
      MatchResult listing = FileSystems.match(dir.resolve("*", StandardResolveOptions.RESOLVE_FILE).toString(),
          EmptyMatchTreatment.ALLOW);
      listing.metadata(); // throws the store's error when the listing failed
      ResourceId probe = dir.resolve(PROBE_PREFIX + UUID.randomUUID(), StandardResolveOptions.RESOLVE_FILE);
      try (WritableByteChannel channel = FileSystems.create(probe, MimeTypes.BINARY)) {
        channel.write(ByteBuffer.wrap("probe\n".getBytes(StandardCharsets.US_ASCII)));
      }
      FileSystems.delete(List.of(probe), StandardMoveOptions.IGNORE_MISSING_FILES);
      return null;
    });
  }

  /** Checks that {@code --option=glob} matches at least one readable file, and returns how many it matches. */
  public static int checkInput(PipelineOptions options, String option, String glob) {
    FileSystems.setDefaultPipelineOptions(options);
    resource(option, glob, false); // fails on an unknown scheme
    String spec = normalize(glob);
    return probe(options, option, glob, () -> {
      MatchResult match = FileSystems.match(spec, EmptyMatchTreatment.ALLOW);
      List<MatchResult.Metadata> files = match.metadata();
      if (files.isEmpty()) {
        throw new InvalidOptionException("--" + option + "=" + glob + ": no such file (nothing matches)");
      }
      return files.size();
    });
  }

  /**
   * Checks that {@code --option=location} exists as a file, a glob that matches files, or a folder (prefix) that
   * holds files: its scheme is known, the store answers, the bucket exists, the credentials may list it.
   */
  public static void checkExisting(PipelineOptions options, String option, String location) {
    if (!checkReachable(options, option, location)) {
      throw new InvalidOptionException("--" + option + "=" + location + ": no such file or folder");
    }
  }

  /**
   * Checks that the store of {@code --option=location} can be asked about it: the scheme is known, the store
   * answers, the bucket exists, the credentials may list it. Returns whether anything is there (a file, files the
   * glob matches, or files in the folder); a command with a more specific message for "nothing there" gives it.
   */
  public static boolean checkReachable(PipelineOptions options, String option, String location) {
    FileSystems.setDefaultPipelineOptions(options);
    resource(option, location, false); // fails on an unknown scheme
    String spec = normalize(location);
    String inside = spec.endsWith("/") ? spec + "*" : spec + "/*";
    return probe(options, option, location, () -> {
      boolean found = false;
      for (MatchResult match : FileSystems.match(List.of(spec, inside), EmptyMatchTreatment.ALLOW)) {
        found |= !match.metadata().isEmpty(); // metadata() throws the store's error when the listing failed
      }
      return found;
    });
  }

  /**
   * Checks that files named {@code --option=prefix-...} can be written: the folder the prefix lives in passes
   * {@link #checkOutputFolder}.
   */
  public static void checkOutputPrefix(PipelineOptions options, String option, String prefix) {
    FileSystems.setDefaultPipelineOptions(options);
    ResourceId folder = resource(option, prefix, false).getCurrentDirectory();
    checkOutputFolder(options, option, folder.toString());
  }

  private static ResourceId resource(String option, String location, boolean isDirectory) {
    try {
      return FileSystems.matchNewResource(normalize(location), isDirectory);
    } catch (IllegalArgumentException e) {
      // FileSystems' own message ("No filesystem found for scheme foo") names neither the option nor the remedy.
      String scheme = URI.create(normalize(location).replace(" ", "%20")).getScheme();
      if ("hdfs".equals(scheme)) {
        throw new InvalidOptionException("--" + option + "=" + location + ": hdfs:// needs "
            + "--hdfsConfiguration=[{\"fs.defaultFS\":\"hdfs://NAMENODE:PORT\"}] (or HADOOP_CONF_DIR)");
      }
      throw new InvalidOptionException("--" + option + "=" + location + ": unknown scheme '" + scheme
          + "'; use a local path, hdfs://... or s3://bucket/...");
    }
  }

  private static <T> T probe(PipelineOptions options, String option, String location, Callable<T> check) {
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, "iotbench-storage-probe");
      thread.setDaemon(true); // a store that never answers must not keep the JVM alive
      return thread;
    });
    try {
      Future<T> result = executor.submit(check);
      return result.get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof InvalidOptionException invalid) {
        throw invalid;
      }
      LOG.debug("Storage check of --{}={} failed", option, location, e.getCause());
      throw new InvalidOptionException("--" + option + "=" + location + ": " + describe(e.getCause(), location, options));
    } catch (TimeoutException e) {
      throw new InvalidOptionException("--" + option + "=" + location + ": " + where(location, options)
          + " did not answer within " + PROBE_TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InvalidOptionException("--" + option + "=" + location + ": interrupted while checking it");
    } finally {
      executor.shutdownNow();
    }
  }

  /** What went wrong, in the user's terms, from a store client's exception (chain). */
  static String describe(Throwable error, String location, PipelineOptions options) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      if (t instanceof NoSuchBucketException
          || (t instanceof S3Exception s3 && s3.awsErrorDetails() != null
              && "NoSuchBucket".equals(s3.awsErrorDetails().errorCode()))) {
        return "bucket '" + URI.create(location).getHost() + "' does not exist at " + where(location, options);
      }
      if (t instanceof S3Exception s3 && s3.statusCode() == 403) {
        String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
        return "access denied by " + where(location, options) + (code == null ? "" : " (" + code + ")")
            + "; check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE and the bucket's permissions";
      }
      if (t instanceof SdkClientException && message.startsWith("Unable to load credentials")) {
        return "no AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE";
      }
      if (t instanceof SdkClientException && message.startsWith("Unable to load region")) {
        return "no AWS region; pass --awsRegion=REGION or set AWS_REGION";
      }
      if (t.getClass().getSimpleName().equals("AccessControlException")) {
        return "permission denied: " + firstLine(message);
      }
      if (t instanceof UnknownHostException) {
        return "cannot reach " + where(location, options) + " (unknown host " + message + ")";
      }
      if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
        return "cannot reach " + where(location, options) + " (" + connectProblem(message) + ")";
      }
      if (t instanceof SocketTimeoutException || t.getClass().getSimpleName().equals("ConnectTimeoutException")) {
        return "cannot reach " + where(location, options) + " (connection timed out)";
      }
    }
    return ErrorText.oneLine(ErrorText.rootCause(error));
  }

  /** The store a location lives in, as the user configured it. */
  static String where(String location, PipelineOptions options) {
    URI uri = URI.create(normalize(location).replace(" ", "%20"));
    if ("s3".equals(uri.getScheme())) {
      URI endpoint = options.as(S3Options.class).getEndpoint();
      return endpoint != null ? "the S3 endpoint " + endpoint : "AWS S3";
    }
    if (uri.getScheme() == null || uri.getAuthority() == null) {
      return "the file system";
    }
    return uri.getScheme() + "://" + uri.getAuthority();
  }

  private static String connectProblem(String message) {
    String lower = message.toLowerCase(Locale.ROOT);
    if (lower.contains("refused")) {
      return "connection refused";
    }
    if (lower.contains("no route")) {
      return "no route to host";
    }
    return firstLine(message);
  }

  private static String firstLine(String message) {
    int end = message.indexOf('\n');
    return (end < 0 ? message : message.substring(0, end)).strip();
  }
}
