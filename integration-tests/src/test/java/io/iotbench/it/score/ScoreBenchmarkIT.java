package io.iotbench.it.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.iotbench.it.harness.KafkaServer;
import io.iotbench.model.scoring.PortableModel;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.score.ScoreSensorStream;
import io.iotbench.simulator.Clock;
import io.iotbench.simulator.Simulate;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reduced form of issue 5's benchmark (§6), run only with {@code -Dscore.bench=true}: pre-loads a Kafka topic
 * with {@code -Dscore.bench.events} events (100 sensors; 1 device, then 1,000 devices), scores it with the
 * SparkRunner {@code local[2]} at a 1 s interval, and in the same run times a plain KafkaConsumer loop over the
 * topic. Logs {@code RESULT devices= events= events_per_s= consumer_events_per_s=}; events/s is the scorer's own
 * summary (events ÷ time from the first to the last parsed event as the driver sees it). Decision latency is not
 * measured: pre-loaded events carry their load time, so "decision time − window end" would only measure the age
 * of the data.
 */
class ScoreBenchmarkIT {
  private static final Logger LOG = LoggerFactory.getLogger(ScoreBenchmarkIT.class);
  private static final int EVENTS = Integer.getInteger("score.bench.events", 1_000_000);

  @RegisterExtension static final KafkaServer KAFKA = new KafkaServer();

  @TempDir Path temp;

  @Test
  void scoreKafkaOnSparkAgainstAPlainConsumer() throws Exception {
    assumeTrue(Boolean.getBoolean("score.bench"), "benchmark: run with -Dscore.bench=true");
    for (int devices : new int[] {1, 1000}) {
      String topic = "bench-" + devices;
      KAFKA.createTopic(topic, 2);
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status = Simulate.run(new String[] {"--sink=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topic=" + topic,
          "--rate=0", "--total=" + EVENTS, "--sensors=100", "--devices=" + devices},
          OutputStream.nullOutputStream(), new PrintStream(OutputStream.nullOutputStream()),
          new PrintStream(err, true, StandardCharsets.UTF_8), Clock.SYSTEM);
      assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
      double consumerRate = plainConsumerRate(topic, EVENTS + devices);

      double[] w = new double[100];
      for (int i = 0; i < 100; i++) {
        w[i] = (i + 1) / 100.0;
      }
      Path model = Files.createDirectories(temp.resolve("model"));
      try (OutputStream out = Files.newOutputStream(model.resolve(PortableModel.FILE_NAME))) {
        PortableModel.logisticRegression(w, -25.25, 0.5, Map.of()).write(out);
      }
      PrintStream oldOut = System.out;
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      int code;
      try {
        code = Cli.execute("score", new String[] {"--runner=SparkRunner", "--sparkMaster=local[2]", "--streaming=true",
            "--batchIntervalMillis=1000", "--checkpointDir=" + temp.resolve("cp-" + devices), "--source=kafka",
            "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topic=" + topic, "--groupId=" + topic, "--model=" + model,
            "--sensors=100", "--devices=" + devices, "--interval=1", "--ticks=false", "--maxRuntime=600"},
            ScoreSensorStream.Options.class, o -> ScoreSensorStream.exitCode(ScoreSensorStream.run(o)));
      } finally {
        System.setOut(oldOut);
      }
      List<String> lines = List.of(out.toString(StandardCharsets.UTF_8).split("\n"));
      assertEquals(0, code);
      String summary = lines.get(lines.size() - 2);
      double rate = Double.parseDouble(summary.replaceAll(".* or ([0-9]+) sensor events/second", "$1"));
      LOG.warn("{}", summary);
      LOG.warn("{}", lines.get(lines.size() - 1));
      LOG.warn(String.format(Locale.ROOT, "RESULT devices=%d events=%d events_per_s=%.0f p50_latency_s=n/a p99_latency_s=n/a"
          + " consumer_events_per_s=%.0f", devices, EVENTS, rate, consumerRate));
    }
  }

  private static double plainConsumerRate(String topic, int expected) {
    Properties p = new Properties();
    p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    p.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(topic).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
      c.assign(parts);
      c.seekToBeginning(parts);
      long n = 0;
      long start = System.nanoTime();
      long deadline = start + 120_000_000_000L;
      while (n < expected && System.nanoTime() < deadline) {
        for (var r : c.poll(Duration.ofMillis(200))) {
          n += r.value().length > 0 ? 1 : 0;
        }
      }
      return n / ((System.nanoTime() - start) / 1e9);
    }
  }
}
