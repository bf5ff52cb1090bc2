package io.iotbench.pipelines.score;

import io.iotbench.pipelines.score.source.LineFeed;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's view of the scorer's source during a run, for {@link RunMonitor}: whether it failed (the run
 * fails with the cause) and whether it is down right now (a run that reaches {@code --maxRuntime} then fails
 * instead of exiting 0). The live sources' feeds in this JVM report for themselves ({@link LineFeed}; on a
 * cluster their readers throw and fail the pipeline). Beam's KafkaIO path has no such feed, so for it a daemon
 * thread asks the brokers for their topics every {@value #KAFKA_CHECK_MILLIS} ms with an admin client, and fails
 * the source after {@code --sourceOutageLimit} without an answer.
 */
class SourceHealth implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SourceHealth.class);
  static final long KAFKA_CHECK_MILLIS = 2_000;

  /** The health of {@code o}'s source. */
  static SourceHealth of(ScoreSensorStream.Options o) {
    if ("kafka".equals(o.getSource()) && "kafkaio".equals(o.getKafkaSource())) {
      return new KafkaAdminHealth(o);
    }
    return new SourceHealth();
  }

  /** Why the source failed, if it did. */
  Optional<String> failure() {
    return LineFeed.anyFailure();
  }

  /** Why the source cannot reach its server now, if it cannot. */
  Optional<String> outage() {
    return LineFeed.anyOutage();
  }

  @Override
  public void close() {
    LineFeed.closeAll();
  }

  /** Beam's KafkaIO path: brokers asked from the driver. */
  static final class KafkaAdminHealth extends SourceHealth {
    private final Thread thread;
    private final String servers;
    private final long limitMillis;
    private volatile String outage;
    private volatile String failure;
    private volatile boolean closed;

    KafkaAdminHealth(ScoreSensorStream.Options o) {
      servers = o.getBootstrapServers();
      limitMillis = ScoreSensorStream.millis(o.getSourceOutageLimit());
      Map<String, Object> config = SourceCheck.adminConfig(o, KAFKA_CHECK_MILLIS, "iotbench-score-health");
      thread = new Thread(() -> watch(config), "iotbench-kafka-health");
      thread.setDaemon(true);
      thread.start();
    }

    private void watch(Map<String, Object> config) {
      long since = -1;
      try (Admin admin = Admin.create(config)) {
        while (!closed && failure == null) {
          try {
            admin.listTopics().names().get(KAFKA_CHECK_MILLIS + 500, TimeUnit.MILLISECONDS);
            since = -1;
            outage = null;
          } catch (InterruptedException e) {
            return;
          } catch (Exception e) {
            long now = System.currentTimeMillis();
            since = since < 0 ? now : since;
            outage = "Kafka at " + servers + " does not answer";
            if (now - since > limitMillis) {
              failure = outage + " (for more than " + Math.round(limitMillis / 1000.0) + " s)";
              LOG.error("{}", failure);
            }
          }
          Thread.sleep(KAFKA_CHECK_MILLIS);
        }
      } catch (InterruptedException e) {
        // closed
      } catch (RuntimeException e) {
        LOG.warn("Kafka health check stopped: {}", e.toString());
      }
    }

    @Override
    Optional<String> failure() {
      return failure != null ? Optional.of(failure) : super.failure();
    }

    @Override
    Optional<String> outage() {
      return outage != null ? Optional.of(outage) : super.outage();
    }

    @Override
    public void close() {
      closed = true;
      thread.interrupt();
      super.close();
    }
  }
}
