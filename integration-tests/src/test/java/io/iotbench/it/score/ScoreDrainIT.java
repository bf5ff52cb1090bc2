package io.iotbench.it.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.it.harness.Iotbench;
import io.iotbench.model.scoring.PortableModel;
import io.iotbench.pipelines.score.Decision;
import io.iotbench.pipelines.train.ModelFolder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streaming {@code score} run on the DirectRunner (its own process, through the launcher) drains at its end: ended by
 * its sentinel, or by SIGTERM (what {@code ProcessHandle.destroy()} sends to the launcher's JVM), it writes the decision of
 * every interval up to the last event and its dead letters to their files before it exits with code 0. Without the
 * drain, the last file panes (written every few seconds) are lost, and SIGTERM kills the JVM with nothing written.
 */
class ScoreDrainIT {
  /** Interval 1 starts here ({@code --origin}). */
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final int INTERVALS = 8;
  private static final int EVENTS_PER_INTERVAL = 5;

  @TempDir Path temp;
  private ServerSocket server;
  private Thread serve;

  @AfterEach
  void stopServer() throws IOException {
    if (serve != null) {
      serve.interrupt();
    }
    if (server != null) {
      server.close();
    }
  }

  /** {@value #EVENTS_PER_INTERVAL} events in each of intervals 1..{@value #INTERVALS}, a malformed line in the last. */
  private static List<String> stream() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < INTERVALS; i++) {
      for (int e = 0; e < EVENTS_PER_INTERVAL; e++) {
        long millis = i * 1000L + 100 + e * 150;
        lines.add(T0.plusMillis(millis) + "," + (e % 3 + 1) + ",Sensor " + (e % 3 + 1) + "," + (i % 2 == 0 ? 0.9 : 0.1));
      }
    }
    lines.add(lines.size() - 1, "garbage line");
    return lines;
  }

  /** Serves {@code lines} to the first client, then keeps the connection open (the source stays healthy). */
  private int serve(List<String> lines) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    serve = new Thread(() -> {
      try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
        out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        Thread.sleep(600_000);
      } catch (IOException | InterruptedException e) {
        // the test is over
      }
    }, "it-socket-server");
    serve.setDaemon(true);
    serve.start();
    return server.getLocalPort();
  }

  private String[] args(int port, String... extra) throws IOException {
    Path model = temp.resolve("model");
    ModelFolder.writePortable(model.toString(), PortableModel.logisticRegression(new double[] {1, 1, 1}, -2.0, 0.5, Map.of()));
    List<String> all = new ArrayList<>(List.of("score", "--runner=DirectRunner",
        "--model=" + model, "--sensors=3", "--source=socket", "--port=" + port, "--origin=" + T0,
        "--decisionsOutput=" + temp.resolve("decisions/d"), "--deadLetterOutput=" + temp.resolve("dead/letters"),
        "--drainTimeout=90"));
    all.addAll(List.of(extra));
    return all.toArray(new String[0]);
  }

  private static List<String> fileLines(Path dir, String name) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().startsWith(name)).toList()) {
        lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
      }
    }
    return lines;
  }

  /** Every interval up to the last event has its decision in the files, with all its events; the dead letter too. */
  private void assertFilesComplete(String console) throws IOException {
    Map<Long, Long> events = new TreeMap<>();
    for (String line : fileLines(temp.resolve("decisions"), "d")) {
      Decision d = Decision.fromJson(line);
      events.merge(d.interval(), d.events(), Math::max);
    }
    Map<Long, Long> expected = new TreeMap<>();
    for (long i = 1; i <= INTERVALS; i++) {
      expected.put(i, (long) EVENTS_PER_INTERVAL);
    }
    assertEquals(expected, events, console);
    List<String> letters = fileLines(temp.resolve("dead"), "letters");
    assertEquals(1, letters.size(), console);
    assertTrue(letters.get(0).contains("\"payload\":\"garbage line\""), letters.get(0));
  }

  @Test
  @Timeout(300)
  void aRunEndedByItsSentinelWritesEveryIntervalsDecision() throws Exception {
    List<String> lines = stream();
    lines.add(T0.plusMillis(INTERVALS * 1000L - 100) + ",-1,Sensor -1,0.0");
    int port = serve(lines);
    Iotbench.Result r = Iotbench.run(Duration.ofSeconds(280), args(port, "--maxRuntime=180"));
    String console = String.join("\n", r.out()) + "\n" + String.join("\n", r.err());
    assertEquals(0, r.status(), console);
    assertTrue(r.out().stream().anyMatch(l -> l.startsWith("Drained in ") && l.contains("(sentinel)")), console);
    assertFilesComplete(console);
  }

  @Test
  @Timeout(300)
  void aRunEndedBySigtermWritesEveryIntervalsDecision() throws Exception {
    int port = serve(stream());
    try (Iotbench.Running run = Iotbench.start(args(port, "--maxRuntime=300"))) {
      // Scoring has begun: the first interval was decided (its file is not yet written: panes of a few seconds).
      run.awaitLine(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z: Interval 1:.*"), Duration.ofSeconds(150));
      long sent = System.nanoTime();
      int code = run.stop(Duration.ofSeconds(120));
      long millis = (System.nanoTime() - sent) / 1_000_000;
      String console = String.join("\n", run.stderr());
      assertEquals(0, code, console);
      run.awaitLine(l -> l.startsWith("Drained in ") && l.contains("(SIGTERM)"), Duration.ofSeconds(1));
      assertFilesComplete(console);
      System.out.println("SIGTERM to exit: " + millis + " ms");
    }
  }
}
