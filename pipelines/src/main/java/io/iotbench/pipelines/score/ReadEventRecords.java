package io.iotbench.pipelines.score;

import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.score.source.FileReplaySource;
import io.iotbench.pipelines.score.source.KafkaLineSource;
import io.iotbench.pipelines.score.source.MqttBroker;
import io.iotbench.pipelines.score.source.MqttLineSource;
import io.iotbench.pipelines.score.source.ReadFileRecords;
import io.iotbench.pipelines.score.source.RecordSettings;
import io.iotbench.pipelines.score.source.RecordDeserializer;
import io.iotbench.pipelines.score.source.SocketLineSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Reads the raw event records (CSV lines or JSON messages) from {@code --source}: Kafka (KafkaIO, client
 * properties passed through, offsets committed when Beam finalizes a checkpoint), MQTT and TCP socket (our
 * {@link MqttLineSource} and {@link SocketLineSource}), or a recorded file (bounded with {@link ReadFileRecords},
 * or replayed as unbounded with event times by {@link FileReplaySource}; both cut lines at the record limit). Records carry their event time as timestamp (or their arrival time with
 * {@code --timeDomain=processing}); the bounded file's records are stamped by the parser instead.
 */
public final class ReadEventRecords extends PTransform<PBegin, PCollection<String>> {
  private static final long serialVersionUID = 1L;

  /** Consumer group used when {@code --groupId} is not given. */
  public static final String DEFAULT_GROUP = "iotbench-score";

  private final ScoreSensorStream.Options options;

  public ReadEventRecords(ScoreSensorStream.Options options) {
    this.options = options;
  }

  /** Whether the records come from the bounded file read (stamped by the parser, no ticks). */
  public static boolean isBounded(ScoreSensorStream.Options o) {
    return "file".equals(o.getSource()) && "batch".equals(o.getReplay());
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    ScoreSensorStream.Options o = options;
    RecordSettings settings = recordSettings(o);
    switch (o.getSource()) {
      case "kafka":
        if ("kafkaio".equals(o.getKafkaSource())) {
          // RecordDeserializer applies the record rules while decoding.
          return begin.apply("ReadFromKafka", kafka(o, settings)).apply("RecordValues", Values.create());
        }
        return begin.apply("ReadFromKafka", Read.from(new KafkaLineSource(o.getBootstrapServers(), o.getTopic(),
            kafkaProperties(o), settings, outageLimitMillis(o), RunnerSettings.kafkaCommitLag(o))));
      case "mqtt":
        return begin.apply("ReadFromMqtt",
            Read.from(new MqttLineSource(mqttBroker(o), o.getTopic(), mqttClientId(o), settings, outageLimitMillis(o))));
      case "socket":
        return begin.apply("ReadFromSocket",
            Read.from(new SocketLineSource(o.getHost(), o.getPort(), settings, outageLimitMillis(o))));
      case "file":
        if (isBounded(o)) {
          return begin.apply("ReadRecordedFile", new ReadFileRecords(o.getInputFile(), settings.maxRecordBytes()));
        }
        return begin.apply("ReplayRecordedFile", Read.from(new FileReplaySource(o.getInputFile(), settings)));
      default:
        throw new InvalidOptionException("--source=" + o.getSource() + ": expected kafka, mqtt, socket or file");
    }
  }

  /** How the sources read and stamp records under these options. */
  static RecordSettings recordSettings(ScoreSensorStream.Options o) {
    return new RecordSettings(EventFormat.named(o.getFormat()), ScoreSensorStream.processingTime(o),
        ScoreSensorStream.millis(o.getMaxOutOfOrderness()), ScoreSensorStream.millis(o.getMaxFutureSkew()),
        o.getMaxRecordBytes());
  }

  /** How long a live source's connection may be down during the run ({@code --sourceOutageLimit}). */
  static long outageLimitMillis(ScoreSensorStream.Options o) {
    return ScoreSensorStream.millis(o.getSourceOutageLimit());
  }

