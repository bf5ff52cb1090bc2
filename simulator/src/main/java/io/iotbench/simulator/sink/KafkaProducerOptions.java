package io.iotbench.simulator.sink;

import static io.iotbench.simulator.cli.Commands.VALUE;

import io.iotbench.simulator.cli.Commands;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The Kafka producer's tuning options, declared once for every command that produces to Kafka ({@code simulate},
 * {@code bench-simulate}): {@code @Mixin KafkaProducerOptions producer;}, then {@link #settings} checks them and
 * builds the sink's settings.
 */
public final class KafkaProducerOptions {
  static final Set<String> COMPRESSIONS = Set.of("none", "gzip", "snappy", "lz4", "zstd");
  static final Set<String> ACKS = Set.of("0", "1", "all", "-1");

  @Option(names = "--acks", paramLabel = VALUE, defaultValue = "all",
      description = "kafka: producer acks, 0, 1 or all; all (the default) also makes the producer idempotent, so a retried send is neither lost nor duplicated [${DEFAULT-VALUE}]")
  String acks;

  @Option(names = "--lingerMs", paramLabel = VALUE, defaultValue = "5", description = "kafka: producer linger.ms [${DEFAULT-VALUE}]")
  int lingerMs;

  @Option(names = "--batchSize", paramLabel = VALUE, defaultValue = "1048576", description = "kafka: producer batch.size in bytes [${DEFAULT-VALUE}]")
  int batchSize;

  @Option(names = "--compression", paramLabel = VALUE, defaultValue = "lz4",
      description = "kafka: none, gzip, snappy, lz4 or zstd [${DEFAULT-VALUE}]")
  String compression;

  /**
   * The sink's settings with these producer options, checked as options of {@code spec}'s command: one error line
   * naming the option ({@code --acks=2: must be one of -1, 0, 1, all}) when a value is out of range.
   */
  public KafkaSink.Settings settings(
      CommandSpec spec, String bootstrapServers, String topic, Duration connectTimeout, Map<String, String> extraProperties) {
    String producerAcks = Commands.choice(spec, "acks", acks, ACKS);
    Commands.range(spec, "lingerMs", lingerMs, 0, 60_000);
    Commands.range(spec, "batchSize", batchSize, 1, 64 << 20);
    String codec = Commands.choice(spec, "compression", compression, COMPRESSIONS);
    return new KafkaSink.Settings(
        bootstrapServers, topic, producerAcks, lingerMs, batchSize, codec, connectTimeout, extraProperties);
  }
}
