package io.iotbench.it.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.it.harness.KafkaServer;
import io.iotbench.model.EventCsvCodec;
import io.iotbench.model.JsonEventCodec;
import io.iotbench.model.SensorEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code simulate --sink=kafka} against a real broker, on multi-partition topics. */
class KafkaSimulateIT {

  @RegisterExtension static final KafkaServer KAFKA = new KafkaServer();

  private static String value(ConsumerRecord<byte[], byte[]> r) {
    return new String(r.value(), StandardCharsets.UTF_8);
  }

  private static String key(ConsumerRecord<byte[], byte[]> r) {
    return new String(r.key(), StandardCharsets.UTF_8);
  }

  @Test
  void everyEventArrivesOnAFourPartitionTopicExactlyAsFormattedWithItsSentinel() throws Exception {
    KAFKA.createTopic("csv-events", 4);
    String[] options = {"--total=20000", "--devices=8", "--rate=0", "--seed=7"};
    List<String> expected = InJvmSimulator.expectedLines(options);
    assertEquals(20_008, expected.size());

    InJvmSimulator.Run run = InJvmSimulator.run(InJvmSimulator.with(options,
        "--sink=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topic=csv-events"));
    assertEquals(0, run.status(), run.stderr().toString());
    assertEquals("Sent 20000 events to Kafka topic csv-events at " + KAFKA.bootstrapServers(),
        run.stderr().get(run.stderr().size() - 1).replaceAll(" in [0-9.]+ seconds$", ""));

    List<ConsumerRecord<byte[], byte[]>> records = KAFKA.readAll("csv-events", expected.size(), Duration.ofSeconds(60));
    assertEquals(expected.size(), records.size());
    assertEquals(sorted(expected), sorted(records.stream().map(KafkaSimulateIT::value).toList()), "the same lines, byte for byte");

    // Keyed by device: each device sits in one partition, in the order it was sent, ending with its
    // sentinel; the devices spread over the partitions; the record timestamp is the event time.
    Map<String, Set<Integer>> partitionsOfDevice = new HashMap<>();
    Map<String, List<String>> receivedByDevice = new TreeMap<>();
    records.stream()
        .sorted((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition()) : Long.compare(a.offset(), b.offset()))
        .forEach(r -> {
          SensorEvent e = EventCsvCodec.parse(value(r));
          assertEquals(e.deviceId(), key(r));
          assertEquals(e.eventTime().toEpochMilli(), r.timestamp());
          partitionsOfDevice.computeIfAbsent(key(r), k -> new java.util.HashSet<>()).add(r.partition());
          receivedByDevice.computeIfAbsent(key(r), k -> new ArrayList<>()).add(value(r));
        });
    Map<String, List<String>> expectedByDevice =
        expected.stream().collect(Collectors.groupingBy(l -> EventCsvCodec.parse(l).deviceId(), TreeMap::new, Collectors.toList()));
    assertEquals(expectedByDevice, receivedByDevice);
    partitionsOfDevice.values().forEach(p -> assertEquals(1, p.size()));
    assertTrue(records.stream().map(ConsumerRecord::partition).distinct().count() >= 3, "spread over the partitions");
    for (List<String> lines : receivedByDevice.values()) {
      assertTrue(EventCsvCodec.parse(lines.get(lines.size() - 1)).isSentinel());
    }
    assertEquals(8, records.stream().filter(r -> EventCsvCodec.parse(value(r)).isSentinel()).count());
  }

  @Test
  void jsonMessagesArriveExactlyAsFormatted() throws Exception {
    KAFKA.createTopic("json-events", 3);
    String[] options = {"--total=3000", "--devices=3", "--rate=0", "--format=json"};
    List<String> expected = InJvmSimulator.expectedLines(options);
    InJvmSimulator.Run run = InJvmSimulator.run(InJvmSimulator.with(options,
        "--sink=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topic=json-events"));
    assertEquals(0, run.status(), run.stderr().toString());

    List<ConsumerRecord<byte[], byte[]>> records = KAFKA.readAll("json-events", expected.size(), Duration.ofSeconds(60));
    assertEquals(sorted(expected), sorted(records.stream().map(KafkaSimulateIT::value).toList()));
    JsonEventCodec codec = new JsonEventCodec(JsonEventCodec.Fields.defaults());
    Map<String, Long> sentinels = records.stream()
        .map(r -> codec.parse(value(r)).get(0))
        .filter(SensorEvent::isSentinel)
        .collect(Collectors.groupingBy(SensorEvent::deviceId, LinkedHashMap::new, Collectors.counting()));
    assertEquals(Map.of("1", 1L, "2", 1L, "3", 1L), sentinels);
  }

  @Test
  void pacedStreamIsDeliveredWhileItRuns() throws Exception {
    // A real clock: 40 events at 100/s take ~0.4 s; Kafka gets them with the producer's linger.
    String topic = "paced-events";
    KAFKA.createTopic(topic, 1);
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int status = io.iotbench.simulator.Simulate.run(
        new String[] {"--sink=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topic=" + topic, "--total=40", "--rate=100"},
        java.io.OutputStream.nullOutputStream(), new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
        new java.io.PrintStream(err, true, StandardCharsets.UTF_8), io.iotbench.simulator.Clock.SYSTEM);
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    List<ConsumerRecord<byte[], byte[]>> records = KAFKA.readAll(topic, 41, Duration.ofSeconds(30));
    assertEquals(41, records.size());
    long firstMillis = records.get(0).timestamp();
    long lastMillis = records.get(39).timestamp();
    // 39 lognormal waits of mean 10 ms: ~390 ms (sd ~30 ms).
    assertTrue(lastMillis - firstMillis > 250 && lastMillis - firstMillis < 600, (lastMillis - firstMillis) + " ms");
  }

  private static List<String> sorted(List<String> lines) {
    List<String> copy = new ArrayList<>(lines);
    copy.sort(null);
    return copy;
  }
}
