package io.iotbench.it.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.it.harness.Iotbench;
import io.iotbench.model.EventCsvCodec;
import io.iotbench.simulator.broker.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** {@code iotbench simulate}, {@code broker} and {@code bench-simulate} run as a user runs them. */
class SimulatorCommandIT {

  private static final Duration LIMIT = Duration.ofMinutes(2);

  @Test
  void printsTheOriginalLinesToStdout() throws Exception {
    Iotbench.Result run = Iotbench.run(LIMIT, "simulate", "--total=5", "--rate=50");
    assertEquals(0, run.status(), run.err().toString());
    assertEquals(6, run.out().size(), run.out().toString());
    run.out().forEach(EventCsvCodec::parse);
    assertTrue(EventCsvCodec.parse(run.out().get(5)).isSentinel());
    assertTrue(run.err().get(run.err().size() - 1).matches("Sent 5 events to stdout in [0-9.]+ seconds"), run.err().toString());
  }

  @Test
  void badOptionIsOneLineAndStatusTwo() throws Exception {
    Iotbench.Result run = Iotbench.run(LIMIT, "simulate", "--rate=-1");
    assertEquals(2, run.status());
    assertEquals(List.of("iotbench simulate: error: --rate=-1: must be >= 0"), run.err());
  }

  @Test
  void unreachableKafkaFailsWithinSecondsWithOneLineNamingTheAddress() throws Exception {
    int port = FreePorts.find();
    Iotbench.Result run = Iotbench.run(LIMIT, "simulate", "--sink=kafka", "--bootstrapServers=127.0.0.1:" + port);
    assertEquals(1, run.status());
    assertEquals(List.of("iotbench simulate: error: cannot connect to Kafka at 127.0.0.1:" + port + ": Connection refused"), run.err());
    assertTrue(run.millis() < 15_000, "with the JVM start: " + run.millis() + " ms");
  }

  @Test
  void helpListsTheOptions() throws Exception {
    Iotbench.Result run = Iotbench.run(LIMIT, "simulate", "--help");
    assertEquals(0, run.status());
    String help = String.join("\n", run.out());
    for (String option : List.of("--sensors", "--rate", "--total", "--devices", "--seed", "--format", "--sink", "--port",
        "--bootstrapServers", "--topic", "--mqttUri", "--latePercent", "--maxDelay", "--kafkaProperty")) {
      assertTrue(help.contains(option + "="), option);
    }
  }

  @Test
  void kafkaBrokerCommandServesTheSimulatorAndCleansUpOnSigterm() throws Exception {
    Path dataDir;
    try (Iotbench.Running broker = Iotbench.start("broker", "kafka", "--port=0", "--partitions=3")) {
      String line = broker.awaitLine(l -> l.startsWith("Kafka broker listening on "), Duration.ofSeconds(90));
      Matcher m = Pattern.compile("listening on (127\\.0\\.0\\.1:\\d+) .*data in (\\S+) \\(deleted at exit\\)").matcher(line);
      assertTrue(m.find(), line);
      String servers = m.group(1);
      dataDir = Path.of(m.group(2));
      assertTrue(Files.isDirectory(dataDir));

      Iotbench.Result run = Iotbench.run(LIMIT, "simulate", "--sink=kafka", "--bootstrapServers=" + servers,
          "--total=3000", "--rate=0", "--devices=5");
      assertEquals(0, run.status(), run.err().toString());

      Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
        List<TopicPartition> partitions = consumer.partitionsFor("sensor-events").stream()
            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        assertEquals(3, partitions.size(), "auto-created with the broker's --partitions");
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        int received = 0;
        int sentinels = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (received < 3005 && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
            received++;
            if (EventCsvCodec.parse(r.value()).isSentinel()) {
              sentinels++;
            }
          }
        }
        assertEquals(3005, received);
        assertEquals(5, sentinels);
      }
      assertEquals(143, broker.stop(Duration.ofSeconds(60)), "stopped by SIGTERM");
    }
    assertFalse(Files.exists(dataDir), "the temporary data folder is deleted");
  }

  @Test
  void mqttBrokerCommandRunsMosquittoAndStopsItOnSigterm() throws Exception {
    try (Iotbench.Running broker = Iotbench.start("broker", "mqtt", "--port=0")) {
      String line = broker.awaitLine(l -> l.startsWith("MQTT broker (mosquitto) listening on tcp://127.0.0.1:"), Duration.ofSeconds(30));
      String uri = line.replaceAll(".*listening on (tcp://127\\.0\\.0\\.1:\\d+) .*", "$1");
      List<ProcessHandle> mosquitto = broker.process().descendants().toList();
      assertEquals(1, mosquitto.size(), "one mosquitto child");

      Iotbench.Result run = Iotbench.run(LIMIT, "simulate", "--sink=mqtt", "--mqttUri=" + uri, "--total=100", "--rate=0");
      assertEquals(0, run.status(), run.err().toString());

      broker.stop(Duration.ofSeconds(30));
      assertFalse(mosquitto.get(0).isAlive(), "mosquitto stopped with the command");
      assertEquals(List.of(), broker.stderr(), "a clean stop prints nothing");
    }
  }

  @Test
  void benchmarkEndsWithTheResultLine() throws Exception {
    Iotbench.Result run = Iotbench.run(LIMIT, "bench-simulate", "--events=20000", "--runs=1", "--warmup=0");
    assertEquals(0, run.status(), run.err().toString());
    String last = run.out().get(run.out().size() - 1);
    assertTrue(last.matches("RESULT kafka_events_per_s=\\d+ stdout_events_per_s=\\d+ tcp_events_per_s=\\d+"), last);
    assertTrue(new String(String.join("\n", run.out()).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).contains("kafka: local broker"));
  }
}
