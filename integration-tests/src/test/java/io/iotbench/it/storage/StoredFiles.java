package io.iotbench.it.storage;

import io.iotbench.pipelines.common.Cli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;

/** Test helpers shared by the storage ITs: reading a folder on any store, runner flags, running a command. */
final class StoredFiles {
  static final String[] DIRECT = {"--runner=DirectRunner"};
  static final String[] SPARK = {"--runner=SparkRunner", "--sparkMaster=local[2]"};

  private StoredFiles() {}

  /**
   * Every file directly in {@code folder} (any FileSystems location), by name, read through Beam FileSystems with
   * {@code options} (so hdfs:// and s3:// resolve as in the pipeline). For folders without subfolders: on HDFS the
   * match also returns subfolders, which cannot be opened.
   */
  static Map<String, byte[]> read(String folder, List<String> options) throws IOException {
    PipelineOptions parsed = Cli.parse(options.toArray(new String[0]), PipelineOptions.class);
    FileSystems.setDefaultPipelineOptions(parsed);
    String glob = folder.endsWith("/") ? folder + "*" : folder + "/*";
    MatchResult match = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
    Map<String, byte[]> files = new TreeMap<>();
    for (MatchResult.Metadata metadata : match.metadata()) {
      String name = metadata.resourceId().getFilename();
      if (name.startsWith(".") || name.startsWith("_")) {
        // Hidden (the .temp-beam folder of windowed writes, left empty on HDFS) or a marker (_SUCCESS, which names
        // its run), skipped as Hadoop's readers skip them: the data files are what runs and stores must agree on.
        continue;
      }
      try (InputStream in = Channels.newInputStream(FileSystems.open(metadata.resourceId()))) {
        files.put(metadata.resourceId().getFilename(), in.readAllBytes());
      }
    }
    return files;
  }

  /** The bytes of one file at {@code location} (any FileSystems location). */
  static byte[] readFile(String location, List<String> options) throws IOException {
    PipelineOptions parsed = Cli.parse(options.toArray(new String[0]), PipelineOptions.class);
    FileSystems.setDefaultPipelineOptions(parsed);
    try (InputStream in = Channels.newInputStream(
        FileSystems.open(FileSystems.matchSingleFileSpec(location).resourceId()))) {
      return in.readAllBytes();
    }
  }

  /** {@code first} then {@code rest}. */
  static String[] args(String[] first, List<String> middle, String... rest) {
    List<String> all = new ArrayList<>(Arrays.asList(first));
    all.addAll(middle);
    all.addAll(Arrays.asList(rest));
    return all.toArray(new String[0]);
  }

  /** What an in-process command did: its exit code, standard error lines, duration. */
  record Outcome(int code, List<String> err, long millis) {}

  /** Runs a command as {@code iotbench name args} would, in this JVM, capturing standard error (ConsoleReport's). */
  static <T extends PipelineOptions> Outcome execute(String name, String[] args, Class<T> optionsClass,
      Cli.Command<T> command) {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long start = System.nanoTime();
    int code;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      code = Cli.execute(name, args, optionsClass, command);
    } finally {
      System.setErr(old);
    }
    String text = err.toString(StandardCharsets.UTF_8);
    return new Outcome(code, text.isEmpty() ? List.of() : List.of(text.split("\\R")),
        (System.nanoTime() - start) / 1_000_000);
  }

  /** What {@code runners/bin/iotbench} did: exit code, standard error lines, duration. */
  record Launched(int code, List<String> err, long millis) {}

  /**
   * Runs {@code runners/bin/iotbench args} as a user would, with {@code env} added to the environment (credentials,
   * HADOOP_USER_NAME); fails unless it exits within {@code limitMillis}. The launcher does not rebuild: the reactor
   * has just built everything.
   */
  static Launched launch(Map<String, String> env, long limitMillis, List<String> args) throws Exception {
    Path root = Paths.get(System.getProperty("iotbench.root", "..")).toAbsolutePath().normalize();
    List<String> command = new ArrayList<>(List.of(root.resolve("runners/bin/iotbench").toString()));
    command.addAll(args);
    Path err = Files.createTempFile("it-launcher", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD);
      builder.environment().put("IOTBENCH_SKIP_BUILD", "true");
      builder.environment().putAll(env);
      long start = System.nanoTime();
      Process process = builder.start();
      if (!process.waitFor(limitMillis, TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new AssertionError("iotbench " + args + " did not exit within " + limitMillis + " ms");
      }
      return new Launched(process.exitValue(), Files.readAllLines(err, StandardCharsets.UTF_8),
          (System.nanoTime() - start) / 1_000_000);
    } finally {
      Files.deleteIfExists(err);
    }
  }
}
