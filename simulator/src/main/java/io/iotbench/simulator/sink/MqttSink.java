package io.iotbench.simulator.sink;

import io.iotbench.model.SensorEvent;
import io.iotbench.model.support.MqttUri;
import java.io.IOException;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.fusesource.hawtbuf.Buffer;
import org.fusesource.hawtbuf.UTF8Buffer;
import org.fusesource.mqtt.client.Future;
import org.fusesource.mqtt.client.FutureConnection;
import org.fusesource.mqtt.client.MQTT;
import org.fusesource.mqtt.client.QoS;

/**
 * Publishes one MQTT message per message (event) to one topic, or to one topic per device when the
 * topic contains {@value #DEVICE_PLACEHOLDER} ({@code iot/line<device>} publishes device 1's messages to
 * {@code iot/line1}; a scorer subscribes to all of them with {@code iot/#}), with the client Beam's MqttIO uses (FuseSource
 * mqtt-client). QoS 1 by default, so a broker cannot silently drop a burst; up to
 * {@value #MAX_IN_FLIGHT} publishes are in flight before the simulator waits for the oldest
 * acknowledgement. {@code ssl://} or {@code tls://} URIs use the JVM's default SSL context, so the
 * standard {@code -Djavax.net.ssl.trustStore=...} properties apply; the password is never logged or
 * printed. A broker that cannot be reached fails {@link #open} within the connect timeout.
 */
public final class MqttSink implements EventSink {

  static final int MAX_IN_FLIGHT = 1000;

  /** In {@code --topic}, replaced by the device id of each message. */
  public static final String DEVICE_PLACEHOLDER = "<device>";

  /** The settings of {@code --mqttUri --topic --qos --clientId --username --password --connectTimeout}. */
  public record Settings(
      String uri, String topic, int qos, String clientId, String username, String password, Duration connectTimeout) {
    public Settings {
      checkUri(uri);
      if (qos < 0 || qos > 2) {
        throw new IllegalArgumentException("qos must be 0, 1 or 2: " + qos);
      }
    }
  }

  /**
   * Checks a topic to publish to: not empty, no wildcard ({@code +} or {@code #}), no NUL.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static void checkTopic(String topic) {
    if (topic == null || topic.isEmpty()) {
      throw new IllegalArgumentException("is required");
    }
    if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0 || topic.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "cannot publish to a topic with a wildcard (+ or #); subscribers use them, e.g. iot/# for iot/line" + DEVICE_PLACEHOLDER);
    }
  }

  /** The topic of {@code device}'s messages. */
  static String topicOf(String topic, String device) {
    return topic.replace(DEVICE_PLACEHOLDER, device);
  }

  private final Settings settings;
  private final EventEncoder encoder;
  private final ArrayDeque<Future<Void>> inFlight = new ArrayDeque<>();
  private final UTF8Buffer topic;
  private final boolean perDevice;
  private final Map<String, UTF8Buffer> deviceTopics = new HashMap<>();
  private final QoS qos;
  private FutureConnection connection;

  public MqttSink(Settings settings, EventEncoder encoder) {
    this.settings = settings;
    this.encoder = encoder;
    this.topic = new UTF8Buffer(settings.topic());
    this.perDevice = settings.topic().contains(DEVICE_PLACEHOLDER);
    this.qos = QoS.values()[settings.qos()];
  }

  /**
   * Checks a broker URI: {@code tcp://host:port}, {@code ssl://host:port} or {@code tls://host:port}.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static URI checkUri(String uri) {
    return MqttUri.check(uri);
  }

  @Override
  public void open() throws IOException {
    URI uri = checkUri(settings.uri());
    MQTT mqtt = new MQTT();
    mqtt.setHost(uri);
    mqtt.setClientId(settings.clientId());
    mqtt.setCleanSession(true);
    // One attempt: an unreachable broker must fail now, not be retried forever (the library's default).
    mqtt.setConnectAttemptsMax(1);
    mqtt.setReconnectAttemptsMax(0);
    if (settings.username() != null && !settings.username().isEmpty()) {
      mqtt.setUserName(settings.username());
    }
    if (settings.password() != null && !settings.password().isEmpty()) {
      mqtt.setPassword(settings.password());
    }
    if (!uri.getScheme().equalsIgnoreCase("tcp")) {
      try {
        mqtt.setSslContext(SSLContext.getDefault());
      } catch (NoSuchAlgorithmException e) {
        throw new SinkUnavailableException("no default SSL context for " + settings.uri() + ": " + e.getMessage(), e);
      }
    }
    connection = mqtt.futureConnection();
    try {
      connection.connect().await(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      // No kill(): on a failed connect the library has no transport and kill() throws in its own thread.
      connection = null;
      throw new SinkUnavailableException(
          "cannot connect to MQTT broker at " + settings.uri() + ": no answer within " + settings.connectTimeout().toSeconds() + " s", e);
    } catch (Exception e) {
      connection = null;
      throw new SinkUnavailableException("cannot connect to MQTT broker at " + settings.uri() + ": " + KafkaSink.rootMessage(e), e);
    }
  }

  @Override
  public void send(List<SensorEvent> message) throws IOException {
    if (inFlight.size() >= MAX_IN_FLIGHT) {
      await(inFlight.poll());
    }
    byte[] payload = encoder.toBytes(message);
    UTF8Buffer to = perDevice
        ? deviceTopics.computeIfAbsent(message.get(0).deviceId(), d -> new UTF8Buffer(topicOf(settings.topic(), d)))
        : topic;
    inFlight.add(connection.publish(to, new Buffer(payload), qos, false));
  }

  @Override
  public void flush() throws IOException {
    while (!inFlight.isEmpty()) {
      await(inFlight.poll());
    }
  }

  private void await(Future<Void> publish) throws IOException {
    try {
      publish.await(settings.connectTimeout().toMillis() + 30_000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IOException(
          "publishing to MQTT topic " + settings.topic() + " at " + settings.uri() + " failed: " + KafkaSink.rootMessage(e), e);
    }
  }

  @Override
  public String describe() {
    return "MQTT topic " + settings.topic() + " at " + settings.uri();
  }

  @Override
  public void close() throws IOException {
    if (connection == null) {
      return;
    }
    try {
      flush();
    } finally {
      try {
        connection.disconnect().await(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        kill();
      }
      connection = null;
    }
  }

  private void kill() {
    if (connection != null) {
      try {
        connection.kill().await(1, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Already failed; the caller reports the original error.
      }
      connection = null;
    }
  }
}
