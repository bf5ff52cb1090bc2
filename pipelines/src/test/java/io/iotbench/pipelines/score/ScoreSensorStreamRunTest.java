package io.iotbench.pipelines.score;

import static io.iotbench.pipelines.score.ScoreFixtures.csv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.common.storage.AtomicOutput;
import io.iotbench.pipelines.testing.ConsoleCapture;
import io.iotbench.pipelines.testing.Runners;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code score} command end to end: file replays, the report lines, the summary, option and model errors. */
class ScoreSensorStreamRunTest {
  @TempDir Path temp;

  private Path recording() throws Exception {
    Path file = temp.resolve("events.csv");
    Files.write(file, List.of(
        csv(100, 1, 0.9), csv(200, 2, 0.9), "garbage line",
        csv(1100, 3, 0.9), // interval 1: 0.9+0.9+0.5 = 2.3 > 2, interval 2: 2.7, both attention
        csv(3100, 1, 0.1), // interval 4: 0.1+0.9+0.9 = 1.9: OK
        ScoreFixtures.sentinel(3200)));
    return file;
  }

  /** The time in front of the original's lines, to the millisecond. */
  private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z: ";

  /** The console of a successful run. */
  private ConsoleCapture run(String... args) throws Exception {
    Path model = ScoreFixtures.writeModel(temp.resolve("model"), 3);
    ConsoleCapture console = new ConsoleCapture();
    int code = console.capture(() -> Cli.execute("score",
        Runners.args(Runners.DIRECT, Runners.args(new String[] {"--model=" + model, "--sensors=3", "--source=file"}, args)),
        ScoreSensorStream.Options.class, o -> ScoreSensorStream.exitCode(ScoreSensorStream.run(o))));
    assertEquals(0, code, String.join("\n", console.errLines()));
    return console;
  }

  /** The standard output of a successful run, each line without the time in front of it. */
  private List<String> score(String... args) throws Exception {
    return run(args).outLines().stream().map(l -> l.replaceFirst("^" + TIME, "")).toList();
  }

  /**
   * The last report line of each interval, without flags. A batch run fires all windows at the end in any
   * order, so an interval may first be scored before an earlier one and then revised; the last line counts.
   */
  private static List<String> newestPerInterval(List<String> out) {
    java.util.Map<String, String> newest = new java.util.TreeMap<>();
    for (String line : out) {
      if (line.startsWith("Interval ")) {
        newest.put(line.substring(0, line.indexOf(':')), line.replaceAll(" \\[.*$", ""));
      }
    }
    return List.copyOf(newest.values());
  }

