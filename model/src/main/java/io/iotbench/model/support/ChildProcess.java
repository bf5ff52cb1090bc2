package io.iotbench.model.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A server run as a child process and supervised from this JVM: started from a {@link ProcessBuilder} whose output
 * the caller redirects (usually into a log file), {@link #awaitReady awaited} until a readiness check passes or the
 * child dies, and stopped with SIGTERM, then SIGKILL after a grace period, together with any processes it started.
 * Until it is {@link #close() closed} or {@link #detach() detached}, a shutdown hook stops it should this JVM exit
 * first. An optional clean-up (e.g. deleting the child's temporary folder) runs once the child is gone.
 *
 * <p>Stopping logs nothing, because it also runs in the shutdown hook, when logging may be gone.
 */
public final class ChildProcess implements AutoCloseable {

  /** How long a killed process may take to disappear before stopping gives up waiting. */
  private static final Duration KILL_WAIT = Duration.ofSeconds(5);

  private final String name;
  private final Process process;
  private final Path log;
  private final Duration grace;
  private final Runnable afterStop;
  private final Thread shutdownHook;
  private volatile boolean stopping;
  private boolean hooked = true;

  private ChildProcess(String name, Process process, Path log, Duration grace, Runnable afterStop) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.grace = grace;
    this.afterStop = afterStop;
    this.shutdownHook = new Thread(this::stop, "iotbench-stop-" + name);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts {@code builder}'s command.
   *
   * @param name what the child is, for messages, e.g. {@code mosquitto}
   * @param log the file the child's output goes to (its tail goes into error messages), or null
   * @param grace how long the child may take to exit after SIGTERM before it is killed
   * @param afterStop runs once the child is gone (at most once), or null
   */
  public static ChildProcess start(String name, ProcessBuilder builder, Path log, Duration grace, Runnable afterStop)
      throws IOException {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(grace, "grace");
    return new ChildProcess(name, builder.start(), log, grace, afterStop == null ? () -> {} : afterStop);
  }

  /**
   * Waits until {@code ready} is true, checking every {@code poll}. If the child exits first, the timeout passes or
   * the wait is interrupted, the child is stopped and the exception's message says why, with the last lines of its
   * log.
   */
  public void awaitReady(BooleanSupplier ready, Duration timeout, Duration poll) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ready.getAsBoolean()) {
      String why = null;
      if (!process.isAlive()) {
        why = "exited with status " + process.exitValue() + " before it was ready";
      } else if (System.nanoTime() > deadline) {
        why = "was not ready within " + timeout.toSeconds() + " s";
      }
      if (why != null) {
        String tail = tail(5);
        close();
        throw new IOException(name + " " + why + (tail.isEmpty() ? "" : ": " + tail));
      }
      try {
        Thread.sleep(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new IOException("interrupted while starting " + name, e);
      }
    }
  }

  /** The last {@code lines} non-blank lines of the log, joined with {@code " | "}; empty without a log. */
  public String tail(int lines) {
    if (log == null) {
      return "";
    }
    try {
      List<String> nonBlank = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
          .filter(l -> !l.isBlank()).map(String::strip).toList();
      return String.join(" | ", nonBlank.subList(Math.max(0, nonBlank.size() - lines), nonBlank.size()));
    } catch (IOException e) {
      return "";
    }
  }

  public Process process() {
    return process;
  }

  /** True once {@link #close()} or the shutdown hook began stopping the child. */
  public boolean isStopping() {
    return stopping;
  }

  /** Leaves the child running when this JVM exits (a daemon that later commands stop by its pid). */
  public synchronized void detach() {
    removeShutdownHook();
  }

  /** Stops the child (SIGTERM, SIGKILL after the grace period) and runs the clean-up. Safe to call twice. */
  @Override
  public void close() {
    synchronized (this) {
      removeShutdownHook();
    }
    stop();
  }

  private void removeShutdownHook() {
    if (hooked) {
      hooked = false;
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // The JVM is exiting: the hook is running or will run.
      }
    }
  }

  private synchronized void stop() {
    if (stopping) {
      return;
    }
    stopping = true;
    terminate(process.toHandle(), grace);
    afterStop.run();
  }

  /**
   * Stops {@code process} and its descendants: SIGTERM to all, SIGKILL to those still alive after {@code grace}.
   * Returns whether the process was alive.
   */
  public static boolean terminate(ProcessHandle process, Duration grace) {
    if (!process.isAlive()) {
      return false;
    }
    // Collected before the parent goes: afterwards its children are orphans nobody can name.
    List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
    family.add(process);
    family.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    boolean interrupted = false;
    for (ProcessHandle member : family) {
      if (interrupted) {
        member.destroyForcibly();
        continue;
      }
      try {
        member.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
        member.destroyForcibly();
      } catch (Exception e) {
        member.destroyForcibly();
      }
    }
    for (ProcessHandle member : family) {
      try {
        if (!interrupted && member.isAlive()) {
          member.onExit().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (Exception e) {
        // Killed but not yet reaped: nothing more to do.
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return true;
  }
}
