package io.iotbench.runners.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.simulator.broker.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterStateTest {
  @TempDir Path dir;

  private static ClusterState sample(long masterPid, long workerPid) {
    return new ClusterState(masterPid, workerPid, 7077, 8080, 8081, 2, "2g", "/spark", 1_700_000_000_000L, 2.5, 4.25);
  }

  @Test
  void writeThenReadGivesTheSameState() throws Exception {
    ClusterState state = sample(11, 12);
    state.write(dir);
    assertEquals(Optional.of(state), ClusterState.read(dir));
    assertEquals("spark://127.0.0.1:7077", state.masterUrl());
    assertEquals("http://127.0.0.1:8080", state.webUiUrl());
    assertTrue(Files.readString(dir.resolve(ClusterState.FILE_NAME)).contains("masterUrl=spark\\://127.0.0.1\\:7077"));
  }

  @Test
  void noFileMeansNoState() throws Exception {
    assertEquals(Optional.empty(), ClusterState.read(dir));
    ClusterState.delete(dir);
  }

  @Test
  void damagedFileIsAnErrorNamingIt() throws Exception {
    Files.writeString(dir.resolve(ClusterState.FILE_NAME), "masterPid=abc\n");
    ClusterException e = assertThrows(ClusterException.class, () -> ClusterState.read(dir));
    assertTrue(e.getMessage().startsWith("damaged cluster state " + dir.resolve(ClusterState.FILE_NAME)), e.getMessage());
  }

  @Test
  void stateWhoseProcessesAreGoneIsNotRunning() throws Exception {
    // A process that has exited: its pid names no live daemon.
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    sample(p.pid(), p.pid()).write(dir);
    assertThrows(ClusterException.class, () -> StandaloneCluster.status(dir));
    assertThrows(ClusterException.class, () -> StandaloneCluster.stop(dir));
    assertFalse(Files.exists(dir.resolve(ClusterState.FILE_NAME)), "stop removes the stale state");
  }

  @Test
  void aLiveProcessThatIsNotTheDaemonIsNotMistakenForIt() {
    // This test JVM is alive but is not a Spark Master: a reused pid must not count as a running cluster.
    assertFalse(Daemon.isRunning(ProcessHandle.current().pid(), StandaloneCluster.MASTER_CLASS));
  }

  @Test
  void busyPortIsRejectedWithOneLine() throws Exception {
    try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int port = busy.getLocalPort();
      assertFalse(FreePorts.isFree(port));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> StandaloneCluster.start(new StandaloneCluster.Config(fakeSparkHome(), dir, port, 0, 1, "1g", "256m")));
      assertEquals("--masterPort=" + port + ": port " + port + " on 127.0.0.1 is busy", e.getMessage());
    }
  }

  @Test
  void missingSparkJarsAreReported() {
    ClusterException e =
        assertThrows(
            ClusterException.class,
            () -> StandaloneCluster.start(new StandaloneCluster.Config(dir.resolve("nothing"), dir, 0, 0, 1, "1g", "256m")));
    assertTrue(e.getMessage().startsWith("no Spark jars in " + dir.resolve("nothing").resolve("jars")), e.getMessage());
  }

  private Path fakeSparkHome() throws Exception {
    Path home = dir.resolve("spark-home");
    Files.createDirectories(home.resolve("jars"));
    Files.writeString(home.resolve("jars/spark-core_2.12-3.5.5.jar"), "");
    return home;
  }
}
