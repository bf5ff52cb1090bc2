package io.iotbench.pipelines.score.source;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.fusesource.hawtbuf.Buffer;
import org.fusesource.hawtbuf.UTF8Buffer;
import org.fusesource.mqtt.client.Callback;
import org.fusesource.mqtt.client.CallbackConnection;
import org.fusesource.mqtt.client.Listener;
import org.fusesource.mqtt.client.MQTT;
import org.fusesource.mqtt.client.QoS;
import org.fusesource.mqtt.client.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages of one MQTT topic, our replacement for Beam's {@code MqttIO.read} (which delivers ~1 record/s on
 * the DirectRunner; see the README's note on MqttIO). One asynchronous fusesource connection per source and
 * JVM, subscribed at QoS 1 with a persistent session (a stable client id, clean session off), so the broker
 * keeps queueing while the client reconnects. Each message is acknowledged when it is buffered: acknowledging
 * only at checkpoint finalization, as MqttIO does, caps throughput at the broker's in-flight window
 * (mosquitto: 20 messages) per checkpoint. The price: messages buffered but not yet processed are lost if the
 * JVM dies.
 */
public final class MqttLineSource extends LiveLineSource {
  private static final long serialVersionUID = 1L;

  private final String uri;
  private final String topic;
  private final String clientId;

  public MqttLineSource(String uri, String topic, RecordSettings settings) {
    super(settings);
    this.uri = uri;
    this.topic = topic;
    this.clientId = "iotbench-score-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Whether an MQTT source in this JVM has subscribed (for local drivers that must not publish earlier). */
  public static boolean anySubscribed() {
    return LineFeed.anyReady(MqttFeed.class);
  }

  @Override
  protected LineFeed createFeed() {
    return new MqttFeed(uri, topic, clientId);
  }

  static final class MqttFeed extends LineFeed {
    private static final Logger LOG = LoggerFactory.getLogger(MqttFeed.class);
    private final String uri;
    private final String topic;
    private final String clientId;

    MqttFeed(String uri, String topic, String clientId) {
      this.uri = uri;
      this.topic = topic;
      this.clientId = clientId;
    }

    @Override
    protected void run() throws InterruptedException {
      MQTT mqtt = new MQTT();
      try {
        mqtt.setHost(uri);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("--mqttUri=" + uri + ": not a broker URI", e);
      }
      mqtt.setClientId(clientId);
      mqtt.setCleanSession(false);
      mqtt.setKeepAlive((short) 30);
      mqtt.setConnectAttemptsMax(-1);
      mqtt.setReconnectAttemptsMax(-1);
      mqtt.setReconnectDelay(250);
      CallbackConnection connection = mqtt.callbackConnection();
      connection.listener(new Listener() {
        @Override
        public void onConnected() {
          LOG.info("connected to {} as {}", uri, clientId);
        }

        @Override
        public void onDisconnected() {
          LOG.info("disconnected from {}; reconnecting", uri);
        }

        @Override
        public void onPublish(UTF8Buffer t, Buffer body, Runnable ack) {
          try {
            offer(new String(body.toByteArray(), StandardCharsets.UTF_8));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          ack.run();
        }

        @Override
        public void onFailure(Throwable e) {
          LOG.warn("MQTT connection to {} failed: {}", uri, e.toString());
        }
      });
      connection.connect(new Callback<Void>() {
        @Override
        public void onSuccess(Void v) {
          connection.subscribe(new Topic[] {new Topic(topic, QoS.AT_LEAST_ONCE)}, new Callback<byte[]>() {
            @Override
            public void onSuccess(byte[] qos) {
              LOG.info("subscribed to {} on {}", topic, uri);
              ready = true;
            }

            @Override
            public void onFailure(Throwable e) {
              LOG.warn("cannot subscribe to {} on {}: {}", topic, uri, e.toString());
            }
          });
        }

        @Override
        public void onFailure(Throwable e) {
          LOG.warn("cannot connect to {}: {}", uri, e.toString());
        }
      });
      while (!shouldStop()) {
        Thread.sleep(500);
      }
      connection.disconnect(null);
    }
  }
}
