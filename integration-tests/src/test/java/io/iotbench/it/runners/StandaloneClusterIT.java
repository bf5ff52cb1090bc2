package io.iotbench.it.runners;

import static io.iotbench.it.runners.Launcher.ROOT;
import static io.iotbench.it.runners.Launcher.iotbench;
import static io.iotbench.it.runners.Launcher.sortedLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Spark Standalone cluster ({@code iotbench cluster start}: Master, Worker and executors in their own JVMs on
 * 127.0.0.1, free ports), used the three ways a user would: the launcher with {@code --sparkMaster=spark://...}
 * (prepare, train, evaluate and score), {@code spark-submit} with the bundled jar (generate), and the portability
 * study's {@code spark-standalone} runner (generate). Every answer must equal the DirectRunner's. The portability
 * study on direct, spark-local and flink, run once for the class, is also the DirectRunner reference of the cluster
 * runs: its inputs (training data, prepared set) and its direct outputs. The cluster is stopped in teardown, and a
 * second stop must say it is not running.
 *
 * <p>Each run is a launcher process and a run on the cluster costs the most (executors start per application), so
 * every pipeline runs once per runner kind: generate, prepare, evaluate and score on direct, spark-local and flink in
 * the study; generate through the study and through spark-submit, and prepare, train, evaluate and score through the
 * launcher on the cluster.
 */
class StandaloneClusterIT {
  private static final Logger LOG = LoggerFactory.getLogger(StandaloneClusterIT.class);
  private static final Pattern STARTED = Pattern.compile("started (spark://127\\.0\\.0\\.1:(\\d+)) \\(web UI http://127\\.0\\.0\\.1:\\d+\\): 1 worker.*");
  /** The study's data: generate's options, the same for every run here that generates. */
  private static final String ROWS = "--rows=2000";
  private static final String SENSORS = "--sensors=10";

  @TempDir static Path temp;
  static Path clusterDir;
  static String masterUrl;
  static int masterPort;
  /** The study on direct, spark-local and flink: how it ended, run on first use; or why it could not run. */
  private static Launcher.Run studyRun;
  private static Throwable studyError;

  @BeforeAll
  static void startCluster() throws Exception {
    clusterDir = temp.resolve("cluster");
    // If the test JVM is stopped (Failsafe timeout, Ctrl-C) before @AfterAll, the daemons must not outlive it.
    Path dir = clusterDir;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (Files.exists(dir.resolve("cluster.properties"))) {
                    try {
                      iotbench("cluster", "stop", "--clusterDir=" + dir);
                    } catch (Exception e) {
                      LOG.warn("could not stop the cluster in {}", dir, e);
                    }
                  }
                }));
    Launcher.Run start = iotbench("cluster", "start", "--clusterDir=" + clusterDir, "--workerCores=2", "--workerMemory=2g");
    assertEquals(0, start.code(), start.err().toString());
    Matcher m = STARTED.matcher(start.out().get(0));
    assertTrue(m.matches(), start.out().get(0));
    masterUrl = m.group(1);
    masterPort = Integer.parseInt(m.group(2));
    LOG.warn("cluster start took {} s: {}", start.seconds(), start.out().get(0));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (clusterDir == null) {
      return;
    }
    Launcher.Run stop = iotbench("cluster", "stop", "--clusterDir=" + clusterDir);
    assertEquals(0, stop.code(), stop.err().toString());
    assertEquals("stopped " + masterUrl, stop.out().get(0).replaceAll(" \\(master pid.*", ""));
    Launcher.Run again = iotbench("cluster", "stop", "--clusterDir=" + clusterDir);
    assertEquals(1, again.code());
    assertEquals(
        List.of("iotbench cluster: error: not running (no cluster in " + clusterDir + "); start one with 'iotbench cluster start'"),
        again.err());
  }

  /**
   * The study's folder: {@code portability --runners=direct,spark-local,flink} of every pipeline, run on first use
   * (by whichever test comes first) and shared by the tests that compare with it; it must have given the same answer
   * on every runner. It runs once even when it fails: the next test fails with the same cause instead of running it
   * again. Fifteen launcher runs (12 cells and the study's 3 inputs) get 20 minutes on a loaded machine.
   */
  private static synchronized Path study() throws Exception {
    Path study = temp.resolve("study");
    if (studyRun == null && studyError == null) {
      try {
        studyRun =
            iotbench(
                20, Map.of(), "portability", "--runners=direct,spark-local,flink", "--pipelines=generate,prepare,evaluate,score",
                ROWS, SENSORS, "--output=" + study);
        LOG.warn("portability study took {} s:\n{}", studyRun.seconds(), String.join("\n", studyRun.out()));
      } catch (Exception | AssertionError e) {
        studyError = e;
      }
    }
    if (studyError != null) {
      throw new AssertionError("the portability study did not run", studyError);
    }
    assertEquals("RESULT runs=12 equal=12 mismatches=0 failed=0 skipped=0", studyRun.lastOut(),
        String.join("\n", studyRun.out()) + studyRun.err());
    assertEquals(0, studyRun.code());
    return study;
  }

  /** The DirectRunner's generate of the study's data (the study's reference cell). */
  private static List<String> directRows() throws Exception {
    List<String> rows = sortedLines(study().resolve("generate/direct/output"));
    assertEquals(2000, rows.size());
    return rows;
  }

  @Test
  void statusPrintsTheMasterUrlAndOneLiveWorker() throws Exception {
    Launcher.Run status = iotbench("cluster", "status", "--clusterDir=" + clusterDir);
    assertEquals(0, status.code(), status.err().toString());
    assertTrue(status.out().get(0).startsWith("running " + masterUrl + " "), status.out().toString());
    assertTrue(status.out().get(0).contains(": 1 worker(s) alive"), status.out().toString());
  }

  @Test
  void secondStartAndBusyPortAreOneLineErrors() throws Exception {
    Launcher.Run again = iotbench("cluster", "start", "--clusterDir=" + clusterDir);
    assertEquals(1, again.code());
    assertEquals(1, again.err().size(), again.err().toString());
    assertTrue(again.err().get(0).startsWith("iotbench cluster: error: already running: " + masterUrl), again.err().get(0));

    Launcher.Run busy = iotbench("cluster", "start", "--clusterDir=" + temp.resolve("other"), "--masterPort=" + masterPort);
    assertEquals(2, busy.code());
    assertEquals(
        List.of("iotbench cluster: error: --masterPort=" + masterPort + ": port " + masterPort + " on 127.0.0.1 is busy"), busy.err());
  }

  @Test
  void generateThroughSparkSubmitWithTheBundledJar() throws Exception {
    Path output = temp.resolve("submit");
    Launcher.Run run =
        iotbench(
            "spark-submit", "--master", masterUrl, "--properties-file", ROOT.resolve("configs/spark-defaults.conf").toString(),
            "--class", "io.iotbench.pipelines.generate.GenerateTrainingData", ROOT.resolve("runners/target/iotbench-bundled.jar").toString(),
            "--runner=SparkRunner", ROWS, SENSORS, "--output=" + output);
    assertEquals(0, run.code(), String.join("\n", run.err()));
    LOG.warn("generate via spark-submit on the cluster took {} s", run.seconds());
    assertEquals(directRows(), sortedLines(output));
  }

  @Test
  void portabilityStudyGivesTheSameAnswerOnEveryRunner() throws Exception {
    Path study = study();
    assertTrue(studyRun.out().contains("| pipeline | direct | spark-local | flink |"), studyRun.out().toString());
    Map<String, String> checksums = checksums(study, 12);
    assertEquals(java.util.Set.of("generate", "prepare", "evaluate", "score"), checksums.keySet());
    assertTrue(Files.size(study.resolve("chart.png")) > 10_000);

    // The study's spark-standalone runner on the running cluster (the launcher with the spark-standalone preset):
    // generate, whose answer must be the other runners' to the byte.
    Path standalone = temp.resolve("study-standalone");
    Launcher.Run run =
        iotbench("portability", "--runners=spark-standalone", "--pipelines=generate", ROWS, SENSORS, "--output=" + standalone,
            "--clusterDir=" + clusterDir);
    LOG.warn("portability study on spark-standalone took {} s:\n{}", run.seconds(), String.join("\n", run.out()));
    assertEquals("RESULT runs=1 equal=1 mismatches=0 failed=0 skipped=0", run.lastOut(), String.join("\n", run.out()) + run.err());
    assertEquals(0, run.code());
    assertEquals(Map.of("generate", checksums.get("generate")), checksums(standalone, 1));
    assertEquals(directRows(), sortedLines(standalone.resolve("generate/spark-standalone/output")));
    assertTrue(Files.exists(clusterDir.resolve("cluster.properties")), "the study used the running cluster and left it running");
    assertTrue(executorLogs() > 0, "the Worker started executors in its work folder");
  }

  /** The study's {@code table.csv}: {@code runs} runs that all ran and agreed; each pipeline's checksum. */
  private static Map<String, String> checksums(Path study, int runs) throws IOException {
    List<String> csv = Files.readAllLines(study.resolve("table.csv"));
    assertEquals(runs + 1, csv.size(), csv.toString());
    Map<String, String> checksums = new java.util.HashMap<>();
    for (String row : csv.subList(1, csv.size())) {
      String[] cells = row.split(",");
      assertEquals(64, cells[6].length(), row);
      assertEquals(checksums.computeIfAbsent(cells[0], p -> cells[6]), cells[6], row);
      assertTrue(row.contains(",ran,") && row.contains(",true,"), row);
    }
    return checksums;
  }

  /**
   * prepare, train, evaluate and score through the launcher on the cluster, from the study's training data: the
   * prepared set must be the study's (made by the DirectRunner with the same seed), and the model trained on the
   * cluster must give the same predictions and decisions there as on the DirectRunner.
   */
  @Test
  void prepareTrainEvaluateAndScoreRunOnTheCluster() throws Exception {
    Path study = study();
    Path chain = temp.resolve("chain");
    String jar = ROOT.resolve("runners/target/iotbench-bundled.jar").toString();
    String[] cluster = {"--runner=SparkRunner", "--sparkMaster=" + masterUrl, "--filesToStage=" + jar};
    Path training = study.resolve("inputs/training");
    Path prepared = chain.resolve("prepared");
    Path model = chain.resolve("model");

    long start = System.nanoTime();
    ok(iotbench(with(cluster, "prepare", "--input=" + training, "--output=" + prepared, SENSORS,
        "--seed=" + io.iotbench.pipelines.common.SeedOptions.DEFAULT_SEED)));
    Launcher.Run train = ok(iotbench("train", "--input=" + prepared, "--model=" + model, "--algorithm=logistic-regression",
        "--maxIter=50", "--seed=5", "--sparkMaster=" + masterUrl, "--sparkConf=spark.jars=" + jar));
    assertTrue(String.join("\n", train.out()).contains(" at " + masterUrl), String.join("\n", train.out()));
    ok(iotbench(with(cluster, "evaluate", "--input=" + prepared, "--model=" + model, "--output=" + chain.resolve("evaluation"))));
    Path events = chain.resolve("events.csv");
    Files.writeString(events, recordedStream());
    Launcher.Run score = ok(iotbench(with(cluster, "score", "--source=file", "--inputFile=" + events, "--model=" + model,
        SENSORS, "--devices=2", "--interval=1", "--decisionsOutput=" + chain.resolve("decisions/decisions"))));
    LOG.warn("prepare -> train -> evaluate -> score on the cluster took {} s", (System.nanoTime() - start) / 1e9);

    // The study's prepare on the DirectRunner, of the same data with the same seed.
    assertEquals(parquetRows(study.resolve("inputs/prepared")), parquetRows(prepared));
    // The same model and inputs on the DirectRunner must give the same predictions and decisions.
    ok(iotbench("evaluate", "--preset=direct", "--input=" + prepared, "--model=" + model,
        "--output=" + chain.resolve("direct-evaluation")));
    assertEquals(predictions(chain.resolve("direct-evaluation")), predictions(chain.resolve("evaluation")));
    Map<?, ?> metrics = new com.fasterxml.jackson.databind.ObjectMapper()
        .readValue(chain.resolve("evaluation/metrics.json").toFile(), Map.class);
    assertTrue(((Number) metrics.get("auroc")).doubleValue() > 0.9, metrics.toString());
    ok(iotbench("score", "--preset=direct", "--source=file", "--inputFile=" + events, "--model=" + model, SENSORS,
        "--devices=2", "--interval=1", "--decisionsOutput=" + chain.resolve("direct-decisions/decisions")));
    List<String> decisions = allLines(chain.resolve("decisions"));
    assertTrue(decisions.size() >= 60, decisions.toString());
    assertEquals(allLines(chain.resolve("direct-decisions")), decisions);
    assertTheReportReachedThisConsole(score.out(), events, model, decisions);
  }

  /** The time in front of the scorer's lines, to the millisecond. */
  private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z: ";
  private static final Pattern DECISION_LINE =
      Pattern.compile(TIME + "Interval (\\d+), device (\\d): (Everything is OK|Attention needed) \\((\\d+) sensor events in interval\\)"
          + "( \\[(late|out of order|revised)\\])*");

  /**
   * The cluster's executors print nothing the user sees: the launching process prints the report from the decision
   * files, on its own standard output, each decision once, with the original's words and the time.
   */
  private static void assertTheReportReachedThisConsole(List<String> out, Path events, Path model, List<String> decisions) {
    String all = String.join("\n", out);
    assertTrue(out.get(0).matches(TIME + Pattern.quote("Analyzing stream of input from file(s) " + events + " using LR model "
        + model + ", with 1.0 second intervals")), all);
    List<String> printed = new java.util.ArrayList<>();
    for (String line : out.subList(1, out.size() - 2)) {
      Matcher m = DECISION_LINE.matcher(line);
      assertTrue(m.matches(), line);
      printed.add(m.group(1) + " " + m.group(2) + " " + (m.group(3).startsWith("Attention") ? "attention" : "ok") + " " + m.group(4));
    }
    List<String> written = new java.util.ArrayList<>();
    for (String json : decisions) {
      io.iotbench.pipelines.score.Decision d = io.iotbench.pipelines.score.Decision.fromJson(json);
      written.add(d.interval() + " " + d.device() + " " + (d.attention() ? "attention" : "ok") + " " + d.events());
    }
    assertEquals(written.stream().sorted().toList(), printed.stream().sorted().toList(), all);
    assertTrue(out.get(out.size() - 2).matches(TIME + "800 events received in \\d+\\.\\d seconds \\(\\d+ intervals\\), or \\d+ sensor events/second"),
        all);
  }

  private static Launcher.Run ok(Launcher.Run run) {
    assertEquals(0, run.code(), String.join("\n", run.err()));
    return run;
  }

  private static String[] with(String[] runner, String command, String... args) {
    List<String> all = new java.util.ArrayList<>(List.of(command));
    all.addAll(List.of(runner));
    all.addAll(List.of(args));
    return all.toArray(new String[0]);
  }

  private static List<String> parquetRows(Path prepared) throws IOException {
    List<String> rows = new java.util.ArrayList<>();
    for (String set : List.of("train", "test")) {
      io.iotbench.runners.portability.CanonicalRecords.rowsOfParquetFiles(prepared.resolve(set))
          .forEach(r -> rows.add(set + "," + r));
    }
    return rows.stream().sorted().toList();
  }

  private static List<String> predictions(Path evaluation) throws IOException {
    return allLines(evaluation.resolve("predictions")).stream().filter(l -> !l.startsWith("producer,")).toList();
  }

  private static List<String> allLines(Path dir) throws IOException {
    return io.iotbench.runners.portability.CanonicalRecords.linesOfFiles(dir).stream().sorted().toList();
  }

  /** 40 s of events, one every 50 ms, of a seeded random sensor (10) and device (2). */
  private static String recordedStream() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(11);
    java.time.Instant t0 = java.time.Instant.parse("2026-01-01T00:00:00Z");
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 800; i++) {
      io.iotbench.model.EventCsvCodec.append(text, new io.iotbench.model.SensorEvent(t0.plusMillis(50L * i),
          String.valueOf(1 + random.nextInt(2)), 1 + random.nextInt(10), random.nextDouble()), true);
      text.append('\n');
    }
    return text.toString();
  }

  private static long executorLogs() throws IOException {
    try (Stream<Path> files = Files.walk(clusterDir.resolve("work"))) {
      return files.filter(p -> p.getFileName().toString().equals("stderr")).count();
    }
  }
}
