package io.iotbench.runners.serve;

import static io.iotbench.simulator.cli.Commands.VALUE;

import io.iotbench.model.support.ErrorText;
import io.iotbench.simulator.cli.Commands;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotbench serve}: the portable model of a model folder behind HTTP ({@link ModelServer}) until stopped
 * (Ctrl-C or SIGTERM): the workshop's {@code POST /predict} and the Open Inference Protocol (V2) endpoints. No
 * Spark: the model is the portable {@code model.json} that {@code train} writes. It prints where it listens, the
 * model's version, and one line for every model reload.
 *
 * <pre>{@code
 * iotbench serve --model=data/demo/model --port=8080
 * iotbench serve --model=data/demo/model --port=8080 --accessKey=generate --accessKeyFile=$HOME/.iotbench-key --reloadOnChange
 * }</pre>
 */
@Command(
    name = "serve",
    synopsisHeading = "",
    customSynopsis = "usage: iotbench serve --model=DIR|URI [--option=value ...]",
    description = "Serves a portable model over HTTP: POST /predict and the Open Inference Protocol (V2), until stopped.",
    optionListHeading = Commands.OPTION_LIST_HEADING,
    sortOptions = false)
public final class Serve implements Callable<Integer> {
  static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  @Spec CommandSpec spec;
  @Mixin Commands.HelpOption help;

  @Option(names = "--model", paramLabel = VALUE,
      description = "model folder written by train (its model.json is served), or a model .json file; any FileSystems location [required]")
  String model;

  @Option(names = "--name", paramLabel = VALUE, description = "the model's name in the V2 paths (/v2/models/NAME) [the model folder's name]")
  String name;

  @Option(names = "--port", paramLabel = VALUE, defaultValue = "8080", description = "HTTP port (0 = any free port) [${DEFAULT-VALUE}]")
  int port;

  @Option(names = "--bindAddress", paramLabel = VALUE, defaultValue = "127.0.0.1",
      description = "address to listen on; 0.0.0.0 for every interface (then set an access key) [${DEFAULT-VALUE}]")
  String bindAddress;

  @Option(names = "--accessKeyFile", paramLabel = VALUE,
      description = "file whose first line is the access key every request must carry; with --accessKey=generate, where the new key is written (mode 0600) [none]")
  Path accessKeyFile;

  @Option(names = "--accessKey", paramLabel = "generate",
      description = "'generate': a new random key written to --accessKeyFile, or to a new owner-only temporary file, whose path is printed [none]")
  String accessKey;

  @Option(names = "--reloadOnChange", paramLabel = "true|false", arity = "0..1", defaultValue = "false", fallbackValue = "true",
      description = "serve a new model written into the folder without a restart (the file is checked every --reloadInterval) [${DEFAULT-VALUE}]")
  boolean reloadOnChange;

  @Option(names = "--reloadInterval", paramLabel = VALUE, defaultValue = "1s", description = "how often --reloadOnChange checks the model file [${DEFAULT-VALUE}]")
  Duration reloadInterval;

  @Option(names = "--maxBodyBytes", paramLabel = VALUE, defaultValue = "1048576", description = "largest request body accepted, in bytes [${DEFAULT-VALUE}]")
  int maxBodyBytes;

  @Option(names = "--threads", paramLabel = VALUE, description = "handler threads [2 per core]")
  Integer threads;

  private final PrintStream out;

  Serve(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(Commands.execute(new Serve(System.out), args, System.out, System.err, IllegalArgumentException.class));
  }

  @Override
  public Integer call() throws Exception {
    Commands.required(spec, "model", model);
    String modelName = name != null ? name : defaultName(model);
    Commands.check(spec, MODEL_NAME.matcher(modelName).matches(), name != null ? "name" : "model",
        name != null ? "must be 1-128 letters, digits, dots, hyphens or underscores"
            : "the folder's name '" + modelName + "' is not a usable model name; give --name");
    Commands.range(spec, "port", port, 0, 65535);
    Commands.range(spec, "maxBodyBytes", maxBodyBytes, 1024, 256 * 1024 * 1024);
    int handlerThreads = threads != null ? threads : 2 * Runtime.getRuntime().availableProcessors();
    Commands.range(spec, "threads", handlerThreads, 1, 1024);
    Commands.atLeast(spec, "reloadInterval", reloadInterval, Duration.ofMillis(10));
    if (accessKey != null) {
      accessKey = Commands.choice(spec, "accessKey", accessKey, Set.of("generate"));
    }
    String key = null;
    Path generatedIn = null;
    if ("generate".equals(accessKey)) {
      key = AccessKey.generate();
      Path file = accessKeyFile;
      if (file == null) {
        generatedIn = Files.createTempDirectory("iotbench-serve-");
        file = generatedIn.resolve("access-key");
      }
      AccessKey.write(file, key);
      out.println("iotbench serve: access key written to " + file + " (mode 0600)");
    } else if (accessKeyFile != null) {
      key = AccessKey.read(accessKeyFile);
    }

    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    ModelServer.Settings settings = new ModelServer.Settings(
        bindAddress, port, key, maxBodyBytes, handlerThreads, reloadOnChange ? reloadInterval : null);
    ModelServer server;
    try {
      server = ModelServer.start(model, modelName, settings, line -> out.println("iotbench serve: " + line));
    } catch (BindException e) {
      // Without the cause: the failure line shows the innermost cause's message, which would drop the address.
      throw new IOException("cannot listen on " + bindAddress + ":" + port + ": " + ErrorText.oneLine(e));
    }
    ServedModel served = server.model();
    out.println("iotbench serve: model " + served.name() + " version " + served.version() + " ("
        + served.model().algorithm().id() + ", " + served.numFeatures() + " features) from " + served.file()
        + (reloadOnChange ? ", reloaded when it changes" : ""));
    out.println("iotbench serve: listening on http://" + bindAddress + ":" + server.port()
        + " (POST /predict, POST /v2/models/" + served.name() + "/infer" + (key != null ? "; access key required" : "") + ")");
    CountDownLatch stopped = new CountDownLatch(1);
    Path temporary = generatedIn;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      deleteQuietly(temporary);
      stopped.countDown();
    }, "serve-stop"));
    stopped.await();
    return 0;
  }

  /** The last segment of the model folder (of the folder holding it, for a .json file). */
  static String defaultName(String location) {
    String path = location.replaceAll("/+$", "");
    if (path.endsWith(".json")) {
      int slash = path.lastIndexOf('/');
      path = slash < 0 ? "" : path.substring(0, slash);
      path = path.replaceAll("/+$", "");
    }
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static void deleteQuietly(Path folder) {
    if (folder == null) {
      return;
    }
    try {
      Files.deleteIfExists(folder.resolve("access-key"));
      Files.deleteIfExists(folder);
    } catch (IOException e) {
      // A temporary folder left behind.
    }
  }
}
