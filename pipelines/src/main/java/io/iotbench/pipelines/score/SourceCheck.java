package io.iotbench.pipelines.score;

import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.score.source.MqttBroker;
import io.iotbench.pipelines.score.source.SocketLineSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.fusesource.mqtt.client.FutureConnection;
import org.fusesource.mqtt.client.MQTT;

/**
 * Checks, before the pipeline starts, that the scorer's live source can be reached, so that a wrong address or
 * a broker that is down is one error line and exit code 2 (an {@link InvalidOptionException}) within seconds,
 * not a pipeline that runs on without events:
 *
 * <ul>
 *   <li>kafka: one of the bootstrap servers accepts a TCP connection, the cluster answers an admin request, and
 *       the topic exists (or one notice says it does not yet and will be created when first written, if the
 *       broker creates topics);
 *   <li>mqtt: the broker accepts a connection with the given credentials (and TLS for {@code ssl://}, {@code tls://});
 *   <li>socket: the server accepts a connection; if it does not, one notice says the scorer waits for it, for up
 *       to {@link #SOCKET_WAIT_MILLIS} ms. The connection made is handed to the socket source, so a server that
 *       serves its first client only loses nothing.
 * </ul>
 */
final class SourceCheck {
  /** How long one check waits for an answer. */
  static final long ANSWER_MILLIS = 5_000;
  /**
   * How long the Kafka check waits for the broker's first answer once its port accepted the connection: a new
   * JVM's first admin request can take more than {@link #ANSWER_MILLIS} on a loaded machine, and the broker is there.
   */
  static final long KAFKA_ANSWER_MILLIS = 15_000;
  /** How long {@code score --source=socket} waits at start for its server to listen. */
  static final long SOCKET_WAIT_MILLIS = 10_000;

  private SourceCheck() {}

  static void check(ScoreSensorStream.Options o) {
    switch (o.getSource()) {
      case "kafka" -> kafka(o);
      case "mqtt" -> mqtt(ReadEventRecords.mqttBroker(o), o.getTopic());
      case "socket" -> socket(o.getHost(), o.getPort());
      default -> { } // file: checked with the storage locations
    }
  }

  static void kafka(ScoreSensorStream.Options o) {
    String servers = o.getBootstrapServers();
    String where = "--bootstrapServers=" + servers;
    String refused = null;
    for (String server : servers.split(",")) {
      String s = server.strip();
      int colon = s.lastIndexOf(':');
      if (colon <= 0) {
        throw new InvalidOptionException(where + ": expected host:port[,host:port...]");
      }
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1))),
            (int) ANSWER_MILLIS);
        refused = null;
        break;
      } catch (IOException | RuntimeException e) {
        refused = s + ": " + message(e);
      }
    }
    if (refused != null) {
      throw new InvalidOptionException(where + ": cannot reach Kafka (" + refused + ")");
    }
    boolean missing;
    try (Admin admin = Admin.create(adminConfig(o, KAFKA_ANSWER_MILLIS, "iotbench-score-check"))) {
      Set<String> topics = admin.listTopics().names().get(KAFKA_ANSWER_MILLIS + 1000, TimeUnit.MILLISECONDS);
      missing = !topics.contains(o.getTopic());
      if (missing && !"kafkaio".equals(o.getKafkaSource())) {
        ConsoleReport.notice("iotbench score: topic " + o.getTopic() + " does not exist on " + servers
            + " yet; it will be created when first written (if the broker creates topics), and read from its start");
      }
    } catch (ExecutionException e) {
      throw new InvalidOptionException(where + ": Kafka does not answer: " + message(e.getCause()));
    } catch (java.util.concurrent.TimeoutException e) {
      throw new InvalidOptionException(where + ": Kafka does not answer within " + (ANSWER_MILLIS / 1000 + 1) + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InvalidOptionException(where + ": interrupted while checking Kafka");
    } catch (RuntimeException e) {
      throw new InvalidOptionException(where + ": " + message(e));
    }
    if (missing && "kafkaio".equals(o.getKafkaSource())) {
      // KafkaIO splits the source into the partitions the topic has when the job starts, and fails without any.
      throw new InvalidOptionException("--topic=" + o.getTopic() + ": does not exist on " + servers + "; "
          + "--kafkaSource=kafkaio reads the partitions the topic has when the scorer starts: create the topic first, "
          + "or use --kafkaSource=chunked, which also reads a topic created later");
    }
  }

  static void mqtt(MqttBroker broker, String topic) {
    String where = "--mqttUri=" + broker.displayUri();
    MQTT mqtt = broker.client();
    mqtt.setClientId("iotbench-score-check-" + Long.toHexString(System.nanoTime()));
    mqtt.setCleanSession(true);
    // One attempt: the library otherwise retries forever.
    mqtt.setConnectAttemptsMax(1);
    mqtt.setReconnectAttemptsMax(0);
    FutureConnection connection = mqtt.futureConnection();
    try {
      connection.connect().await(ANSWER_MILLIS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new InvalidOptionException(where + ": cannot connect to the MQTT broker: no answer within "
          + ANSWER_MILLIS / 1000 + " s");
    } catch (Exception e) {
      throw new InvalidOptionException(where + ": cannot connect to the MQTT broker: " + message(e));
    }
    try {
      connection.disconnect().await(ANSWER_MILLIS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // Connected, which is what was checked.
    }
  }

  static void socket(String host, int port) {
    long deadline = System.currentTimeMillis() + SOCKET_WAIT_MILLIS;
    boolean noticed = false;
    while (true) {
      Socket socket = new Socket();
      try {
        socket.connect(new InetSocketAddress(host, port), (int) Math.min(2_000, SOCKET_WAIT_MILLIS));
        SocketLineSource.handOver(host, port, socket);
        return;
      } catch (IOException | RuntimeException e) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // nothing was open
        }
        if (System.currentTimeMillis() >= deadline) {
          throw new InvalidOptionException("--host=" + host + " --port=" + port + ": no server at " + host + ":" + port
              + " within " + SOCKET_WAIT_MILLIS / 1000 + " s (" + message(e) + ")");
        }
        if (!noticed) {
          noticed = true;
          ConsoleReport.notice("iotbench score: waiting up to " + SOCKET_WAIT_MILLIS / 1000 + " s for the server at "
              + host + ":" + port + " (" + message(e) + ")");
        }
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InvalidOptionException("--port=" + port + ": interrupted while waiting for the server");
      }
    }
  }

  private static String message(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /**
   * An admin client's settings for {@code o}'s brokers: the {@code --kafkaProperty} entries an admin client
   * understands (security settings), with requests that time out after {@code timeoutMillis}.
   */
  static Map<String, Object> adminConfig(ScoreSensorStream.Options o, long timeoutMillis, String clientId) {
    Map<String, Object> config = new HashMap<>();
    Set<String> known = AdminClientConfig.configNames();
    ReadEventRecords.clientProperties(o.getKafkaProperty()).forEach((k, v) -> {
      if (known.contains(k)) {
        config.put(k, v);
      }
    });
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, o.getBootstrapServers());
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeoutMillis);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMillis);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    return config;
  }
}
