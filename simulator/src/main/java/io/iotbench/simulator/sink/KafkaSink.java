package io.iotbench.simulator.sink;

import io.iotbench.model.SensorEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes one Kafka record per message (event): key = the device id (so a multi-device stream spreads over
 * the partitions and each device's events stay in order), value = the formatted event, record
 * timestamp = the event time (so consumers can use Kafka's CreateTime as event time). Tuned for max-rate
 * runs: byte-array serializers, large batches, a short linger and lz4; any producer setting can be
 * overridden with {@code --kafkaProperty=key=value}. Those values are never logged or printed, since
 * they may carry credentials.
 *
 * <p>{@link #open} first checks that one bootstrap server accepts TCP connections (so an unreachable
 * cluster fails in seconds with one line, not with the client's retry warnings), then asks for the
 * topic's partitions, which also auto-creates the topic where the broker allows it.
 */
public final class KafkaSink implements EventSink {

  /**
   * The producer settings of {@code --bootstrapServers --topic --acks --lingerMs --batchSize
   * --compression --connectTimeout --kafkaProperty}.
   */
  public record Settings(
      String bootstrapServers,
      String topic,
      String acks,
      int lingerMs,
      int batchSize,
      String compression,
      Duration connectTimeout,
      Map<String, String> extraProperties) {

    public Settings {
      parseServers(bootstrapServers);
      extraProperties = Map.copyOf(extraProperties);
    }
  }

  /** One {@code host:port} of a bootstrap list. */
  public record HostPort(String host, int port) {
    @Override
    public String toString() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  private final Settings settings;
  private final EventEncoder encoder;
  private final Map<String, byte[]> keys = new HashMap<>();
  private String lastDevice;
  private byte[] lastKey;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final Callback callback = this::completed;
  private KafkaProducer<byte[], byte[]> producer;
  private int partitions;

  public KafkaSink(Settings settings, EventEncoder encoder) {
    this.settings = settings;
    this.encoder = encoder;
  }

  /**
   * Parses {@code host:port[,host:port...]} ({@code [v6]:port} for IPv6).
   *
   * @throws IllegalArgumentException naming the bad entry
   */
  public static List<HostPort> parseServers(String list) {
    List<HostPort> servers = new ArrayList<>();
    for (String entry : list.split(",")) {
      String s = entry.trim();
      if (s.isEmpty()) {
        continue;
      }
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || colon == s.length() - 1) {
        throw new IllegalArgumentException("'" + s + "' is not host:port");
      }
      String host = s.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port;
      try {
        port = Integer.parseInt(s.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + s + "' has no valid port");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("'" + s + "' has no valid port");
      }
      servers.add(new HostPort(host, port));
    }
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("no host:port given");
    }
    return servers;
  }

  /** The producer configuration: our defaults, then the pass-through properties. */
  public static Properties producerProperties(Settings s) {
    Properties p = new Properties();
    p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    p.setProperty(ProducerConfig.CLIENT_ID_CONFIG, "iotbench-simulator");
    p.setProperty(ProducerConfig.ACKS_CONFIG, s.acks());
    // Idempotence requires acks=all; with acks 0 or 1 it would make the producer refuse to start.
    p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, String.valueOf("all".equals(s.acks()) || "-1".equals(s.acks())));
    p.setProperty(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(s.lingerMs()));
    p.setProperty(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(s.batchSize()));
    p.setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, s.compression());
    // Room for a few full batches per partition, so send() does not block on a bursty max-rate run.
    p.setProperty(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(Math.max(64L << 20, 16L * s.batchSize())));
    p.setProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(Math.max(1 << 20, s.batchSize() + 4096)));
    p.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(s.connectTimeout().toMillis()));
    s.extraProperties().forEach(p::setProperty);
    return p;
  }

  @Override
  public void open() throws IOException {
    String where = "Kafka at " + settings.bootstrapServers();
    checkReachable(parseServers(settings.bootstrapServers()), where, settings.connectTimeout());
    try {
      producer =
          new KafkaProducer<>(producerProperties(settings), new ByteArraySerializer(), new ByteArraySerializer());
    } catch (KafkaException e) {
      throw new SinkUnavailableException("cannot create a Kafka producer for " + settings.bootstrapServers() + ": " + rootMessage(e), e);
    }
    try {
      partitions = producer.partitionsFor(settings.topic()).size();
    } catch (TimeoutException e) {
      closeQuietly();
      throw new SinkUnavailableException(
          where + " did not return topic " + settings.topic() + " within "
              + settings.connectTimeout().toSeconds() + " s (is the topic there or auto-created? is the advertised listener reachable?)",
          e);
    } catch (KafkaException e) {
      closeQuietly();
      throw new SinkUnavailableException("cannot use topic " + settings.topic() + " of " + where + ": " + rootMessage(e), e);
    }
  }

  /** Fails unless one of {@code servers} accepts a TCP connection within {@code timeout}. */
  static void checkReachable(List<HostPort> servers, String where, Duration timeout) throws SinkUnavailableException {
    String reason = "";
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    for (HostPort server : servers) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(server.host(), server.port()), millis);
        return;
      } catch (IOException | IllegalArgumentException e) {
        reason = TcpSink.reason(e);
        if (e instanceof java.net.UnknownHostException) {
          reason = "unknown host " + server.host();
        }
      }
    }
    throw new SinkUnavailableException("cannot connect to " + where + ": " + reason);
  }

  /** Partitions of the topic, known after {@link #open}. */
  public int partitions() {
    return partitions;
  }

  private void completed(RecordMetadata metadata, Exception e) {
    if (e != null) {
      failure.compareAndSet(null, e);
    }
  }

  @Override
  public void send(List<SensorEvent> message) throws IOException {
    SensorEvent event = message.get(0);
    Exception failed = failure.get();
    if (failed != null) {
      throw sendFailed(failed);
    }
    // The scheduler reuses one String per device, so an identity check skips the map for a single device.
    String device = event.deviceId();
    if (device != lastDevice) {
      lastKey = keys.computeIfAbsent(device, d -> d.getBytes(StandardCharsets.UTF_8));
      lastDevice = device;
    }
    byte[] key = lastKey;
    byte[] value = encoder.toBytes(message);
    try {
      producer.send(
          new ProducerRecord<>(settings.topic(), null, event.eventTime().toEpochMilli(), key, value), callback);
    } catch (KafkaException e) {
      throw sendFailed(e);
    }
  }

  @Override
  public void flush() throws IOException {
    try {
      producer.flush();
    } catch (KafkaException e) {
      throw sendFailed(e);
    }
    Exception failed = failure.get();
    if (failed != null) {
      throw sendFailed(failed);
    }
  }

  private IOException sendFailed(Exception e) {
    return new IOException(
        "sending to Kafka topic " + settings.topic() + " at " + settings.bootstrapServers() + " failed: " + rootMessage(e), e);
  }

  @Override
  public String describe() {
    return "Kafka topic " + settings.topic() + " at " + settings.bootstrapServers();
  }

  @Override
  public void close() throws IOException {
    if (producer != null) {
      producer.close(settings.connectTimeout().plusSeconds(30));
      producer = null;
    }
  }

  private void closeQuietly() {
    if (producer != null) {
      producer.close(Duration.ZERO);
      producer = null;
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }
}