  /**
   * The client id of the scorer's MQTT session: {@code --clientId}, else one per topic. Refuses what MQTT cannot
   * carry (see {@link MqttLineSource#clientIdProblem}).
   */
  static String mqttClientId(ScoreSensorStream.Options o) {
    String id = o.getClientId() == null ? MqttLineSource.defaultClientId(o.getTopic()) : o.getClientId();
    String problem = MqttLineSource.clientIdProblem(id);
    if (problem != null) {
      throw new InvalidOptionException("--clientId=" + id.replaceAll("\\p{Cntrl}", "?") + ": " + problem);
    }
    return id;
  }

  /**
   * The MQTT broker with its credentials: {@code --username}, and {@code --password} or the first line of
   * {@code --passwordFile}. Never puts a password into a message.
   */
  static MqttBroker mqttBroker(ScoreSensorStream.Options o) {
    String password = o.getPassword();
    if (o.getPasswordFile() != null) {
      if (password != null) {
        throw new InvalidOptionException("--password, --passwordFile: give one of them, not both");
      }
      try {
        List<String> lines = Files.readAllLines(Path.of(o.getPasswordFile()), StandardCharsets.UTF_8);
        password = lines.isEmpty() ? "" : lines.get(0).strip();
      } catch (IOException | RuntimeException e) {
        throw new InvalidOptionException("--passwordFile=" + o.getPasswordFile() + ": cannot read it ("
            + e.getClass().getSimpleName() + ")");
      }
    }
    MqttBroker broker = new MqttBroker(o.getMqttUri(), o.getUsername(), password);
    try {
      broker.checkedUri();
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException("--mqttUri=" + broker.displayUri() + ": " + e.getMessage());
    }
    return broker;
  }

