package io.iotbench.runners.serve;

import static io.iotbench.simulator.cli.Commands.VALUE;

import io.iotbench.model.scoring.PortableModel;
import io.iotbench.model.support.Folders;
import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.simulator.cli.Commands;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotbench bench-serve}: how many predictions {@code serve} answers on this machine. It starts the model server
 * on 127.0.0.1 (a free port, the same {@link ModelServer} as {@code serve}) with a model folder, or with a logistic
 * regression of {@code --sensors} features made up for the purpose, and drives {@code POST /predict} from this JVM
 * with {@code --connections} kept-alive connections ({@link KeepAliveClient}), closed loop: first single rows
 * ({@code {"features": [...]}}), then batches of {@code --batchRows} rows ({@code {"instances": [...]}}), each phase
 * a warm-up (not measured) and {@code --seconds} measured, the pair repeated {@code --runs} times. Prints each run,
 * the medians and spread, and ends with
 * {@code RESULT requests_per_s=... p50_ms=... p99_ms=... batch_predictions_per_s=... ...}; exits 1 if any answer was
 * an error.
 *
 * <pre>{@code
 * iotbench bench-serve --seconds=10 --runs=3 --connections=4
 * iotbench bench-serve --model=data/demo/model --batchRows=100
 * }</pre>
 */
@Command(
    name = "bench-serve",
    synopsisHeading = "",
    customSynopsis = "usage: iotbench bench-serve [--option=value ...]",
    description = "Measures serve: single-row and batched predictions per second and latency on loopback.",
    optionListHeading = Commands.OPTION_LIST_HEADING,
    sortOptions = false)
public final class ServeBenchmark implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin Commands.HelpOption help;

  @Option(names = "--model", paramLabel = VALUE, description = "model folder or .json to serve [a made-up logistic regression of --sensors features]")
  String model;

  @Option(names = "--sensors", paramLabel = VALUE, defaultValue = "100", description = "features of the made-up model and of each row sent [${DEFAULT-VALUE}]")
  int sensors;

  @Option(names = "--seconds", paramLabel = VALUE, defaultValue = "10", description = "measured seconds of each phase of each run [${DEFAULT-VALUE}]")
  int seconds;

  @Option(names = "--warmUp", paramLabel = VALUE, defaultValue = "3s", description = "unmeasured load before each phase [${DEFAULT-VALUE}]")
  Duration warmUp;

  @Option(names = "--runs", paramLabel = VALUE, defaultValue = "3", description = "runs of both phases; medians are reported [${DEFAULT-VALUE}]")
  int runs;

  @Option(names = "--connections", paramLabel = VALUE, defaultValue = "4", description = "concurrent kept-alive connections, one load thread each [${DEFAULT-VALUE}]")
  int connections;

  @Option(names = "--batchRows", paramLabel = VALUE, defaultValue = "100", description = "rows per batched request [${DEFAULT-VALUE}]")
  int batchRows;

  @Option(names = "--threads", paramLabel = VALUE, description = "the server's handler threads [2 per core, as serve]")
  Integer threads;

  public static void main(String[] args) {
    System.exit(Commands.execute(new ServeBenchmark(), args, System.out, System.err, IllegalArgumentException.class));
  }

  @Override
  public Integer call() throws Exception {
    Commands.range(spec, "sensors", sensors, 1, 100_000);
    Commands.range(spec, "seconds", seconds, 1, 3600);
    Commands.range(spec, "runs", runs, 1, 100);
    Commands.range(spec, "connections", connections, 1, 1024);
    Commands.range(spec, "batchRows", batchRows, 1, 10_000);
    int cores = Runtime.getRuntime().availableProcessors();
    int handlerThreads = threads != null ? Commands.range(spec, "threads", threads, 1, 1024) : 2 * cores;
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    Path scratch = null;
    String location = model;
    if (location == null) {
      scratch = Files.createTempDirectory("iotbench-bench-serve-");
      Path folder = Files.createDirectories(scratch.resolve("lr" + sensors));
      Files.write(folder.resolve(PortableModel.FILE_NAME), madeUpModel(sensors).toBytes());
      location = folder.toString();
    }
    ModelServer.Settings settings = new ModelServer.Settings("127.0.0.1", 0, null, 16 * 1024 * 1024, handlerThreads, null);
    try (ModelServer server = ModelServer.start(location, Serve.defaultName(location), settings, ConsoleReport::line)) {
      ServedModel served = server.model();
      int features = served.numFeatures();
      ConsoleReport.line(String.format(Locale.ROOT,
          "bench-serve: model %s version %s (%s, %d features) on 127.0.0.1:%d, %d handler threads; %d connections from this"
              + " JVM; %d cores shared with the load; %d s measured after %s warm-up per phase, %d runs",
          served.name(), served.version(), served.model().algorithm().id(), features, server.port(), handlerThreads,
          connections, cores, seconds, Commands.format(warmUp), runs));
      List<byte[]> singles = bodies(features, 1, 256);
      List<byte[]> batches = bodies(features, batchRows, 16);
      List<LoadPhase.Figures> single = new ArrayList<>();
      List<LoadPhase.Figures> batch = new ArrayList<>();
      Duration measured = Duration.ofSeconds(seconds);
      for (int run = 1; run <= runs; run++) {
        LoadPhase.Figures s = LoadPhase.run("127.0.0.1", server.port(), "/predict", null, singles, connections, warmUp, measured);
        single.add(s);
        ConsoleReport.line(ServeFigures.runLine("single rows", run, runs, s, 1));
        LoadPhase.Figures b = LoadPhase.run("127.0.0.1", server.port(), "/predict", null, batches, connections, warmUp, measured);
        batch.add(b);
        ConsoleReport.line(ServeFigures.runLine("batches of " + batchRows, run, runs, b, batchRows));
      }
      ServeFigures figures = new ServeFigures(single, batch, batchRows, connections, cores);
      figures.summary().forEach(ConsoleReport::line);
      ConsoleReport.line(figures.resultLine());
      return figures.errors() == 0 ? 0 : Commands.EXIT_FAILED;
    } finally {
      if (scratch != null) {
        Folders.deleteRecursively(scratch);
      }
    }
  }

  /** A logistic regression with seeded coefficients: scoring costs what a trained one of the same size costs. */
  static PortableModel madeUpModel(int features) {
    Random random = new Random(42);
    double[] coefficients = new double[features];
    for (int i = 0; i < features; i++) {
      coefficients[i] = random.nextGaussian() * 0.05;
    }
    return PortableModel.logisticRegression(coefficients, -1.0, 0.5, Map.of("madeUpBy", "bench-serve"));
  }

  /** {@code count} request bodies of {@code rows} seeded rows of sensor-like values (0..100, two decimals). */
  static List<byte[]> bodies(int features, int rows, int count) {
    Random random = new Random(7);
    List<byte[]> bodies = new ArrayList<>();
    for (int b = 0; b < count; b++) {
      StringBuilder json = new StringBuilder(rows == 1 ? "{\"features\": " : "{\"instances\": [");
      for (int r = 0; r < rows; r++) {
        json.append(r == 0 ? "[" : ", [");
        for (int f = 0; f < features; f++) {
          if (f > 0) {
            json.append(", ");
          }
          json.append(random.nextInt(10_000) / 100.0);
        }
        json.append(']');
      }
      json.append(rows == 1 ? "}" : "]}");
      bodies.add(json.toString().getBytes(StandardCharsets.UTF_8));
    }
    return bodies;
  }
}
