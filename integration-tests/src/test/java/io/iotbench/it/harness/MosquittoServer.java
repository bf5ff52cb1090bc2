package io.iotbench.it.harness;

import io.iotbench.simulator.broker.MosquittoBroker;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fusesource.mqtt.client.BlockingConnection;
import org.fusesource.mqtt.client.MQTT;
import org.fusesource.mqtt.client.Message;
import org.fusesource.mqtt.client.QoS;
import org.fusesource.mqtt.client.Topic;

/**
 * A real MQTT broker for integration tests: Debian's mosquitto, started by the project's
 * {@link MosquittoBroker} on a free port (about 0.1 s). Without mosquitto the tests fail with the
 * install command, on purpose: CI installs it ({@code apt-get install -y mosquitto}), so a missing
 * broker must not turn into silently skipped tests.
 */
public final class MosquittoServer extends ManagedServer {

  private MosquittoBroker broker;

  @Override
  public String name() {
    return "mosquitto";
  }

  @Override
  protected void startServer() throws IOException {
    broker = MosquittoBroker.start(0, false);
  }

  @Override
  protected void stopServer() {
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }

  /** {@code tcp://127.0.0.1:<port>}. */
  public String uri() {
    checkRunning();
    return broker.uri();
  }

  /** The mosquitto process (tests check that it is gone after a stop). */
  public Process process() {
    checkRunning();
    return broker.process();
  }

  /** A subscriber connected and subscribed before it returns, so it misses nothing published after. */
  public Subscriber subscribe(String topic, QoS qos) throws Exception {
    return new Subscriber(uri(), topic, qos);
  }

  /** Collects the payloads of one topic. */
  public static final class Subscriber implements AutoCloseable {
    private final BlockingConnection connection;

    Subscriber(String uri, String topic, QoS qos) throws Exception {
      MQTT mqtt = new MQTT();
      mqtt.setHost(new URI(uri));
      mqtt.setClientId("it-subscriber-" + System.nanoTime());
      mqtt.setCleanSession(true);
      mqtt.setConnectAttemptsMax(1);
      mqtt.setReconnectAttemptsMax(0);
      connection = mqtt.blockingConnection();
      connection.connect();
      connection.subscribe(new Topic[] {new Topic(topic, qos)});
    }

    /** Payloads (UTF-8) until {@code expected} arrived or nothing came for {@code quiet}. */
    public List<String> receive(int expected, Duration quiet) throws Exception {
      List<String> payloads = new ArrayList<>();
      while (payloads.size() < expected) {
        Message message = connection.receive(quiet.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
          break;
        }
        payloads.add(new String(message.getPayload(), StandardCharsets.UTF_8));
        message.ack();
      }
      return payloads;
    }

    @Override
    public void close() throws Exception {
      connection.disconnect();
    }
  }
}
