package io.iotbench.pipelines.score;

import static io.iotbench.pipelines.score.ScoreFixtures.csv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.testing.ConsoleCapture;
import io.iotbench.pipelines.testing.Runners;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streaming run drains at its end: on the DirectRunner, a socket stream ended by its sentinel or by
 * {@code --maxEvents} has its last interval's decision and its dead letter in the output FILES, which are written in
 * panes of a few seconds and would be lost if the run were cancelled at its end. The ticks of the empty-interval
 * report (on for a socket) end too: otherwise the pipeline never finishes and the drain times out (exit code 1).
 */
class EndOfRunTest {
  @TempDir Path temp;

  /** Interval 1: 3 events, interval 2: 2 events and a malformed line, interval 3: 1 event. */
  private static List<String> stream() {
    return List.of(
        csv(100, 1, 0.9), csv(200, 2, 0.9), csv(300, 3, 0.9),
        csv(1100, 1, 0.1), "garbage line", csv(1500, 2, 0.1),
        csv(2100, 3, 0.1));
  }

  /**
   * Runs {@code score} on a socket that serves {@code lines} and then stays open (the source stays healthy), and
   * returns the exit code; the console lines go to {@code out}.
   */
  private int scoreSocket(List<String> lines, List<String> out, String... args) throws Exception {
    Path model = ScoreFixtures.writeModel(temp.resolve("model"), 3);
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread serve = new Thread(() -> {
        try (Socket s = server.accept(); OutputStream o = s.getOutputStream()) {
          o.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
          o.flush();
          Thread.sleep(120_000); // open until the run has ended and the server closes
        } catch (IOException | InterruptedException e) {
          // the run ended
        }
      });
      serve.setDaemon(true);
      serve.start();
      String[] base = {"--model=" + model, "--sensors=3", "--source=socket", "--port=" + server.getLocalPort(),
          "--origin=" + ScoreFixtures.T0, "--decisionsOutput=" + temp.resolve("decisions/d"),
          "--deadLetterOutput=" + temp.resolve("dead/letters"), "--drainTimeout=30"};
      ConsoleCapture console = new ConsoleCapture();
      int code = console.capture(() -> Cli.execute("score", Runners.args(Runners.DIRECT, Runners.args(base, args)),
          ScoreSensorStream.Options.class, o -> ScoreSensorStream.exitCode(ScoreSensorStream.run(o))));
      out.addAll(console.outLines());
      out.addAll(console.errLines());
      serve.interrupt();
      return code;
    }
  }

  /** The lines of the finished files {@code dir/<name>*} (not Beam's temporary folders). */
  static List<String> fileLines(Path dir, String name) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().startsWith(name)).toList()) {
        lines.addAll(Files.readAllLines(f));
      }
    }
    return lines;
  }

  /** Events per interval, from the newest decision of each interval in the decision files. */
  static Map<Long, Long> eventsPerInterval(Path dir) throws IOException {
    Map<Long, Long> events = new TreeMap<>();
    for (String line : fileLines(dir, "d")) {
      Decision d = Decision.fromJson(line);
      events.put(d.interval(), d.events());
    }
    return events;
  }

  private void assertDrained(int code, List<String> out) throws IOException {
    String console = String.join("\n", out);
    assertEquals(0, code, console);
    assertEquals(Map.of(1L, 3L, 2L, 2L, 3L, 1L), eventsPerInterval(temp.resolve("decisions")), console);
    List<String> letters = fileLines(temp.resolve("dead"), "letters");
    assertEquals(1, letters.size(), console);
    assertTrue(letters.get(0).contains("\"payload\":\"garbage line\""), letters.get(0));
    assertTrue(out.stream().anyMatch(l -> l.startsWith("Drained in ")), console);
  }

  @Test
  @Timeout(90)
  void aSocketRunEndedByItsSentinelWritesItsLastDecisionAndDeadLetter() throws Exception {
    List<String> lines = new ArrayList<>(stream());
    lines.add(ScoreFixtures.sentinel(2200));
    List<String> out = new ArrayList<>();
    int code = scoreSocket(lines, out);
    assertDrained(code, out);
  }

  @Test
  @Timeout(90)
  void aSocketRunEndedByMaxEventsWritesItsLastDecisionAndDeadLetter() throws Exception {
    List<String> out = new ArrayList<>();
    int code = scoreSocket(stream(), out, "--maxEvents=6");
    assertDrained(code, out);
  }
}
