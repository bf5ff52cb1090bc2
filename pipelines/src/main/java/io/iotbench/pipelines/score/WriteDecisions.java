package io.iotbench.pipelines.score;

import io.iotbench.pipelines.common.PipelineCounters;
import io.iotbench.pipelines.common.SecretOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileBasedSink;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The scorer's sinks: decisions as JSON to a Kafka topic, and JSON lines (decisions or dead letters) to
 * files. An unbounded run writes one file per bundle that had lines, when the bundle finishes (a micro-batch's
 * partition on Spark, a bundle of at most a second on Flink): a decision is on disk once the work that made it is
 * done, so a crash cannot take decisions the runner already considers processed (a restarted SparkRunner run does
 * not emit again what its completed batches emitted). A bounded run writes its lines once, through TextIO.
 */
public final class WriteDecisions {
  private WriteDecisions() {}

  /**
   * The decisions producer's client properties: the security entries of {@code --kafkaProperty}
   * ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}), so that a SASL or TLS cluster works for events and
   * decisions alike with one set of options, then every {@code --decisionsKafkaProperty} entry, which wins on the
   * same key. Other consumer settings ({@code group.id}, {@code auto.offset.reset}, fetch sizes) are not passed on:
   * a producer would only warn about them.
   */
  static Map<String, String> producerProperties(ScoreSensorStream.Options o) {
    Map<String, String> props = new TreeMap<>();
    ReadEventRecords.clientProperties(o.getKafkaProperty()).forEach((k, v) -> {
      if (isSecuritySetting(k)) {
        props.put(k, String.valueOf(v));
      }
    });
    ReadEventRecords.clientProperties("decisionsKafkaProperty", o.getDecisionsKafkaProperty())
        .forEach((k, v) -> props.put(k, String.valueOf(v)));
    return props;
  }

  /** Whether a Kafka client property configures authentication or encryption, which both directions share. */
  static boolean isSecuritySetting(String key) {
    return key.equals("security.protocol") || key.startsWith("sasl.") || key.startsWith("ssl.");
  }

  /** Decisions as JSON values to a Kafka topic, with extra producer properties (security settings, client.id...). */
  public static final class ToKafka extends PTransform<PCollection<Decision>, PDone> {
    private static final long serialVersionUID = 1L;
    private final String bootstrapServers;
    private final String topic;
    private final TreeMap<String, String> producerProperties;

    public ToKafka(String bootstrapServers, String topic) {
      this(bootstrapServers, topic, Map.of());
    }

    public ToKafka(String bootstrapServers, String topic, Map<String, String> producerProperties) {
      this.bootstrapServers = bootstrapServers;
      this.topic = topic;
      this.producerProperties = new TreeMap<>(producerProperties);
    }

    /**
     * The KafkaIO sink this transform applies. Secret properties ({@link SecretOptions#isSecretProperty}: passwords,
     * keys, {@code sasl.*}) reach the producer through its factory, not KafkaIO's producer configuration, which
     * KafkaIO lists in its display data (runner UIs show it).
     */
    KafkaIO.Write<Void, String> kafkaWrite() {
      Map<String, Object> plain = new HashMap<>();
      HashMap<String, String> secret = new HashMap<>();
      producerProperties.forEach((k, v) -> {
        if (SecretOptions.isSecretProperty(k)) {
          secret.put(k, v);
        } else {
          plain.put(k, v);
        }
      });
      KafkaIO.Write<Void, String> write = KafkaIO.<Void, String>write()
          .withBootstrapServers(bootstrapServers)
          .withTopic(topic)
          .withValueSerializer(StringSerializer.class)
          .withProducerConfigUpdates(plain);
      return secret.isEmpty() ? write : write.withProducerFactoryFn(new ProducerWithSecrets(secret));
    }

    @Override
    public PDone expand(PCollection<Decision> decisions) {
      return decisions
          .apply("DecisionToJson", MapElements.into(TypeDescriptors.strings()).via(Decision::toJson))
          .apply("PublishToKafka", kafkaWrite().values());
    }
  }

  /** Creates the decisions producer with KafkaIO's configuration plus the secret properties. */
  static final class ProducerWithSecrets implements SerializableFunction<Map<String, Object>, Producer<Void, String>> {
    private static final long serialVersionUID = 1L;
    final HashMap<String, String> secret;