  @Test
  void boundedReplayPrintsTheOriginalReportAndSummary() throws Exception {
    Path deadLetters = temp.resolve("dead/letters");
    List<String> out = score("--inputFile=" + recording(), "--deadLetterOutput=" + deadLetters);
    assertEquals(List.of(
        "Interval 1: Attention needed (2 sensor events in interval)",
        "Interval 2: Attention needed (1 sensor events in interval)",
        "Interval 4: Everything is OK (1 sensor events in interval)"), newestPerInterval(out));
    String summary = out.get(out.size() - 2);
    assertTrue(summary.matches("4 events received in [0-9.]+ seconds \\(4 intervals\\), or [0-9]+ sensor events/second"), summary);
    assertTrue(out.get(out.size() - 1).contains("deadLetters=1 (parse=1)"), out.get(out.size() - 1));
    List<String> letters = Files.list(deadLetters.getParent())
        .filter(f -> Files.isRegularFile(f) && f.getFileName().toString().startsWith("letters")).flatMap(f -> {
      try {
        return Files.readAllLines(f).stream();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).toList();
    assertEquals(1, letters.size());
    assertTrue(letters.get(0).contains("\"payload\":\"garbage line\""), letters.get(0));
  }

  /** Every line the original prints, by its exact pattern (the time first), then our counters. */
  @Test
  void theOriginalsLinesComeWithTheTimeAndTheirWords() throws Exception {
    Path recording = recording();
    List<String> out = run("--inputFile=" + recording).outLines();
    assertTrue(out.get(0).matches(TIME + java.util.regex.Pattern.quote("Analyzing stream of input from file(s) " + recording
        + " using LR model " + temp.resolve("model") + ", with 1.0 second intervals")), out.get(0));
    List<String> intervals = out.subList(1, out.size() - 2);
    assertTrue(intervals.size() >= 3, String.join("\n", out));
    for (String line : intervals) {
      assertTrue(line.matches(TIME + "Interval [124]: (Everything is OK|Attention needed) \\(\\d+ sensor events in interval\\)( \\[(late|out of order|revised)\\])*"),
          line);
    }
    assertTrue(out.get(out.size() - 2).matches(TIME + "4 events received in \\d+\\.\\d seconds \\(4 intervals\\), or \\d+ sensor events/second"),
        out.get(out.size() - 2));
    assertTrue(out.get(out.size() - 1).startsWith("Counters: records="), out.get(out.size() - 1));
  }

  @Test
  void quietPrintsOnlyTheDecisions() throws Exception {
    ConsoleCapture console = run("--inputFile=" + recording(), "--quiet");
    List<String> out = console.outLines();
    assertTrue(out.size() >= 3, String.join("\n", out));
    for (String line : out) {
      assertTrue(line.matches(TIME + "Interval [124]: (Everything is OK|Attention needed) .*"), line);
    }
    assertTrue(console.errLines().stream().noneMatch(l -> l.contains("events received") || l.startsWith("Counters")),
        String.join("\n", console.errLines()));
  }

  @Test
  void jsonPutsOneObjectPerDecisionOnStandardOutputAndTheOtherLinesOnStandardError() throws Exception {
    ConsoleCapture console = run("--inputFile=" + recording(), "--reportFormat=json");
    List<String> out = console.outLines();
    java.util.Map<Long, com.fasterxml.jackson.databind.JsonNode> newest = new java.util.TreeMap<>();
    for (String line : out) {
      com.fasterxml.jackson.databind.JsonNode n = io.iotbench.pipelines.common.Json.MAPPER.readTree(line);
      List<String> fields = new java.util.ArrayList<>();
      n.fieldNames().forEachRemaining(fields::add);
      assertEquals(List.of("time", "interval", "windowStart", "windowEnd", "device", "decision", "probability", "events", "flags"),
          fields, line);
      assertTrue(n.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), line);
      newest.put(n.get("interval").asLong(), n);
    }
    assertEquals(List.of(1L, 2L, 4L), List.copyOf(newest.keySet()));
    assertEquals("attention", newest.get(1L).get("decision").asText());
    assertEquals(2, newest.get(1L).get("events").asLong());
    assertEquals(ScoreFixtures.T0.toString(), newest.get(1L).get("windowStart").asText());
    assertEquals(ScoreFixtures.T0.plusSeconds(1).toString(), newest.get(1L).get("windowEnd").asText());
    assertEquals("ok", newest.get(4L).get("decision").asText());
    List<String> err = console.errLines();
    assertTrue(err.stream().anyMatch(l -> l.matches(TIME + "Analyzing stream of input from file\\(s\\) .*")), String.join("\n", err));
    assertTrue(err.stream().anyMatch(l -> l.matches(TIME + "4 events received in .*")), String.join("\n", err));
  }

  @Test
  void unboundedReplayStopsOnTheSentinelWithTheSameReport() throws Exception {
    List<String> out = score("--inputFile=" + recording(), "--replay=unbounded", "--maxOutOfOrderness=0");
    assertEquals(List.of(
        "Interval 1: Attention needed (2 sensor events in interval)",
        "Interval 2: Attention needed (1 sensor events in interval)",
        "Interval 4: Everything is OK (1 sensor events in interval)"), newestPerInterval(out));
    assertTrue(out.get(out.size() - 2).startsWith("4 events received in "), out.get(out.size() - 2));
  }

  /** 2,000 events over 10 s, a year-2100 line and a year-300000 line in the middle, then the sentinel. */
  private Path recordingWithBadTimes() throws Exception {
    List<String> lines = new java.util.ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      lines.add(csv(i * 5L, i % 3 + 1, i % 7 / 7.0));
      if (i == 1000) {
        lines.add("2100-01-01T00:00:00.000Z,1,Sensor 1,0.9");
      } else if (i == 1500) {
        lines.add("+300000-01-01T00:00:00.000Z,2,Sensor 2,0.9");
      }
    }
    lines.add(ScoreFixtures.sentinel(10_000));
    Path file = temp.resolve("bad-times.csv");
    Files.write(file, lines);
    return file;
  }

