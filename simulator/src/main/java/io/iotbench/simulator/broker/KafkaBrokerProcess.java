package io.iotbench.simulator.broker;

import io.iotbench.model.support.ChildProcess;
import io.iotbench.model.support.Folders;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code iotbench broker kafka} in a child JVM with this JVM's classpath: the same broker as
 * {@link KafkaBroker}, but with its own heap, garbage collector and JIT threads, so a benchmark or a
 * test measures the client rather than the two sharing one JVM. It costs a JVM start (about 2 s
 * more than in-JVM). {@link #close()} sends SIGTERM (the child's shutdown hook stops Kafka and deletes
 * its temporary folder) and kills the child if it has not exited within 30 s; a shutdown hook does the
 * same if this JVM exits first.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

  private static final String READY = "Kafka broker listening on ";

  private final ChildProcess child;
  private final int port;

  private KafkaBrokerProcess(ChildProcess child, int port) {
    this.child = child;
    this.port = port;
  }

  /**
   * Starts the child JVM and returns once its broker answers.
   *
   * @param port client port; 0 picks a free one
   * @param jvmOptions extra JVM options for the child, e.g. {@code -Xmx1g}
   */
  public static KafkaBrokerProcess start(int port, List<String> jvmOptions) throws IOException {
    return start(port, null, 1, jvmOptions, Duration.ofSeconds(90));
  }

  /**
   * Starts the child JVM with a data folder that outlives it ({@code broker kafka --dataDir}), so that a broker
   * stopped or killed can be started again on the same port and folder with what it had written; returns once its
   * broker answers.
   *
   * @param port client port; 0 picks a free one
   * @param dataDir the broker's folder, kept after it stops; null for a temporary one deleted at exit
   * @param partitions partitions of automatically created topics
   * @param jvmOptions extra JVM options for the child, e.g. {@code -Xmx1g}
   * @param readyTimeout how long the broker may take to answer (a restart after SIGKILL recovers its logs first)
   */
  public static KafkaBrokerProcess start(int port, Path dataDir, int partitions, List<String> jvmOptions,
      Duration readyTimeout) throws IOException {
    int p = port == 0 ? FreePorts.find() : port;
    Path log = Files.createTempFile("iotbench-kafka-process-", ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    String log4j = System.getProperty("log4j2.configurationFile");
    if (log4j != null) {
      command.add("-Dlog4j2.configurationFile=" + log4j);
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Broker.class.getName());
    command.add("kafka");
    command.add("--port=" + p);
    if (dataDir != null) {
      command.add("--dataDir=" + dataDir.toAbsolutePath());
    }
    command.add("--partitions=" + partitions);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
    ChildProcess child =
        ChildProcess.start("the Kafka broker process", builder, log, Duration.ofSeconds(30), () -> Folders.deleteQuietly(log));
    ReadyLine ready = new ReadyLine(child.process());
    ready.start();
    child.awaitReady(ready::seen, readyTimeout, Duration.ofMillis(20));
    return new KafkaBrokerProcess(child, p);
  }

  /** Reads the child's stdout until its ready line, then keeps draining it so the child never blocks on a full pipe. */
  private static final class ReadyLine extends Thread {
    private final Process process;
    private volatile boolean seen;

    ReadyLine(Process process) {
      super("iotbench-kafka-process-out");
      this.process = process;
      setDaemon(true);
    }

    boolean seen() {
      return seen;
    }

    @Override
    public void run() {
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          seen |= line.startsWith(READY);
        }
      } catch (IOException e) {
        // The child has exited.
      }
    }
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The child JVM, e.g. for its CPU time. */
  public ProcessHandle handle() {
    return child.process().toHandle();
  }

  /**
   * Kills the child JVM with SIGKILL, as a crash or {@code kill -9} would (no shutdown hook runs, nothing is
   * flushed), and waits up to 30 s until it is gone.
   */
  public void kill() {
    ProcessHandle jvm = handle();
    jvm.descendants().forEach(ProcessHandle::destroyForcibly);
    jvm.destroyForcibly();
    try {
      jvm.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // Still listed after SIGKILL: nothing more can be done; close() reaps it.
    }
    child.close();
  }

  /** Stops the child JVM with SIGTERM (its shutdown hook stops Kafka), SIGKILL after 30 s. Safe to call twice. */
  @Override
  public void close() {
    child.close();
  }
}
