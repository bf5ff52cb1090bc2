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
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
    ChildProcess child =
        ChildProcess.start("the Kafka broker process", builder, log, Duration.ofSeconds(30), () -> Folders.deleteQuietly(log));
    ReadyLine ready = new ReadyLine(child.process());
    ready.start();
    child.awaitReady(ready::seen, Duration.ofSeconds(90), Duration.ofMillis(20));
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

  /** Stops the child JVM. Safe to call twice. */
  @Override
  public void close() {
    child.close();
  }
}
