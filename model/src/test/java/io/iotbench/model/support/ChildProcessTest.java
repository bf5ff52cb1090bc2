package io.iotbench.model.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {
  @TempDir Path temp;

  private ChildProcess start(String script, Path log, Runnable afterStop) throws IOException {
    ProcessBuilder builder = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).redirectOutput(log.toFile());
    return ChildProcess.start("test child", builder, log, Duration.ofSeconds(5), afterStop);
  }

  @Test
  void closeTerminatesTheChildAndRunsTheCleanUpOnce() throws Exception {
    AtomicInteger cleanUps = new AtomicInteger();
    ChildProcess child = start("echo started; exec sleep 60", temp.resolve("log"), cleanUps::incrementAndGet);
    child.awaitReady(() -> child.tail(1).equals("started"), Duration.ofSeconds(10), Duration.ofMillis(20));
    assertTrue(child.process().isAlive());
    child.close();
    child.close();
    assertFalse(child.process().isAlive());
    assertTrue(child.isStopping());
    assertEquals(1, cleanUps.get());
  }

  @Test
  void aChildThatDiesBeforeItIsReadyIsReportedWithItsLog() throws Exception {
    ChildProcess child = start("echo one; echo; echo two; exit 3", temp.resolve("log"), null);
    IOException e = assertThrows(
        IOException.class, () -> child.awaitReady(() -> false, Duration.ofSeconds(10), Duration.ofMillis(20)));
    assertEquals("test child exited with status 3 before it was ready: one | two", e.getMessage());
  }

  @Test
  void aChildThatIsNeverReadyIsStoppedAfterTheTimeout() throws Exception {
    ChildProcess child = start("exec sleep 60", temp.resolve("log"), null);
    IOException e = assertThrows(
        IOException.class, () -> child.awaitReady(() -> false, Duration.ofMillis(200), Duration.ofMillis(20)));
    assertEquals("test child was not ready within 0 s", e.getMessage());
    assertFalse(child.process().isAlive());
  }

  @Test
  void terminateKillsWhatIgnoresSigterm() throws Exception {
    Path log = temp.resolve("log");
    ChildProcess child = start("trap '' TERM; echo ready; while true; do sleep 0.1; done", log, null);
    child.awaitReady(() -> child.tail(1).equals("ready"), Duration.ofSeconds(10), Duration.ofMillis(20));
    child.detach();
    assertTrue(ChildProcess.terminate(child.process().toHandle(), Duration.ofMillis(300)));
    // Gone: terminate waits on the process handle, and the Process object learns of the exit on its own reaper
    // thread a moment later, so isAlive() right after terminate can still say true.
    assertTrue(child.process().waitFor(5, TimeUnit.SECONDS), "the child outlived its SIGKILL");
    assertFalse(ChildProcess.terminate(child.process().toHandle(), Duration.ofMillis(300)));
  }
}
