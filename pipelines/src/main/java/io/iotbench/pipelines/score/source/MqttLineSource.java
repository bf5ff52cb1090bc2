package io.iotbench.pipelines.score.source;

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
 * JVM dies. A connection lost for longer than the outage limit fails the source. Each message is one record
 * (see {@link RecordText#ofMessage}).
 */
public final class MqttLineSource extends LiveLineSource {
  private static final long serialVersionUID = 1L;

  private final MqttBroker broker;
  private final String topic;
  private final String clientId;

  public MqttLineSource(MqttBroker broker, String topic, RecordSettings settings, long outageLimitMillis) {
    super(settings, outageLimitMillis);
    this.broker = broker;
    this.topic = topic;
    this.clientId = "iotbench-score-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Whether an MQTT source in this JVM has subscribed (for local drivers that must not publish earlier). */
  public static boolean anySubscribed() {
    return LineFeed.anyReady(MqttFeed.class);
  }

  @Override
  protected LineFeed createFeed() {
    return new MqttFeed(broker, topic, clientId, settings().maxRecordBytes(), outageLimitMillis());
  }

  static final class MqttFeed extends LineFeed {
    private static final Logger LOG = LoggerFactory.getLogger(MqttFeed.class);
    private final MqttBroker broker;
    private final String topic;
    private final String clientId;
    private final int maxRecordBytes;
    private volatile boolean connected;
    private volatile String lastProblem = "not connected yet";

    MqttFeed(MqttBroker broker, String topic, String clientId, int maxRecordBytes, long outageLimitMillis) {
      super(outageLimitMillis);
      this.broker = broker;
      this.topic = topic;
      this.clientId = clientId;
      this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    protected void run() throws InterruptedException {
      String where = broker.displayUri();
      MQTT mqtt = broker.client();
      mqtt.setClientId(clientId);
      mqtt.setCleanSession(false);
      mqtt.setKeepAlive((short) 5); // a broker that stops answering is noticed within seconds
      mqtt.setConnectAttemptsMax(-1);
      mqtt.setReconnectAttemptsMax(-1);
      mqtt.setReconnectDelay(250);
      mqtt.setReconnectDelayMax(1000);
      CallbackConnection connection = mqtt.callbackConnection();
      connection.listener(new Listener() {
        @Override
        public void onConnected() {
          connected = true;
          LOG.info("connected to {} as {}", where, clientId);
        }

        @Override
        public void onDisconnected() {
          connected = false;
          lastProblem = "connection lost";
          LOG.info("disconnected from {}; reconnecting", where);
        }

        @Override
        public void onPublish(UTF8Buffer t, Buffer body, Runnable ack) {
          try {
            offer(RecordText.ofMessage(body.data, body.offset, body.length, maxRecordBytes));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          ack.run();
        }

        @Override
        public void onFailure(Throwable e) {
          connected = false;
          lastProblem = e.getMessage() == null ? e.toString() : e.getMessage();
          LOG.warn("MQTT connection to {} failed: {}", where, e.toString());
        }
      });
      connection.connect(new Callback<Void>() {
        @Override
        public void onSuccess(Void v) {
          connected = true;
          connection.subscribe(new Topic[] {new Topic(topic, QoS.AT_LEAST_ONCE)}, new Callback<byte[]>() {
            @Override
            public void onSuccess(byte[] qos) {
              LOG.info("subscribed to {} on {}", topic, where);
              ready = true;
            }

            @Override
            public void onFailure(Throwable e) {
              fail("MQTT broker at " + where + ": cannot subscribe to " + topic + ": " + e.getMessage());
            }
          });
        }

        @Override
        public void onFailure(Throwable e) {
          connected = false;
          lastProblem = e.getMessage() == null ? e.toString() : e.getMessage();
          LOG.warn("cannot connect to {}: {}", where, e.toString());
        }
      });
      while (!awaitStop(200)) {
        if (connected) {
          connectionUp();
        } else if (connectionDown("MQTT broker at " + where + " is not reachable: " + lastProblem)) {
          break;
        }
      }
      connection.disconnect(null);
    }
  }
}
