package io.iotbench.it.harness;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real server that integration tests start and stop: register it as a static JUnit 5 extension
 * and it runs for the test class, on 127.0.0.1 and free ports,
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaServer KAFKA = new KafkaServer();
 * }</pre>
 *
 * or use it with try-with-resources through {@link #start()} and {@link #close()}. Subclasses
 * implement {@link #startServer()} and {@link #stopServer()}; this class makes start and stop
 * idempotent, measures the start time and stops the server even if the test JVM exits early. Later
 * harnesses (HDFS, S3, Spark clusters) extend it the same way.
 */
public abstract class ManagedServer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

  private Thread shutdownHook;
  private long startMillis = -1;
  private boolean running;

  /** Starts the server; returns once it accepts clients. */
  protected abstract void startServer() throws Exception;

  /** Stops the server and removes what it wrote. */
  protected abstract void stopServer() throws Exception;

  /** A short name for messages, e.g. {@code Kafka}. */
  public abstract String name();

  /** Starts the server unless it runs already. */
  public final synchronized ManagedServer start() throws Exception {
    if (running) {
      return this;
    }
    long t0 = System.nanoTime();
    startServer();
    startMillis = (System.nanoTime() - t0) / 1_000_000;
    running = true;
    shutdownHook = new Thread(this::stopQuietly, "it-stop-" + name());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    System.out.printf("%s started in %d ms%n", name(), startMillis);
    return this;
  }

  /** How long {@link #start()} took, in milliseconds (-1 before the start). */
  public long startMillis() {
    return startMillis;
  }

  public synchronized boolean isRunning() {
    return running;
  }

  @Override
  public final synchronized void close() throws Exception {
    if (!running) {
      return;
    }
    running = false;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is exiting; the hook stops the server.
    }
    stopServer();
  }

  private void stopQuietly() {
    try {
      stopServer();
    } catch (Exception e) {
      // Best effort while the JVM exits.
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
  }

  /** Fails unless this server runs. */
  protected void checkRunning() {
    if (!isRunning()) {
      throw new IllegalStateException(name() + " is not running: register it with @RegisterExtension or call start()");
    }
  }
}
