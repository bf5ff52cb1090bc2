package io.iotbench.runners.cluster;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Process and port plumbing for the cluster's daemons: the JVM command for a Spark main class, whether a pid is
 * still the daemon we started (pids are reused), stopping a daemon with its children (a Worker's executors), and
 * loopback port checks.
 */
final class Daemon {
  private Daemon() {}

  /** The java executable of this JVM, so the daemons run on the same Java 17. */
  static String javaExecutable() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /**
   * This JVM's Java 17 module flags ({@code --add-opens ...}); the launcher, Surefire and Failsafe all pass the
   * list Spark needs (FACTS.md), so the daemons get exactly the same without a second copy of it.
   */
  static List<String> moduleFlags() {
    List<String> flags = new ArrayList<>();
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens") || arg.startsWith("--add-exports") || arg.equals("-XX:+IgnoreUnrecognizedVMOptions")
          || arg.startsWith("-Djdk.reflect.useDirectMethodHandle")) {
        flags.add(arg);
      }
    }
    return flags;
  }

  /** Whether {@code pid} is alive and (when its command line is visible) runs {@code mainClass}. */
  static boolean isRunning(long pid, String mainClass) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return false;
    }
    Optional<String> commandLine = handle.get().info().commandLine();
    return commandLine.isEmpty() || commandLine.get().contains(mainClass);
  }

  /**
   * Stops {@code pid} and its descendants (SIGTERM, then SIGKILL after {@code graceSeconds}); returns whether
   * anything was running.
   */
  static boolean stop(long pid, String mainClass, int graceSeconds) {
    if (!isRunning(pid, mainClass)) {
      return false;
    }
    ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
    // Collected before the parent goes: afterwards its executors are orphans nobody can name.
    List<ProcessHandle> family = new ArrayList<>(handle.descendants().toList());
    family.add(handle);
    family.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
    for (ProcessHandle member : family) {
      long left = deadline - System.nanoTime();
      try {
        member.onExit().get(Math.max(1, left), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        member.destroyForcibly();
      }
    }
    return true;
  }

  /** A free port on 127.0.0.1. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  /** Whether {@code port} on 127.0.0.1 can be bound now. */
  static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether something accepts connections on 127.0.0.1:{@code port}. */
  static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The last non-blank line of a daemon's log, for a one-line error when it died. */
  static String lastLogLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          return lines.get(i).strip();
        }
      }
    } catch (IOException e) {
      // fall through: no log is itself the answer
    }
    return "(empty log)";
  }
}
