package io.iotbench.pipelines.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.model.scoring.Algorithm;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.testing.ConsoleCapture;
import io.iotbench.pipelines.testing.Runners;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scorer's console lines by their exact words: the start line per source and model, decisions in text and JSON. */
class ScoreReportTest {
  private static final Instant NOW = Instant.parse("2018-03-01T17:23:39.408Z");
  private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z: ";

  private static ScoreSensorStream.Options options(String... args) {
    return Cli.parse(Runners.args(Runners.DIRECT, Runners.args(new String[] {"--model=sd/lr100"}, args)),
        ScoreSensorStream.Options.class);
  }

  @Test
  void theStartLineNamesTheSourceTheModelKindAndTheInterval() {
    assertEquals("Analyzing stream of input from host 192.168.1.2 on port 20000 using LR model sd/lr100, with 1.0 second intervals",
        ScoreReport.startLine(options("--host=192.168.1.2", "--port=20000"), Algorithm.LOGISTIC_REGRESSION));
    assertEquals("Analyzing stream of input from kafka topic sensors with kafka server(s) 127.0.0.1:9092, using RF model"
            + " sd/lr100, with 0.25 second intervals",
        ScoreReport.startLine(options("--source=kafka", "--topic=sensors", "--interval=0.25"), Algorithm.RANDOM_FOREST));
    assertEquals("Analyzing stream of input from MQTT topic iot/# with MQTT URL tcp://127.0.0.1:1883, using GBT model"
            + " sd/lr100, with 2.0 second intervals",
        ScoreReport.startLine(options("--source=mqtt", "--topic=iot/#", "--interval=2"), Algorithm.GRADIENT_BOOSTED_TREES));
    assertEquals("Analyzing stream of input from file(s) /data/events-*.csv using LR model sd/lr100, with 1.5 second intervals",
        ScoreReport.startLine(options("--source=file", "--inputFile=/data/events-*.csv", "--interval=1.5"),
            Algorithm.LOGISTIC_REGRESSION));
  }

  @Test
  void secondsHaveOneDecimalOrAsManyAsTheyNeed() {
    assertEquals("1.0", ScoreReport.seconds(1));
    assertEquals("10.0", ScoreReport.seconds(10));
    assertEquals("0.5", ScoreReport.seconds(0.5));
    assertEquals("0.001", ScoreReport.seconds(0.001));
  }

  @Test
  void aDecisionInTextIsTheOriginalsLineAfterTheTime() {
    ScoreReport text = new ScoreReport(false, false, false, 1000);
    Decision ok = new Decision(5000, 1, "1", 104, 0.1, 0, false, false, false, false);
    assertEquals("2018-03-01T17:23:39.408Z: Interval 1: Everything is OK (104 sensor events in interval)", text.decision(ok, NOW));
    Decision late = new Decision(5000, 7, "d2", 3, 0.9, 1, true, false, true, false);
    assertEquals("2018-03-01T17:23:39.408Z: Interval 7, device d2: Attention needed (3 sensor events in interval) [late] [revised]",
        new ScoreReport(false, false, true, 1000).decision(late, NOW));
    assertEquals("2018-03-01T17:23:39.408Z: Interval 3: No input", text.noInput(3, 2000, NOW));
  }

  @Test
  void aDecisionInJsonHasEveryField() {
    ScoreReport json = new ScoreReport(false, true, false, 1000);
    Decision late = new Decision(1_520_000_000_000L, 7, "d2", 3, 0.75, 1, true, true, false, false);
    assertEquals("{\"time\":\"2018-03-01T17:23:39.408Z\",\"interval\":7,\"windowStart\":\"2018-03-02T14:13:19Z\","
            + "\"windowEnd\":\"2018-03-02T14:13:20Z\",\"device\":\"d2\",\"decision\":\"attention\",\"probability\":0.75,"
            + "\"events\":3,\"flags\":[\"late\",\"outOfOrder\"]}",
        json.decision(late, NOW));
    assertEquals("{\"time\":\"2018-03-01T17:23:39.408Z\",\"interval\":3,\"windowStart\":\"1970-01-01T00:00:02Z\","
            + "\"windowEnd\":\"1970-01-01T00:00:03Z\",\"decision\":\"noInput\",\"events\":0,\"flags\":[]}",
        json.noInput(3, 2000, NOW));
  }

  private static ConsoleCapture print(ScoreReport report) throws Exception {
    ConsoleCapture console = new ConsoleCapture();
    console.capture(() -> {
      report.printStart("Analyzing stream of input from host h on port 1 using LR model m, with 1.0 second intervals");
      report.print(new Decision(5000, 1, "1", 2, 0.1, 0, false, false, false, false));
      report.lines(List.of("Counters: x"));
      return null;
    });
    return console;
  }

  @Test
  void otherLinesGoToStandardOutputInTextToStandardErrorInJsonAndNowhereWhenQuiet() throws Exception {
    String start = TIME + "Analyzing stream of input from host h on port 1 using LR model m, with 1\\.0 second intervals";
    String decision = TIME + "Interval 1: Everything is OK \\(2 sensor events in interval\\)";
    String json = "\\{\"time\":\"[^\"]+\",\"interval\":1,.*\\}";

    ConsoleCapture text = print(new ScoreReport(false, false, false, 1000));
    assertEquals(3, text.outLines().size(), text.outLines().toString());
    assertTrue(text.outLines().get(0).matches(start), text.outLines().get(0));
    assertTrue(text.outLines().get(1).matches(decision), text.outLines().get(1));
    assertEquals("Counters: x", text.outLines().get(2));
    assertEquals(List.of(), text.errLines());

    ConsoleCapture inJson = print(new ScoreReport(false, true, false, 1000));
    assertEquals(1, inJson.outLines().size(), inJson.outLines().toString());
    assertTrue(inJson.outLines().get(0).matches(json), inJson.outLines().get(0));
    assertEquals(2, inJson.errLines().size(), inJson.errLines().toString());
    assertTrue(inJson.errLines().get(0).matches(start), inJson.errLines().get(0));
    assertEquals("Counters: x", inJson.errLines().get(1));

    ConsoleCapture quiet = print(new ScoreReport(true, false, false, 1000));
    assertEquals(1, quiet.outLines().size(), quiet.outLines().toString());
    assertTrue(quiet.outLines().get(0).matches(decision), quiet.outLines().get(0));
    assertEquals(List.of(), quiet.errLines());

    ConsoleCapture quietJson = print(new ScoreReport(true, true, false, 1000));
    assertEquals(1, quietJson.outLines().size(), quietJson.outLines().toString());
    assertTrue(quietJson.outLines().get(0).matches(json), quietJson.outLines().get(0));
    assertEquals(List.of(), quietJson.errLines());
  }
}
