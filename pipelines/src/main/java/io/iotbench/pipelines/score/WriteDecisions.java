package io.iotbench.pipelines.score;

import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.joda.time.Duration;

/**
 * The scorer's sinks: decisions as JSON to a Kafka topic, and JSON lines (decisions or dead letters) to
 * files. Files are written in panes of the global window fired every {@value #FILE_PANE_SECONDS} s of
 * processing time, so an unbounded run keeps producing complete files and a bounded run writes once.
 */
public final class WriteDecisions {
  /** How often a streaming run closes a batch of output files. */
  public static final int FILE_PANE_SECONDS = 5;

  private WriteDecisions() {}

  /** Decisions as JSON values to a Kafka topic. */
  public static final class ToKafka extends PTransform<PCollection<Decision>, PDone> {
    private static final long serialVersionUID = 1L;
    private final String bootstrapServers;
    private final String topic;

    public ToKafka(String bootstrapServers, String topic) {
      this.bootstrapServers = bootstrapServers;
      this.topic = topic;
    }

    @Override
    public PDone expand(PCollection<Decision> decisions) {
      return decisions
          .apply("DecisionToJson", MapElements.into(TypeDescriptors.strings()).via(Decision::toJson))
          .apply("PublishToKafka",
              KafkaIO.<Void, String>write()
                  .withBootstrapServers(bootstrapServers)
                  .withTopic(topic)
                  .withValueSerializer(StringSerializer.class)
                  .values());
    }
  }

  /** JSON lines to files {@code <prefix>-<pane>-SSSSS-of-NNNNN.json}. */
  public static final class ToFiles extends PTransform<PCollection<String>, PDone> {
    private static final long serialVersionUID = 1L;
    private final String prefix;

    public ToFiles(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public PDone expand(PCollection<String> lines) {
      return lines
          .apply("PaneEveryFewSeconds",
              Window.<String>into(new GlobalWindows())
                  .triggering(Repeatedly.forever(
                      AfterProcessingTime.pastFirstElementInPane().plusDelayOf(Duration.standardSeconds(FILE_PANE_SECONDS))))
                  .withAllowedLateness(Duration.ZERO)
                  .discardingFiredPanes())
          .apply("WriteJsonLines", TextIO.write().to(prefix).withSuffix(".json").withWindowedWrites().withNumShards(1));
    }
  }
}
