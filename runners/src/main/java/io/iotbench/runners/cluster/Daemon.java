package io.iotbench.runners.cluster;

import io.iotbench.model.support.ChildProcess;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Process plumbing for the cluster's daemons: the JVM command for a Spark main class, whether a pid is still the
 * daemon we started (pids are reused), and stopping a daemon with its children (a Worker's executors).
 */
final class Daemon {
  private Daemon() {}

  /** The java executable of this JVM, so the daemons run on the same Java 17. */
  static String javaExecutable() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /**
   * This JVM's Java 17 module flags ({@code --add-opens ...}); the launcher, Surefire and Failsafe all pass the
   * list Spark needs, so the daemons get exactly the same without a second copy of it.
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
    return ProcessHandle.of(pid).map(h -> ChildProcess.terminate(h, Duration.ofSeconds(graceSeconds))).orElse(false);
  }
}
