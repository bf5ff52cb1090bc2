package io.iotbench.it.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.model.EventCsvCodec;
import io.iotbench.simulator.broker.FreePorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code simulate --sink=tcp}: the built-in server that replaces {@code nc -lk}. */
class TcpSimulateIT {

  /** Connects (retrying while the server is not listening yet, at most 20 s) and reads to the end. */
  static List<String> readAllLines(int port) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        List<String> lines = new ArrayList<>();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
        }
        return lines;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new UncheckedIOException(e);
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(ie);
        }
      }
    }
  }

  @Test
  void twoClientsEachReceiveTheWholeStream() throws Exception {
    int port = FreePorts.find();
    String[] options = {"--total=50000", "--rate=0", "--devices=2"};
    List<String> expected = InJvmSimulator.expectedLines(options);

    CompletableFuture<InJvmSimulator.Run> simulator = CompletableFuture.supplyAsync(() -> InJvmSimulator.run(
        InJvmSimulator.with(options, "--sink=tcp", "--port=" + port, "--waitForClients=2", "--clientWaitTimeout=30s")));
    CompletableFuture<List<String>> first = CompletableFuture.supplyAsync(() -> readAllLines(port));
    CompletableFuture<List<String>> second = CompletableFuture.supplyAsync(() -> readAllLines(port));

    InJvmSimulator.Run run = simulator.get(60, TimeUnit.SECONDS);
    assertEquals(0, run.status(), run.stderr().toString());
    assertTrue(run.stderr().get(0).startsWith("Listening on 127.0.0.1:" + port + ", waiting for 2 client(s)"), run.stderr().toString());
    assertEquals(expected, first.get(30, TimeUnit.SECONDS));
    assertEquals(expected, second.get(30, TimeUnit.SECONDS));
    assertTrue(EventCsvCodec.parse(expected.get(expected.size() - 1)).isSentinel());
  }
}
