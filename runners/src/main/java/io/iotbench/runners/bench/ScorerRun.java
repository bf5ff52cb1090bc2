package io.iotbench.runners.bench;

import io.iotbench.model.scoring.PortableModel;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.score.ScoreSensorStream;
import io.iotbench.pipelines.train.ModelFolder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@code score} run of the scorer benchmark, in this JVM: the SparkRunner {@code local[2]} in streaming mode
 * over a pre-loaded Kafka topic, 1 s intervals, publishing its decisions to a Kafka topic.
 *
 * <p>Pre-loaded events carry the time they were loaded, so with event time every window would end long before it
 * is scored and the latency would measure the age of the data. The run therefore scores in the processing time
 * domain ({@code --timeDomain=processing}: windows of the wall clock while the topic is drained) and fixes
 * interval 1 with {@code --origin}. The console report is not read: it goes to a {@link ConsoleTail} whose last
 * lines explain a failure.
 */
final class ScorerRun {
  /** Settings shared by every run of one benchmark. */
  record Settings(Path model, Path work, String kafkaSource, long microBatchMillis, double sourceReadShare,
      int timeoutSeconds, List<String> extraArgs) {}

  /** How a run went: interval 1's start (epoch milliseconds) and the last lines of its console report. */
  record Result(long originMillis, List<String> lastLines) {
    /** The failure of a run that published no decision. */
    IllegalStateException noDecisions() {
      return new IllegalStateException("score made no decisions: " + String.join(" | ", lastLines));
    }
  }

  private ScorerRun() {}

  /** Scores {@code topic} of {@code devices} devices; the decisions go to {@code decisionsTopic}. */
  static Result run(Settings s, String bootstrap, String topic, String decisionsTopic, int devices) {
    long origin = (System.currentTimeMillis() / 1000 + 1) * 1000;
    List<String> args = new ArrayList<>(List.of("--runner=SparkRunner", "--sparkMaster=local[2]", "--streaming=true",
        "--batchIntervalMillis=" + s.microBatchMillis(), "--checkpointDir=" + s.work().resolve("cp-" + devices).toUri(),
        "--source=kafka", "--kafkaSource=" + s.kafkaSource(), "--bootstrapServers=" + bootstrap, "--topic=" + topic,
        "--groupId=" + topic, "--model=" + s.model(), "--sensors=100", "--devices=" + devices, "--interval=1",
        "--timeDomain=processing", "--origin=" + Instant.ofEpochMilli(origin), "--ticks=false",
        "--readTimePercentage=" + s.sourceReadShare(), "--maxRuntime=" + s.timeoutSeconds(),
        "--decisionsTopic=" + decisionsTopic));
    args.addAll(s.extraArgs());
    ConsoleTail console = new ConsoleTail(3);
    PrintStream oldOut = System.out;
    System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Cli.execute("score", args.toArray(String[]::new), ScoreSensorStream.Options.class,
          opts -> ScoreSensorStream.exitCode(ScoreSensorStream.run(opts)));
    } finally {
      System.setOut(oldOut);
    }
    if (code != 0) {
      throw new IllegalStateException("score exited " + code + ": " + String.join(" | ", console.lines()));
    }
    return new Result(origin, console.lines());
  }

  /**
   * The generator's labeling rule as a model of 100 sensors: weight i for sensor i, cutoff at 0.25*n*(n+1).
   * Published as a model folder with its marker, as {@code score} requires.
   */
  static Path writeModel(Path dir) throws IOException {
    double[] w = new double[100];
    for (int i = 0; i < 100; i++) {
      w[i] = (i + 1) / 100.0;
    }
    ModelFolder.writePortable(dir.toString(), PortableModel.logisticRegression(w, -25.25, 0.5, Map.of()));
    return dir;
  }
}
