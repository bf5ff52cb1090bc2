package io.iotbench.pipelines.score.source;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.options.PipelineOptions;
import org.fusesource.hawtbuf.Buffer;
import org.fusesource.hawtbuf.UTF8Buffer;
import org.fusesource.mqtt.client.Callback;
import org.fusesource.mqtt.client.CallbackConnection;
import org.fusesource.mqtt.client.Listener;
import org.fusesource.mqtt.client.MQTT;
import org.fusesource.mqtt.client.QoS;
import org.fusesource.mqtt.client.Topic;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages of one MQTT topic, our replacement for Beam's {@code MqttIO.read} (which delivers ~1 record/s on
 * the DirectRunner; see the README's note on MqttIO). One asynchronous fusesource connection per source and
 * JVM, subscribed at QoS 1 with a persistent session: a stable client id ({@code --clientId}) and clean session
 * off, so the broker queues the topic's messages while the scorer is down or reconnecting and redelivers what was
 * not acknowledged. A message is acknowledged only once the runner has finalized a checkpoint that covers it
 * ({@link HeldAcks}): a scorer killed with messages buffered or in flight gets them again when it comes back with
 * the same client id (at-least-once; the redelivered ones it had already processed are counted twice). While
 * acknowledgements wait for a checkpoint, the broker's in-flight window (mosquitto's {@code max_inflight_messages},
 * 20 by default) caps delivery: {@code iotbench broker mqtt} lifts it, see docs/mqtt-delivery.md. A connection
 * lost for longer than the outage limit fails the source. Each message is one record (see
 * {@link RecordText#ofMessage}).
 */
public final class MqttLineSource extends LiveLineSource {
  private static final long serialVersionUID = 1L;

  private final MqttBroker broker;
  private final String topic;
  /** The feed of each source in this JVM, by {@link #key}: its readers tell it the checkpoint marks they take. */
  private static final Map<String, MqttFeed> FEEDS = new ConcurrentHashMap<>();

  private final String clientId;
  /** Names this source (and its copies: runners deserialize sources) in {@link #FEEDS}. */
  private final String key = UUID.randomUUID().toString();

  /**
   * @param clientId the MQTT client id of the persistent session; the same id on the next run resumes it
   */
  public MqttLineSource(MqttBroker broker, String topic, String clientId, RecordSettings settings, long outageLimitMillis) {
    super(settings, outageLimitMillis);
    this.broker = broker;
    this.topic = topic;
    this.clientId = clientId;
  }

  /** The client id used when {@code --clientId} is not given: one per topic, so a rerun resumes the session. */
  public static String defaultClientId(String topic) {
    return "iotbench-score-" + topic;
  }

  /**
   * Why {@code clientId} cannot be an MQTT client id, or null if it can: MQTT 3.1.1 strings are UTF-8 of at most
   * 65,535 bytes without U+0000, and a persistent session needs a non-empty id. Brokers must accept 1-23 letters and
   * digits and may accept more; mosquitto accepts any such string, so longer ids and other characters are allowed
   * (a stricter broker refuses the connection, and the source names its answer).
   */
  public static String clientIdProblem(String clientId) {
    if (clientId == null || clientId.isEmpty()) {
      return "must not be empty (the broker keeps the session under this id)";
    }
    if (clientId.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 65_535) {
      return "longer than MQTT's 65535 bytes";
    }
    if (clientId.chars().anyMatch(Character::isISOControl)) {
      return "must not contain control characters";
    }
    return null;
  }

  /** Whether an MQTT source in this JVM has subscribed (for local drivers that must not publish earlier). */
  public static boolean anySubscribed() {
    return LineFeed.anyReady(MqttFeed.class);
  }

  @Override
  protected LineFeed createFeed() {
    MqttFeed feed = new MqttFeed(broker, topic, clientId, settings().maxRecordBytes(), outageLimitMillis(), key);
    FEEDS.put(key, feed);
    return feed;
  }

  @Override
  public UnboundedReader<String> createReader(PipelineOptions options, CountMark checkpoint) {
    return new MarkingReader(super.createReader(options, checkpoint), key);
  }

  /**
   * The common live reader, telling the feed each checkpoint mark it takes, so that the feed knows which of its
   * messages a finalized mark covers (the mark's count continues the runner's checkpoint, not the feed's).
   */
  private static final class MarkingReader extends UnboundedReader<String> {
    private final UnboundedReader<String> reader;
    private final String key;

    MarkingReader(UnboundedReader<String> reader, String key) {
      this.reader = reader;
      this.key = key;
    }

    @Override
    public boolean start() throws IOException {
      return reader.start();
    }

    @Override
    public boolean advance() throws IOException {
      return reader.advance();
    }

    @Override
    public String getCurrent() throws NoSuchElementException {
      return reader.getCurrent();
    }

    @Override
    public Instant getCurrentTimestamp() throws NoSuchElementException {
      return reader.getCurrentTimestamp();
    }

    @Override
    public Instant getWatermark() {
      return reader.getWatermark();
    }

    @Override
    public CheckpointMark getCheckpointMark() {
      CountMark mark = (CountMark) reader.getCheckpointMark();
      MqttFeed feed = FEEDS.get(key);
      if (feed != null) {
        feed.acks.marked(mark.records());
      }
      return mark;
    }

    @Override
    public org.apache.beam.sdk.io.UnboundedSource<String, ?> getCurrentSource() {
      return reader.getCurrentSource();
    }

    @Override
    public long getSplitBacklogBytes() {
      return reader.getSplitBacklogBytes();
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }

  static final class MqttFeed extends LineFeed {
    private static final Logger LOG = LoggerFactory.getLogger(MqttFeed.class);
    private final MqttBroker broker;
    private final String topic;
    private final String clientId;
    private final int maxRecordBytes;
    private final String key;
    final HeldAcks acks = new HeldAcks();
    private volatile CallbackConnection connection;
    private volatile boolean connected;
    private volatile String lastProblem = "not connected yet";

    MqttFeed(MqttBroker broker, String topic, String clientId, int maxRecordBytes, long outageLimitMillis, String key) {
      super(outageLimitMillis);
      this.broker = broker;
      this.topic = topic;
      this.clientId = clientId;
      this.maxRecordBytes = maxRecordBytes;
      this.key = key;
    }

    @Override
    public Object poll() {
      Object record = super.poll();
      if (record != null) {
        acks.handedOut(1);
      }
      return record;
    }

    @Override
    public Object pollNow() {
      Object record = super.pollNow();
      if (record != null) {
        acks.handedOut(1);
      }
      return record;
    }

    /**
     * Sends the acknowledgements of the messages the finalized mark covers, on the connection's dispatch queue (the
     * fusesource connection is not thread-safe), unless the connection was lost since: then the broker redelivers.
     */
    @Override
    protected void onFinalized(long records) {
      CallbackConnection c = connection;
      long held = acks.connection();
      List<Runnable> due = acks.finalized(records);
      if (c == null || due.isEmpty()) {
        return;
      }
      c.getDispatchQueue().execute(() -> {
        if (acks.connection() == held) {
          due.forEach(Runnable::run);
        }
      });
    }

    @Override
    public void close() {
      super.close();
      FEEDS.remove(key, this);
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
      this.connection = connection;
      connection.listener(new Listener() {
        @Override
        public void onConnected() {
          connected = true;
          LOG.info("connected to {} as {}", where, clientId);
        }

        @Override
        public void onDisconnected() {
          connected = false;
          acks.reconnected();
          lastProblem = "connection lost";
          LOG.info("disconnected from {}; reconnecting", where);
        }

        @Override
        public void onPublish(UTF8Buffer t, Buffer body, Runnable ack) {
          // Held before it is buffered: a reader may hand the record out (and a mark cover it) at once.
          acks.offered(ack);
          try {
            offer(RecordText.ofMessage(body.data, body.offset, body.length, maxRecordBytes));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }

        @Override
        public void onFailure(Throwable e) {
          connected = false;
          acks.reconnected();
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
      // On the dispatch queue, after any acknowledgements queued before; the session (and every message not
      // acknowledged) stays with the broker for the next connection with this client id.
      connection.getDispatchQueue().execute(() -> connection.disconnect(null));
    }
  }
}