  static PTransform<PBegin, PCollection<KV<String, String>>> kafka(ScoreSensorStream.Options o, RecordSettings settings) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, o.getGroupId() == null ? DEFAULT_GROUP : o.getGroupId());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.putAll(KafkaLineSource.FETCH_DEFAULTS);
    config.putAll(clientProperties(o.getKafkaProperty()));
    config.put(RecordDeserializer.MAX_RECORD_BYTES, String.valueOf(settings.maxRecordBytes()));
    KafkaIO.Read<String, String> read =
        KafkaIO.<String, String>read()
            .withBootstrapServers(o.getBootstrapServers())
            .withTopic(o.getTopic())
            .withKeyDeserializer(StringDeserializer.class)
            .withValueDeserializerAndCoder(RecordDeserializer.class, StringUtf8Coder.of())
            .withConsumerConfigUpdates(config)
            .commitOffsetsInFinalize();
    read = settings.processingTime()
        ? read.withProcessingTime()
        : read.withTimestampPolicyFactory(new PayloadTimestampPolicy(settings));
    return read.withoutMetadata();
  }

  /** The consumer properties of the chunked Kafka source: the group, offset reset, and {@code --kafkaProperty}. */
  static Map<String, String> kafkaProperties(ScoreSensorStream.Options o) {
    Map<String, String> props = new HashMap<>();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, o.getGroupId() == null ? DEFAULT_GROUP : o.getGroupId());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    clientProperties(o.getKafkaProperty()).forEach((k, v) -> props.put(k, String.valueOf(v)));
    return props;
  }

  /** {@code key=value} entries of {@code --kafkaProperty}. */
  static Map<String, Object> clientProperties(List<String> entries) {
    return clientProperties("kafkaProperty", entries);
  }

  /**
   * {@code key=value} entries of a repeatable Kafka client option. A malformed entry is refused without its text:
   * it may be a secret (a JAAS configuration, a key store password) given with the wrong separator.
   */
  static Map<String, Object> clientProperties(String option, List<String> entries) {
    Map<String, Object> props = new HashMap<>();
    if (entries == null) {
      return props;
    }
    for (String entry : entries) {
      int eq = entry.indexOf('=');
      InvalidOptionException.check(eq > 0, option, "...", "expected key=value (the value given is not shown)");
      props.put(entry.substring(0, eq).trim(), entry.substring(eq + 1));
    }
    return props;
  }

  /**
   * Kafka records stamped with the event time read from their payload, with a watermark trailing the newest
   * one by the allowed out-of-orderness, and following the wall clock when a partition is idle ({@link PartitionTime}).
   * Only records the {@link RecordRules} accept (times only, as {@code EventClock}) move the newest time; the others
   * (unreadable, outside 1970..9999, too far in the future) are stamped with the partition's newest good time.
   */
  static final class PayloadTimestampPolicy implements TimestampPolicyFactory<String, String> {
    private static final long serialVersionUID = 1L;
    private final RecordRules rules;
    private final long outOfOrdernessMillis;

    PayloadTimestampPolicy(RecordSettings settings) {
      this.rules = RecordRules.of(settings, Integer.MAX_VALUE).timesOnly();
      this.outOfOrdernessMillis = settings.outOfOrdernessMillis();
    }

    @Override
    public TimestampPolicy<String, String> createTimestampPolicy(TopicPartition tp, Optional<Instant> previousWatermark) {
      Duration delay = Duration.millis(outOfOrdernessMillis);
      // The newest time starts where the previous watermark puts it, so a rejected first record moves nothing.
      PayloadTime time = new PayloadTime(rules, previousWatermark.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE).plus(delay));
      return new PartitionTime(time, delay);
    }
  }

  /**
   * One partition's timestamps and watermark: the newest accepted event time minus the out-of-orderness, and, once
   * the reader is known to have read everything the partition held (its backlog was 0 when the broker's end offset
   * was last fetched), at least that fetch's time minus the out-of-orderness: any record it reads later was appended
   * after that instant, and live producers stamp events when they send them. Beam's
   * {@code CustomTimestampPolicyWithLimitedDelay} has the same rule but applies it only after a partition's first
   * record: a partition that never gets one (one device keys every record to one partition of two) held every
   * reader's watermark, and with it every window, at the start of time. Here it applies from the first backlog
   * fetch. An event time ahead of the wall clock (dead-lettered anyway) never moves the watermark past now.
   */
  static final class PartitionTime extends TimestampPolicy<String, String> {
    private final PayloadTime time;
    private final Duration delay;

    PartitionTime(PayloadTime time, Duration delay) {
      this.time = time;
      this.delay = delay;
    }

    @Override
    public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<String, String> record) {
      return time.of(record);
    }

    /** The timestamp of a record with {@code payload} read at {@code now} (wall clock, milliseconds). */
    Instant stamp(String payload, long now) {
      return time.of(payload, now);
    }

    @Override
    public Instant getWatermark(PartitionContext ctx) {
      return watermark(ctx.getMessageBacklog(), ctx.getBacklogCheckTime(), Instant.now());
    }

    /**
     * The watermark when the partition's backlog was {@code backlog} records ({@code -1}: unknown) at
     * {@code checkTime} (null: never checked), at wall-clock time {@code now}.
     */
    Instant watermark(long backlog, Instant checkTime, Instant now) {
      Instant newest = time.newest();
      if (newest.isAfter(now)) {
        return now.minus(delay);
      }
      if (backlog == 0 && checkTime != null && checkTime.minus(delay).isAfter(newest.minus(delay))) {
        return checkTime.minus(delay); // caught up: whatever comes next was appended after checkTime
      }
      return newest.minus(delay);
    }
  }

  /** One partition's payload times: a record's accepted event time, else the newest accepted so far. */
  static final class PayloadTime implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final RecordRules rules;
    private Instant newest;

    PayloadTime(RecordRules rules, Instant start) {
      this.rules = rules;
      this.newest = start;
    }

    Instant of(KafkaRecord<String, String> r) {
      return of(r.getKV().getValue(), System.currentTimeMillis());
    }

    Instant of(String payload, long now) {
      Long t = payload == null ? null : rules.acceptedMillis(payload, now);
      if (t == null) {
        return newest;
      }
      Instant time = new Instant(t);
      if (time.isAfter(newest)) {
        newest = time;
      }
      return time;
    }

    /** The newest accepted time, or where it started. */
    Instant newest() {
      return newest;
    }
  }
}