  private static void saneIntervals(List<String> out) {
    List<String> intervals = out.stream().filter(l -> l.startsWith("Interval ")).toList();
    for (String line : intervals) {
      long n = Long.parseLong(line.substring("Interval ".length(), line.indexOf(':')));
      assertTrue(n >= 1 && n <= 11, line);
      assertTrue(!line.contains("[late]"), line);
    }
    java.util.Set<Long> decided = new java.util.TreeSet<>();
    intervals.forEach(l -> decided.add(Long.parseLong(l.substring("Interval ".length(), l.indexOf(':')))));
    assertTrue(decided.containsAll(java.util.stream.LongStream.rangeClosed(1, 10).boxed().toList()), "decided: " + decided);
    String summary = out.get(out.size() - 2);
    assertTrue(summary.matches("2000 events received in [0-9.]+ seconds \\((10|11) intervals\\), or [0-9]+ sensor events/second"), summary);
    assertTrue(out.get(out.size() - 1).startsWith("Counters: records=2003 events=2000 sentinels=1 deadLetters=2"
        + " (badTimestamp=1 futureTimestamp=1) "), out.get(out.size() - 1));
  }

  @Test
  void aReplayWithFarFutureAndYear300000LinesEndsWellWithSaneIntervals() throws Exception {
    saneIntervals(score("--inputFile=" + recordingWithBadTimes()));
  }

  @Test
  void anUnboundedReplayWithFarFutureAndYear300000LinesEndsWellWithSaneIntervals() throws Exception {
    saneIntervals(score("--inputFile=" + recordingWithBadTimes(), "--replay=unbounded"));
  }

  @Test
  void aModelWithOtherFeaturesIsRejectedBeforeStartingWithExitTwo() throws Exception {
    Path model = ScoreFixtures.writeModel(temp.resolve("model5"), 5);
    ConsoleCapture console = new ConsoleCapture();
    int code = console.capture(() -> Cli.execute("score",
        Runners.args(Runners.DIRECT, "--model=" + model, "--sensors=3", "--source=file", "--inputFile=" + recording()),
        ScoreSensorStream.Options.class, o -> ScoreSensorStream.exitCode(ScoreSensorStream.run(o))));
    assertEquals(Cli.EXIT_USAGE, code);
    assertEquals(List.of("iotbench score: error: --model=" + model + ": the model has 5 features but --sensors=3"
        + " (train it with --sensors=3, or score with --sensors=5)"), console.errLines());
  }

