package io.iotbench.runners.bench;

import io.iotbench.model.EventCsvCodec;
import io.iotbench.model.RecordFormatException;
import io.iotbench.model.SensorEvent;
import io.iotbench.model.scoring.PortableModel;
import io.iotbench.model.scoring.Prediction;
import io.iotbench.model.scoring.Scorer;
import io.iotbench.pipelines.score.Decision;
import io.iotbench.pipelines.score.DeviceHistory;
import io.iotbench.pipelines.score.source.KafkaLineSource;
import io.iotbench.simulator.cli.Commands;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The capacity benchmark's baseline: the scorer's work with no engine, a <b>hand-written, single-threaded hot
 * loop</b> and nothing else. One KafkaConsumer polls the events topic (in the scorer's consumer group, offsets
 * auto-committed); each record is parsed with the project's own {@link EventCsvCodec}; the last value per sensor of
 * each device and event-time interval is kept; once the watermark (the newest event time &minus;
 * {@code --maxOutOfOrderness}, as the scorer's) passes an interval's end, every device with events in it carries its
 * sensors' last values forward (sensors never seen start at {@link DeviceHistory#INITIAL_VALUE}), is scored with the
 * portable model, and its decision is published as the scorer's JSON to the decisions topic. Events of an interval
 * already decided are counted as late and dropped. It is the physical reference of the capacity benchmark: what the
 * same work costs on this machine without Beam, a runner, state coders or shuffles; it has no fault tolerance, no
 * revisions and no dead-letter output (bad records are only counted).
 *
 * <p>Run by {@code iotbench bench-score} as a child JVM, like the runners' scorers:
 * <pre>{@code
 * java -cp ... io.iotbench.runners.bench.BaselineScorer --bootstrapServers=127.0.0.1:9092 --topic=events \
 *   --groupId=baseline --decisionsTopic=decisions --model=model/ --sensors=100 --maxRuntime=120
 * }</pre>
 */
@Command(name = "bench-score-baseline", description = "The capacity benchmark's single-threaded baseline scorer.")
public final class BaselineScorer implements Callable<Integer> {
  @Option(names = "--bootstrapServers", required = true)
  String bootstrapServers;

  @Option(names = "--topic", required = true)
  String topic;

  @Option(names = "--groupId", required = true)
  String groupId;

  @Option(names = "--decisionsTopic", required = true)
  String decisionsTopic;

  @Option(names = "--model", required = true, description = "a model folder holding model.json, or the file")
  Path model;

  @Option(names = "--sensors", defaultValue = "100")
  int sensors;

  @Option(names = "--interval", defaultValue = "1.0", description = "seconds")
  double interval;

  @Option(names = "--maxOutOfOrderness", defaultValue = "1.0", description = "seconds")
  double maxOutOfOrderness;

  @Option(names = "--maxRuntime", defaultValue = "3600", description = "seconds")
  double maxRuntime;

  public static void main(String[] args) {
    System.exit(Commands.commandLine(new BaselineScorer(), System.out, System.err).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path file = Files.isDirectory(model) ? model.resolve(PortableModel.FILE_NAME) : model;
    Scorer scorer;
    try (InputStream in = Files.newInputStream(file)) {
      scorer = PortableModel.read(in, file.toString()).scorer();
    }
    Intervals intervals = new Intervals(sensors, Math.round(interval * 1000), Math.round(maxOutOfOrderness * 1000),
        scorer, System.currentTimeMillis());
    Properties c = new Properties();
    c.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.setProperty(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    c.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
    KafkaLineSource.FETCH_DEFAULTS.forEach(c::setProperty); // the scorer's own fetch settings
    Properties p = new Properties();
    p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
    long deadline = System.nanoTime() + (long) (maxRuntime * 1e9);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      consumer.subscribe(List.of(topic));
      Consumer<Decision> publish = d -> producer.send(new ProducerRecord<>(decisionsTopic, d.device(), d.toJson()));
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          intervals.accept(new String(r.value(), StandardCharsets.UTF_8));
        }
        intervals.fire(publish);
      }
    }
    System.out.println("Counters: " + intervals.counters());
    return 0;
  }

  /**
   * The loop's state, apart from Kafka: open intervals by their end, each with the last value and time per sensor
   * of each device; the values each device carries from its decided intervals; the watermark.
   */
  static final class Intervals {
    private final int sensors;
    private final long intervalMillis;
    private final long outOfOrderMillis;
    private final Scorer scorer;
    private final long originMillis;
    private final TreeMap<Long, Map<String, Open>> open = new TreeMap<>();
    private final Map<String, double[]> carried = new HashMap<>();
    private long newest = Long.MIN_VALUE;
    private long decidedUpTo = Long.MIN_VALUE;
    private long parsed;
    private long bad;
    private long late;
    private long decisions;

    /** One device's interval: the last value and event time per sensor (index sensor - 1) and the event count. */
    private static final class Open {
      final double[] values;
      final long[] times;
      long events;

      Open(int sensors) {
        values = new double[sensors];
        times = new long[sensors];
        Arrays.fill(times, Long.MIN_VALUE);
      }
    }

    /** Interval 1 starts at {@code startMillis} floored to the interval, as the scorer numbers them by default. */
    Intervals(int sensors, long intervalMillis, long outOfOrderMillis, Scorer scorer, long startMillis) {
      this.sensors = sensors;
      this.intervalMillis = intervalMillis;
      this.outOfOrderMillis = outOfOrderMillis;
      this.scorer = scorer;
      this.originMillis = Math.floorDiv(startMillis, intervalMillis) * intervalMillis;
    }

    /** Takes one record: parses it and keeps its value, or counts it as bad or late. */
    void accept(String record) {
      SensorEvent e;
      try {
        e = EventCsvCodec.parse(record);
      } catch (RecordFormatException ex) {
        bad++;
        return;
      }
      if (e.isSentinel() || e.sensor() < 1 || e.sensor() > sensors) {
        bad += e.isSentinel() ? 0 : 1;
        return;
      }
      parsed++;
      long t = e.eventTime().toEpochMilli();
      long end = (Math.floorDiv(t, intervalMillis) + 1) * intervalMillis;
      if (end <= decidedUpTo) {
        late++;
        return;
      }
      newest = Math.max(newest, t);
      Open o = open.computeIfAbsent(end, k -> new LinkedHashMap<>()).computeIfAbsent(e.deviceId(), k -> new Open(sensors));
      int i = e.sensor() - 1;
      if (t >= o.times[i]) {
        o.times[i] = t;
        o.values[i] = e.value();
      }
      o.events++;
    }

    /** Decides every interval whose end the watermark has passed, oldest first, and hands each decision on. */
    void fire(Consumer<Decision> out) {
      long watermark = newest == Long.MIN_VALUE ? Long.MIN_VALUE : newest - outOfOrderMillis;
      while (!open.isEmpty() && open.firstKey() <= watermark) {
        Map.Entry<Long, Map<String, Open>> due = open.pollFirstEntry();
        long end = due.getKey();
        long number = Math.floorDiv(end - intervalMillis - originMillis, intervalMillis) + 1;
        for (Map.Entry<String, Open> d : due.getValue().entrySet()) {
          double[] features = carried.computeIfAbsent(d.getKey(), k -> {
            double[] initial = new double[sensors];
            Arrays.fill(initial, DeviceHistory.INITIAL_VALUE);
            return initial;
          });
          Open o = d.getValue();
          for (int i = 0; i < sensors; i++) {
            if (o.times[i] != Long.MIN_VALUE) {
              features[i] = o.values[i];
            }
          }
          Prediction p = scorer.score(features);
          out.accept(new Decision(end, number, d.getKey(), o.events, p.probability(), p.label(), false, false, false, false));
          decisions++;
        }
        decidedUpTo = end;
      }
    }

    /** {@code parsed=... bad=... late=... decisions=...}. */
    String counters() {
      return "parsed=" + parsed + " bad=" + bad + " late=" + late + " decisions=" + decisions;
    }
  }

  /** For tests: the command line of this class with the project's error handling. */
  static CommandLine command() {
    return Commands.commandLine(new BaselineScorer(), System.out, System.err);
  }
}
