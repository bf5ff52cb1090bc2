package io.iotbench.simulator.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.model.SensorEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TcpSinkTest {

  private static final Instant T = Instant.parse("2018-01-13T21:37:30.830Z");

  @Test
  @Timeout(20)
  void aClientThatLeavesDoesNotStopTheOthers() throws Exception {
    List<String> notices = new CopyOnWriteArrayList<>();
    TcpSink sink = new TcpSink("127.0.0.1", 0, 0, Duration.ZERO, Duration.ZERO,
        new EventEncoder(EventEncoder.Format.CSV, false), notices::add);
    sink.open();
    try (Socket stays = new Socket("127.0.0.1", sink.port())) {
      Socket leaves = new Socket("127.0.0.1", sink.port());
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (sink.clientCount() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(2, sink.clientCount());
      leaves.close();
      // Enough data that writing to the closed connection fails (a reset) and the client is dropped.
      for (int round = 0; round < 50 && sink.clientCount() == 2; round++) {
        for (int i = 0; i < 2000; i++) {
          sink.send(new SensorEvent(T, "1", 1, 0.5));
        }
        sink.idle();
        Thread.sleep(5);
      }
      assertEquals(1, sink.clientCount(), notices.toString());
      sink.send(SensorEvent.sentinel(T, "1"));
      sink.close();
      BufferedReader in = new BufferedReader(new InputStreamReader(stays.getInputStream(), StandardCharsets.US_ASCII));
      List<String> lines = new ArrayList<>();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.add(line);
      }
      assertTrue(lines.size() > 2000, "lines " + lines.size());
      assertEquals("2018-01-13T21:37:30.830Z,-1,Sensor -1,0.000000", lines.get(lines.size() - 1));
      assertTrue(notices.stream().anyMatch(n -> n.contains("disconnected")), notices.toString());
    } finally {
      sink.close();
    }
  }
}