    ProducerWithSecrets(HashMap<String, String> secret) {
      this.secret = secret;
    }

    @Override
    public Producer<Void, String> apply(Map<String, Object> config) {
      Map<String, Object> all = new HashMap<>(config);
      all.putAll(secret);
      return new KafkaProducer<>(all);
    }

    @Override
    public String toString() {
      return "ProducerWithSecrets" + secret.keySet(); // never the values
    }
  }

  /**
   * JSON lines to files: from an unbounded stream one file per bundle, {@code <prefix>-<jvm>-bundle-<n>.json}
   * ({@link BundleFilesFn}); from a bounded one through TextIO, {@code <prefix>-<jvm>-pane-0-00000-of-00001.json}. Counts the
   * lines it was given and the lines of every file once it is in place (Beam counters {@code <sink>LinesIn} and
   * {@code <sink>LinesWritten} in the namespace of this class), so that a run can tell whether its last lines are on
   * disk before it stops ({@link #allWritten}).
   */
  public static final class ToFiles extends PTransform<PCollection<String>, PDone> {
    private static final long serialVersionUID = 1L;
    private final String prefix;
    private final String sink;

    /**
     * @param prefix the files' location and name prefix (any FileSystems location)
     * @param sink the name of the sink in its counters ({@value #DECISIONS}, {@value #DEAD_LETTERS})
     */
    public ToFiles(String prefix, String sink) {
      this.prefix = prefix;
      this.sink = sink;
    }

    @Override
    public PDone expand(PCollection<String> lines) {
      PCollection<String> counted = lines.apply("CountLinesIn", ParDo.of(new CountFn(sink + LINES_IN)));
      if (lines.isBounded() == PCollection.IsBounded.UNBOUNDED) {
        counted.apply("WriteJsonLines", ParDo.of(new BundleFilesFn(prefix, sink + LINES_WRITTEN)));
        return PDone.in(lines.getPipeline());
      }
      counted
          .apply("IntoGlobalWindow", Window.into(new GlobalWindows()))
          .apply("WriteJsonLines", TextIO.write().to(new PaneFiles(prefix))
              .withTempDirectory(FileSystems.matchNewResource(prefix, false).getCurrentDirectory())
              .withWindowedWrites().withNumShards(1).withOutputFilenames())
          .getPerDestinationOutputFilenames()
          .apply("CountLinesWritten", ParDo.of(new CountFileLinesFn<>(sink + LINES_WRITTEN)));
      return PDone.in(lines.getPipeline());
    }
  }

  /**
   * Writes the lines of each bundle to a file of their own when the bundle finishes: into a hidden temporary file
   * ({@code .<name>.tmp}, which readers of {@code *.json} do not see) moved into place with
   * {@link FileSystems#rename} (atomic on local disk and HDFS; a copy then a delete on S3, where a reader can see
   * the file only once it is complete). A bundle without lines writes nothing. A failed write fails the bundle, which
   * the runner retries; a retried bundle that had written its file before it failed writes a second one with the same
   * lines (readers keep the newest decision per device and interval).
   */
  static final class BundleFilesFn extends DoFn<String, Void> {
    private static final long serialVersionUID = 1L;
    private static final AtomicLong FILES = new AtomicLong();
    private final String prefix;
    private final Counter written;
    private transient StringBuilder lines;
    private transient long count;

    BundleFilesFn(String prefix, String counter) {
      this.prefix = prefix;
      this.written = Metrics.counter(WriteDecisions.class, counter);
    }

    @StartBundle
    public void start() {
      lines = new StringBuilder();
      count = 0;
    }

    @ProcessElement
    public void process(@Element String line) {
      lines.append(line).append('\n');
      count++;
    }

    @FinishBundle
    public void finish() throws IOException {
      if (count == 0) {
        return;
      }
      String name = String.format("%s-%s-bundle-%06d.json", prefix, PaneFiles.JVM, FILES.incrementAndGet());
      ResourceId target = FileSystems.matchNewResource(name, false);
      ResourceId temp = target.getCurrentDirectory().resolve("." + target.getFilename() + ".tmp",
          StandardResolveOptions.RESOLVE_FILE);
      try (WritableByteChannel out = FileSystems.create(temp, MimeTypes.TEXT)) {
        ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
      }
      FileSystems.rename(List.of(temp), List.of(target));
      written.inc(count);
      lines.setLength(0);
      count = 0;
    }
  }

