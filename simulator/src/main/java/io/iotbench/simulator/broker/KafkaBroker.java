package io.iotbench.simulator.broker;

import io.iotbench.model.support.Folders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one node), running inside
 * this JVM from the {@code kafka_2.12} server artifact, bound to 127.0.0.1 only. It serves
 * {@code iotbench broker kafka}, the integration tests and the simulator benchmark. The data
 * directory is formatted on first use (as {@code kafka-storage.sh format} does) and, when the caller
 * gave none, is a temporary folder deleted on {@link #close()}.
 */
public final class KafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

  private final KafkaRaftServer server;
  private final int port;
  private final Path dataDir;
  private final boolean deleteDataDir;
  private boolean closed;

  private KafkaBroker(KafkaRaftServer server, int port, Path dataDir, boolean deleteDataDir) {
    this.server = server;
    this.port = port;
    this.dataDir = dataDir;
    this.deleteDataDir = deleteDataDir;
  }

  /**
   * Formats (if needed) and starts a broker listening on {@code 127.0.0.1:port} and returns once it
   * answers client requests.
   *
   * @param port the client port; 0 picks a free one
   * @param dataDir where the logs go; null for a temporary folder removed on close
   * @param overrides broker properties that replace the defaults (e.g. {@code num.partitions})
   * @throws IOException if the port is taken, the folder cannot be used or the broker does not start
   */
  public static KafkaBroker start(int port, Path dataDir, Map<String, String> overrides)
      throws IOException {
    int clientPort = port == 0 ? FreePorts.find() : port;
    if (!FreePorts.isFree(clientPort)) {
      throw new IOException("cannot start Kafka: 127.0.0.1:" + clientPort + " is already in use");
    }
    int controllerPort = FreePorts.find();
    boolean temporary = dataDir == null;
    Path dir = temporary ? Files.createTempDirectory("iotbench-kafka-") : dataDir.toAbsolutePath();
    Files.createDirectories(dir);
    Path logDir = dir.resolve("kafka-logs");
    Properties props = brokerProperties(clientPort, controllerPort, logDir);
    overrides.forEach(props::setProperty);
    Path propsFile = dir.resolve("server.properties");
    try (Writer writer = Files.newBufferedWriter(propsFile, StandardCharsets.UTF_8)) {
      props.store(writer, "written by iotbench broker kafka");
    }
    try {
      if (!Files.exists(logDir.resolve("meta.properties"))) {
        format(propsFile);
      }
      KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
      KafkaBroker broker = new KafkaBroker(server, clientPort, dir, temporary);
      try {
        server.startup();
        broker.awaitReady(Duration.ofSeconds(60));
      } catch (RuntimeException | IOException e) {
        broker.close();
        throw e;
      }
      return broker;
    } catch (RuntimeException e) {
      if (temporary) {
        Folders.deleteQuietly(dir);
      }
      throw new IOException("cannot start Kafka on 127.0.0.1:" + clientPort + ": " + e, e);
    }
  }

  static Properties brokerProperties(int clientPort, int controllerPort, Path logDir) {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.setProperty(
        "listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.setProperty("log.dirs", logDir.toString());
    // A single node: internal topics must not ask for 3 replicas, or __consumer_offsets is never
    // created and consumer groups silently read nothing.
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("offsets.topic.num.partitions", "1");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    // Consumers in tests and demos should not wait 3 s for a rebalance nobody else joins.
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    // Two cores: Kafka's defaults (8 I/O threads, 3 network threads) only add contention here.
    p.setProperty("num.io.threads", "2");
    p.setProperty("num.network.threads", "2");
    p.setProperty("num.partitions", "1");
    p.setProperty("auto.create.topics.enable", "true");
    p.setProperty("delete.topic.enable", "true");
    return p;
  }

  private static void format(Path propsFile) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code;
    try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      code =
          StorageTool.execute(
              new String[] {
                "format", "-t", Uuid.randomUuid().toString(), "-c", propsFile.toString(), "--ignore-formatted"
              },
              print);
    }
    if (code != 0) {
      throw new IOException("kafka storage format failed: " + out.toString(StandardCharsets.UTF_8).trim());
    }
    LOG.debug("formatted Kafka storage: {}", out.toString(StandardCharsets.UTF_8).trim());
  }

  private void awaitReady(Duration timeout) throws IOException {
    try (Admin admin = admin()) {
      admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for Kafka to start", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("Kafka on " + bootstrapServers() + " did not answer within " + timeout, e);
    }
  }

  /** An admin client for this broker; the caller closes it. */
  public Admin admin() {
    Properties p = new Properties();
    p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "iotbench-broker-admin");
    return Admin.create(p);
  }

  /** Creates {@code topic} with {@code partitions} partitions and waits until it exists. */
  public void createTopic(String topic, int partitions) throws IOException {
    try (Admin admin = admin()) {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while creating topic " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("cannot create topic " + topic + " on " + bootstrapServers() + ": " + e, e);
    }
  }

  /** The {@code bootstrap.servers} value for clients: {@code 127.0.0.1:<port>}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Stops the broker and, if its folder was temporary, deletes it. Safe to call twice. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("Kafka on {} did not shut down cleanly: {}", bootstrapServers(), e.toString());
    }
    if (deleteDataDir && !Folders.deleteQuietly(dataDir)) {
      LOG.warn("could not delete Kafka's temporary folder {}", dataDir);
    }
  }
}