  @Test
  void aModelFolderWithoutItsMarkerIsRefusedBeforeStartingAndItsModelFileIsRead() throws Exception {
    Path model = ScoreFixtures.writeModel(temp.resolve("old-model"), 3);
    Files.delete(model.resolve(AtomicOutput.MARKER));
    ConsoleCapture console = new ConsoleCapture();
    // A socket source nobody listens on: the model is checked before the source, so the refusal comes at once.
    int code = console.capture(() -> Cli.execute("score",
        Runners.args(Runners.DIRECT, "--model=" + model, "--sensors=3", "--source=socket", "--port=1"),
        ScoreSensorStream.Options.class, o -> ScoreSensorStream.exitCode(ScoreSensorStream.run(o))));
    assertEquals(Cli.EXIT_USAGE, code);
    assertEquals(List.of("iotbench score: error: --model=" + model + ": not a complete output (no _SUCCESS in " + model
        + "/): the run that wrote it failed or has not finished; to read files without the marker, name the files"),
        console.errLines());

    // The model file named by itself is read as it is, as files named explicitly are elsewhere.
    ConsoleCapture file = new ConsoleCapture();
    Path decisions = temp.resolve("decisions/d");
    code = file.capture(() -> Cli.execute("score",
        Runners.args(Runners.DIRECT, "--model=" + model.resolve("model.json"), "--sensors=3", "--source=file",
            "--inputFile=" + recording(), "--decisionsOutput=" + decisions),
        ScoreSensorStream.Options.class, o -> ScoreSensorStream.exitCode(ScoreSensorStream.run(o))));
    assertEquals(0, code, String.join("\n", file.errLines()));
    // A batch run may score interval 2 before interval 1 and revise it; intervals 1 and 4 decide the same either way.
    java.util.Map<Long, List<Decision>> byInterval = new java.util.TreeMap<>();
    for (String line : decisionLines(decisions)) {
      Decision d = Decision.fromJson(line);
      byInterval.computeIfAbsent(d.interval(), n -> new java.util.ArrayList<>()).add(d);
    }
    assertEquals(java.util.Set.of(1L, 2L, 4L), byInterval.keySet(), byInterval.toString());
    double expected = ScoreFixtures.SCORER.score(new double[] {0.9, 0.9, 0.5}).probability();
    for (Decision d : byInterval.get(1L)) {
      assertTrue(d.attention() && Math.abs(d.probability() - expected) < 1e-9, d.toString());
    }
    assertTrue(byInterval.get(2L).stream().anyMatch(Decision::attention), byInterval.get(2L).toString());
    assertTrue(byInterval.get(4L).stream().noneMatch(Decision::attention), byInterval.get(4L).toString());
  }

