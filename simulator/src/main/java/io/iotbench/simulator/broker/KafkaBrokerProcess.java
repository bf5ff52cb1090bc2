package io.iotbench.simulator.broker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

  private final Process process;
  private final int port;
  private final Path log;
  private final Thread shutdownHook;

  private KafkaBrokerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.shutdownHook = new Thread(this::stop, "iotbench-kafka-process-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
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
    Process process =
        new ProcessBuilder(command).redirectError(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    KafkaBrokerProcess broker = new KafkaBrokerProcess(process, p, log);
    CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> awaitReadyLine(process));
    try {
      if (!ready.get(90, TimeUnit.SECONDS)) {
        throw new IOException("the Kafka broker process exited before it was ready: " + tail(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      broker.close();
      throw new IOException("interrupted while starting the Kafka broker process", e);
    } catch (ExecutionException | TimeoutException | IOException e) {
      broker.close();
      throw new IOException("the Kafka broker process did not start: " + e.getMessage() + " " + tail(log), e);
    }
    return broker;
  }

  private static boolean awaitReadyLine(Process process) {
    try {
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.startsWith(READY)) {
          // Keep draining stdout so the child never blocks on a full pipe.
          Thread drain = new Thread(() -> drain(reader), "iotbench-kafka-process-out");
          drain.setDaemon(true);
          drain.start();
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  private static void drain(BufferedReader reader) {
    try {
      while (reader.readLine() != null) {
        // Only the ready line matters.
      }
    } catch (IOException e) {
      // The child has exited.
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "";
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
    return process.toHandle();
  }

  /** Stops the child JVM. Safe to call twice. */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook does the same.
    }
  }

  private void stop() {
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      // A leftover log in the temp folder is harmless.
    }
  }
}
