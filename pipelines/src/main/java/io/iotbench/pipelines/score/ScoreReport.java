package io.iotbench.pipelines.score;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotbench.model.scoring.Algorithm;
import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.pipelines.common.Json;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * How {@code score} speaks on the console, the one place that turns its start, its decisions and its end into lines.
 * In text (the default) the original benchmark's lines, each after the time to the millisecond: {@code
 * <time>: Analyzing stream of input from host H on port P using LR model M, with 1.0 second intervals}, {@code
 * <time>: Interval 1: Everything is OK (104 sensor events in interval)} and {@code <time>: 6000 events received in
 * 61.1 seconds (60 intervals), or 98 sensor events/second}, our own lines after them. With
 * {@code --reportFormat=json} standard output carries one JSON object per decision and nothing else (the other lines
 * go to standard error); with {@code --quiet} only the decisions are printed. The same object formats a decision
 * wherever it is printed: in a DoFn of a runner in this JVM, or in the driver that follows the decision files of a
 * run on a cluster ({@link FollowDecisionFiles}).
 *
 * @param quiet print only the decisions ({@code --quiet})
 * @param json one JSON object per decision ({@code --reportFormat=json})
 * @param showDevice name the device in text lines (more than one device)
 * @param intervalMillis the interval's length, for a decision's window start
 */
public record ScoreReport(boolean quiet, boolean json, boolean showDevice, long intervalMillis) implements Serializable {
  /** The values of {@code --reportFormat}. */
  static final Set<String> FORMATS = Set.of("text", "json");

  /** The report of a run with options {@code o}. */
  static ScoreReport of(ScoreSensorStream.Options o) {
    return new ScoreReport(o.getQuiet(), "json".equals(o.getReportFormat()), o.getDevices() > 1,
        ScoreSensorStream.millis(o.getInterval()));
  }

  /** The decision's line as printed at {@code now}: the original's text after the time, or the JSON object. */
  public String decision(Decision d, Instant now) {
    if (!json) {
      return ConsoleReport.stampMillis(now, ReportIntervals.line(d, showDevice));
    }
    ObjectNode n = object(now, d.interval(), d.windowEndMillis());
    n.put("device", d.device())
        .put("decision", d.attention() ? "attention" : "ok")
        .put("probability", d.probability())
        .put("events", d.events());
    ArrayNode flags = n.putArray("flags");
    if (d.late()) {
      flags.add("late");
    }
    if (d.outOfOrder()) {
      flags.add("outOfOrder");
    }
    if (d.revised()) {
      flags.add("revised");
    }
    return Json.line(n);
  }

  /** The line of interval {@code n} (window from {@code windowStartMillis}) in which no device sent an event. */
  public String noInput(long n, long windowStartMillis, Instant now) {
    if (!json) {
      return ConsoleReport.stampMillis(now, "Interval " + n + ": No input");
    }
    ObjectNode o = object(now, n, windowStartMillis + intervalMillis);
    o.put("decision", "noInput").put("events", 0);
    o.putArray("flags");
    return Json.line(o);
  }

  private ObjectNode object(Instant now, long interval, long windowEndMillis) {
    return Json.MAPPER.createObjectNode()
        .put("time", ConsoleReport.timeMillis(now))
        .put("interval", interval)
        .put("windowStart", Instant.ofEpochMilli(windowEndMillis - intervalMillis).toString())
        .put("windowEnd", Instant.ofEpochMilli(windowEndMillis).toString());
  }

  /** Prints a decision; in text an attention in red on a terminal, as the original. */
  void print(Decision d) {
    String line = decision(d, Instant.now());
    if (d.attention() && !json) {
      ConsoleReport.alert(line);
    } else {
      ConsoleReport.line(line);
    }
  }

  /** Prints the {@code No input} line of interval {@code n}. */
  void printNoInput(long n, long windowStartMillis) {
    ConsoleReport.line(noInput(n, windowStartMillis, Instant.now()));
  }

  /** Prints the original's start line (time-stamped); see {@link #lines}. */
  void printStart(String text) {
    lines(List.of(ConsoleReport.stampMillis(Instant.now(), text)));
  }

  /**
   * Prints lines that are not decisions (the start line, the summary): on standard output in text, on standard error
   * with {@code --reportFormat=json} (standard output carries only JSON), not at all with {@code --quiet}.
   */
  void lines(List<String> lines) {
    if (quiet) {
      return;
    }
    lines.forEach(json ? ConsoleReport::notice : ConsoleReport::line);
  }

  /**
   * The original's start line without its time: where the events come from (a host and port, a Kafka topic, an MQTT
   * topic, files), the model's kind as the original abbreviates it (LR, RF, GBT) and location, and the interval.
   */
  static String startLine(ScoreSensorStream.Options o, Algorithm algorithm) {
    String from = switch (o.getSource()) {
      case "kafka" -> "kafka topic " + o.getTopic() + " with kafka server(s) " + o.getBootstrapServers() + ",";
      case "mqtt" -> "MQTT topic " + o.getTopic() + " with MQTT URL " + o.getMqttUri() + ",";
      case "file" -> "file(s) " + o.getInputFile();
      default -> "host " + o.getHost() + " on port " + o.getPort();
    };
    return "Analyzing stream of input from " + from + " using " + abbreviation(algorithm) + " model " + o.getModel()
        + ", with " + seconds(o.getInterval()) + " second intervals";
  }

  /** The model's kind as the original names it: LR, RF, GBT. */
  static String abbreviation(Algorithm algorithm) {
    return switch (algorithm) {
      case LOGISTIC_REGRESSION -> "LR";
      case RANDOM_FOREST -> "RF";
      case GRADIENT_BOOSTED_TREES -> "GBT";
    };
  }

  /** Seconds with at least one decimal, as the original's {@code %.1f}, and more when they have more: 1.0, 0.25. */
  static String seconds(double s) {
    BigDecimal d = BigDecimal.valueOf(s).stripTrailingZeros();
    return (d.scale() < 1 ? d.setScale(1) : d).toPlainString();
  }
}