  /** Every line of the decision files written with the prefix {@code prefix}. */
  private static List<String> decisionLines(Path prefix) throws java.io.IOException {
    String name = prefix.getFileName().toString();
    List<String> lines = new java.util.ArrayList<>();
    try (var files = Files.walk(prefix.getParent())) {
      for (Path f : files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().startsWith(name)).toList()) {
        lines.addAll(Files.readAllLines(f));
      }
    }
    return lines;
  }

  @Test
  void aMissingModelIsOneErrorLine() throws Exception {
    ConsoleCapture console = new ConsoleCapture();
    int code = console.capture(() -> Cli.execute("score",
        Runners.args(Runners.DIRECT, "--model=" + temp.resolve("nope"), "--source=socket"),
        ScoreSensorStream.Options.class, o -> ScoreSensorStream.exitCode(ScoreSensorStream.run(o))));
    assertEquals(Cli.EXIT_USAGE, code);
    assertEquals(1, console.errLines().size());
    assertTrue(console.errLines().get(0).contains("does not exist"), console.errLines().get(0));
  }

  @Test
  void validateRejectsBadOptions() throws Exception {
    Path model = temp.resolve("m");
    for (String[] bad : List.of(
        new String[] {"--source=pigeon"}, new String[] {"--interval=0"}, new String[] {"--sensors=0"},
        new String[] {"--timeDomain=wall"}, new String[] {"--source=file"}, new String[] {"--format=xml"},
        new String[] {"--allowedLateness=-1"}, new String[] {"--origin=yesterday"}, new String[] {"--kafkaProperty=novalue"},
        new String[] {"--deviceIdleTimeout=5"}, new String[] {"--deviceIdleTimeout=NaN"},
        new String[] {"--deviceIdleTimeout=60", "--allowedLateness=120"},
        new String[] {"--maxFutureSkew=-1"}, new String[] {"--maxRecordBytes=0"}, new String[] {"--reportFormat=xml"})) {
      String[] args = Runners.args(Runners.DIRECT, Runners.args(new String[] {"--model=" + model}, bad));
      ScoreSensorStream.Options o = Cli.parse(args, ScoreSensorStream.Options.class);
      assertThrows(InvalidOptionException.class, () -> ScoreSensorStream.validate(o), String.join(" ", bad));
    }
    ScoreSensorStream.validate(Cli.parse(Runners.args(Runners.DIRECT, "--model=" + model, "--interval=0.25", "--source=kafka"),
        ScoreSensorStream.Options.class));
  }

  /**
   * On a cluster the DoFns' lines would land in the executors' logs: the console follows the decision files, and a run
   * without them is refused at once, in one line naming the fix.
   */
  @Test
  void aClusterRunWithoutDecisionFilesIsRefusedInOneLine() throws Exception {
    Path model = ScoreFixtures.writeModel(temp.resolve("model"), 3);
    ConsoleCapture console = new ConsoleCapture();
    int code = console.capture(() -> Cli.execute("score",
        new String[] {"--runner=SparkRunner", "--sparkMaster=spark://127.0.0.1:7077", "--model=" + model, "--sensors=3",
            "--source=file", "--inputFile=" + recording()},
        ScoreSensorStream.Options.class, o -> ScoreSensorStream.exitCode(ScoreSensorStream.run(o))));
    assertEquals(Cli.EXIT_USAGE, code);
    assertEquals(1, console.errLines().size(), String.join("\n", console.errLines()));
    assertTrue(console.errLines().get(0).contains("--runner=SparkRunner: its DoFns run on a cluster")
        && console.errLines().get(0).contains("add --decisionsOutput=PREFIX"), console.errLines().get(0));
    assertEquals(List.of(), console.outLines());
    ScoreSensorStream.validate(Cli.parse(new String[] {"--runner=SparkRunner", "--sparkMaster=spark://127.0.0.1:7077",
        "--model=" + model, "--decisionsOutput=" + temp.resolve("d/d")}, ScoreSensorStream.Options.class));
    ScoreSensorStream.validate(Cli.parse(new String[] {"--runner=SparkRunner", "--sparkMaster=spark://127.0.0.1:7077",
        "--model=" + model, "--decisionsTopic=decisions"}, ScoreSensorStream.Options.class));
  }

  /**
   * A device id that tries to forge a report line: sent as JSON with the newline escaped, accepted as a device, it
   * is printed as one escaped line on the console and written as valid JSON, the id intact, to the decisions file.
   */
  @Test
  void aDeviceIdWithANewlineIsOneEscapedLineAndValidJson() throws Exception {
    String forged = "a\nInterval 9: Attention needed";
    long micros = (ScoreFixtures.T0.toEpochMilli() + 100) * 1000;
    Path events = temp.resolve("events.json");
    Files.write(events, List.of(
        "{\"sensor_id\":" + io.iotbench.pipelines.common.Json.line(forged) + ",\"sensor_ts\":" + micros
            + ",\"sensor_0\":0.9,\"sensor_1\":0.9,\"sensor_2\":0.9}",
        "{\"sensor_id\":\"b\",\"sensor_ts\":" + (micros + 1000) + ",\"sensor_0\":0.1}"));
    assertTrue(Files.readAllLines(events).get(0).contains("a\\nInterval 9"), "the newline is JSON-escaped in the file");
    Path decisions = temp.resolve("decisions/d");
    List<String> out = score("--inputFile=" + events, "--format=json", "--devices=2", "--decisionsOutput=" + decisions);

    List<String> forgedLines = out.stream().filter(l -> l.contains("Interval 9")).toList();
    assertEquals(1, forgedLines.size(), String.join("\n", out));
    assertTrue(forgedLines.get(0).startsWith("Interval 1, device a\\nInterval 9: Attention needed: Attention needed (3 sensor events"),
        forgedLines.get(0));
    assertTrue(out.stream().noneMatch(l -> l.startsWith("Interval 9")), String.join("\n", out));

    List<Path> written;
    try (var files = Files.walk(decisions.getParent())) {
      written = files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().startsWith("d")).toList();
    }
    List<String> lines = new java.util.ArrayList<>();
    for (Path f : written) {
      lines.addAll(Files.readAllLines(f));
    }
    List<String> devices = new java.util.ArrayList<>();
    for (String line : lines) {
      io.iotbench.pipelines.common.Json.MAPPER.readTree(line); // each line is one valid JSON document
      devices.add(Decision.fromJson(line).device());
    }
    assertTrue(devices.contains(forged) && devices.contains("b"), devices + " from " + written);
    assertEquals(2, new java.util.HashSet<>(devices).size(), lines.toString());
  }
}
