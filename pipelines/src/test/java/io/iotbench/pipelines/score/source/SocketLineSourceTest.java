package io.iotbench.pipelines.score.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.score.EventFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.UnboundedSource.UnboundedReader;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The socket source against a real local server: record rules, failing after the outage limit, closing at the end. */
class SocketLineSourceTest {
  private static final RecordSettings SETTINGS = new RecordSettings(EventFormat.named("csv"), true, 1000, 60_000, 10);

  @AfterEach
  void closeFeeds() {
    LineFeed.closeAll();
  }

  /** Reads records (not heartbeats) until {@code count} arrived or 10 s passed. */
  private static List<String> read(UnboundedReader<String> reader, int count) throws IOException {
    List<String> records = new ArrayList<>();
    long deadline = System.currentTimeMillis() + 10_000;
    boolean has = reader.start(); // the same feed again for a started reader
    while (records.size() < count && System.currentTimeMillis() < deadline) {
      if (has && !reader.getCurrent().isEmpty()) {
        records.addAll(List.of(reader.getCurrent().split("\n", -1)));
      }
      has = reader.advance();
    }
    return records;
  }

  @Test
  void handsOnCutBlankAndWholeLinesThenFailsOnceTheServerStaysAway() throws Exception {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    int port = server.getLocalPort();
    Thread serve = new Thread(() -> {
      try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
        out.write(("short\n\n" + "y".repeat(100_000) + "\r\nlast\n").getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    serve.start();
    SocketLineSource source = new SocketLineSource("127.0.0.1", port, SETTINGS, 1_000);
    UnboundedReader<String> reader = source.createReader(PipelineOptionsFactory.create(), null);
    assertEquals(List.of("short", " ", "y".repeat(11), "last"), read(reader, 4));
    serve.join();
    server.close();
    long closed = System.currentTimeMillis();
    IOException failure = assertThrows(IOException.class, () -> {
      while (System.currentTimeMillis() - closed < 10_000) {
        reader.advance();
      }
    });
    long took = System.currentTimeMillis() - closed;
    assertTrue(failure.getMessage().contains("127.0.0.1:" + port), failure.getMessage());
    assertTrue(took >= 1_000 && took < 5_000, "failed after " + took + " ms");
    assertTrue(LineFeed.anyFailure().isPresent());
    // A new reader of the same source sees the failure too, instead of a new connection.
    UnboundedReader<String> again = source.createReader(PipelineOptionsFactory.create(), null);
    assertThrows(IOException.class, again::start);
  }

  @Test
  void keepsGoingThroughAnOutageShorterThanTheLimit() throws Exception {
    ServerSocket first = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    int port = first.getLocalPort();
    SocketLineSource source = new SocketLineSource("127.0.0.1", port, SETTINGS, 5_000);
    UnboundedReader<String> reader = source.createReader(PipelineOptionsFactory.create(), null);
    reader.start(); // connects
    try (Socket s = acceptAndWrite(first, "one\n")) {
      assertEquals(List.of("one"), read(reader, 1));
    }
    first.close();
    Thread.sleep(1_000); // the server is away for a second
    try (ServerSocket second = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        Socket s = acceptAndWrite(second, "two\n")) {
      List<String> got = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 10_000;
      while (got.isEmpty() && System.currentTimeMillis() < deadline) {
        if (reader.advance() && !reader.getCurrent().isEmpty()) {
          got.add(reader.getCurrent());
        }
      }
      assertEquals(List.of("two"), got);
      assertFalse(LineFeed.anyFailure().isPresent());
    }
  }

  private static Socket acceptAndWrite(ServerSocket server, String text) throws IOException {
    server.setSoTimeout(10_000);
    Socket s = server.accept();
    s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    s.getOutputStream().flush();
    return s;
  }

  @Test
  void closedFeedsLeaveTheRegistryAndStopAtOnce() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      SocketLineSource source = new SocketLineSource("127.0.0.1", server.getLocalPort(), SETTINGS, 60_000);
      UnboundedReader<String> reader = source.createReader(PipelineOptionsFactory.create(), null);
      reader.start();
      assertEquals(1, LineFeed.registered());
      Thread feedThread = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().equals("iotbench-feed-SocketFeed") && t.isAlive()).findFirst().orElseThrow();
      LineFeed.closeAll();
      assertEquals(0, LineFeed.registered());
      feedThread.join(1_000);
      assertFalse(feedThread.isAlive(), "the feed's thread still runs after close");
    }
  }
}