  /** The decision files' name in the sink counters. */
  public static final String DECISIONS = "decision";
  /** The dead-letter files' name in the sink counters. */
  public static final String DEAD_LETTERS = "deadLetter";
  static final String LINES_IN = "LinesIn";
  static final String LINES_WRITTEN = "LinesWritten";

  /**
   * Whether every line given to the file sinks {@code sinks} of the running {@code result} is in a finalized file,
   * as far as the runner's counters tell (a sink that got no line counts as written).
   */
  static boolean allWritten(PipelineResult result, List<String> sinks) {
    return allWritten(result, sinks, Map.of());
  }

  /**
   * The same, forgiving each sink the lines {@code unwritten} says were not written when the run started (a run resumed
   * from a checkpoint restores its counters from the last completed batch, with lines counted in that the earlier
   * run never wrote; see docs/restart.md).
   */
  static boolean allWritten(PipelineResult result, List<String> sinks, Map<String, Long> unwritten) {
    for (String sink : sinks) {
      if (unwritten(result, sink) > unwritten.getOrDefault(sink, 0L)) {
        return false;
      }
    }
    return true;
  }

  /** The lines given to {@code sink} that are not in a finalized file yet, by the run's counters. */
  static long unwritten(PipelineResult result, String sink) {
    long in = PipelineCounters.get(result, WriteDecisions.class, sink + LINES_IN);
    long written = PipelineCounters.get(result, WriteDecisions.class, sink + LINES_WRITTEN);
    return in - written;
  }

  /** Counts elements, passing them on. */
  static final class CountFn extends DoFn<String, String> {
    private static final long serialVersionUID = 1L;
    private final Counter counter;

    CountFn(String name) {
      this.counter = Metrics.counter(WriteDecisions.class, name);
    }

    @ProcessElement
    public void process(@Element String line, OutputReceiver<String> out) {
      counter.inc();
      out.output(line);
    }
  }

  /** Counts the lines of each finalized file named to it (a pane's file: a few seconds of output, read once). */
  static final class CountFileLinesFn<K> extends DoFn<KV<K, String>, Void> {
    private static final long serialVersionUID = 1L;
    private final Counter counter;

    CountFileLinesFn(String name) {
      this.counter = Metrics.counter(WriteDecisions.class, name);
    }

    @ProcessElement
    public void process(@Element KV<K, String> file) throws IOException {
      try (BufferedReader in = new BufferedReader(Channels.newReader(
          FileSystems.open(FileSystems.matchNewResource(file.getValue(), false)), StandardCharsets.UTF_8))) {
        counter.inc(in.lines().count());
      }
    }
  }

  /**
   * Names a pane's file {@code <prefix>-<jvm>-pane-<index>-SSSSS-of-NNNNN.json}, where {@code <jvm>} is drawn once per
   * JVM (its start time and a random part). The pane index alone does not name a file for good: a SparkRunner run
   * resumed from its checkpoint restores the trigger's pane count, so its replayed panes would take the numbers of
   * files the first run wrote and replace them.
   */
  static final class PaneFiles extends FileBasedSink.FilenamePolicy {
    private static final long serialVersionUID = 1L;
    /** This JVM's part of every file name; static, so a policy deserialized from a checkpoint takes the new JVM's. */
    static final String JVM = Long.toString(System.currentTimeMillis(), 36)
        + Integer.toString(java.util.concurrent.ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
    private final String prefix;

    PaneFiles(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public ResourceId windowedFilename(int shard, int numShards, BoundedWindow window, PaneInfo pane,
        FileBasedSink.OutputFileHints hints) {
      return file(String.format("-%s-pane-%d-%05d-of-%05d", JVM, pane.getIndex(), shard, numShards), hints);
    }

    @Override
    public ResourceId unwindowedFilename(int shard, int numShards, FileBasedSink.OutputFileHints hints) {
      return file(String.format("-%s-%05d-of-%05d", JVM, shard, numShards), hints);
    }

    private ResourceId file(String name, FileBasedSink.OutputFileHints hints) {
      String suffix = hints.getSuggestedFilenameSuffix() == null ? "" : hints.getSuggestedFilenameSuffix();
      return FileSystems.matchNewResource(prefix + name + suffix + ".json", false);
    }
  }
}
