package io.iotbench.simulator.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MosquittoBrokerTest {

  @TempDir Path temp;

  @Test
  void findsMosquittoOnThePathOrInTheSbinFolders() throws Exception {
    Path bin = Files.createDirectories(temp.resolve("bin"));
    Path sbin = Files.createDirectories(temp.resolve("sbin"));
    assertEquals(Optional.empty(), MosquittoBroker.findExecutable(bin.toString(), List.of(sbin.toString())));
    Path inSbin = Files.createFile(sbin.resolve("mosquitto"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    assertEquals(Optional.of(inSbin), MosquittoBroker.findExecutable(bin.toString(), List.of(sbin.toString())));
    Path onPath = Files.createFile(bin.resolve("mosquitto"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    assertEquals(Optional.of(onPath), MosquittoBroker.findExecutable(bin.toString(), List.of(sbin.toString())));
  }

  @Test
  void aFileThatIsNotExecutableDoesNotCount() throws Exception {
    Files.createFile(temp.resolve("mosquitto"));
    assertEquals(Optional.empty(), MosquittoBroker.findExecutable(temp.toString(), List.of()));
  }

  @Test
  void missingMosquittoIsExplainedWithTheInstallCommand() {
    assertEquals("mosquitto not found: install it with 'apt-get install -y mosquitto'", MosquittoBroker.NOT_FOUND);
  }

  @Test
  void configurationListensOnLoopbackOnly() {
    String conf = MosquittoBroker.config(18830);
    assertTrue(conf.contains("listener 18830 127.0.0.1\n"), conf);
    assertTrue(conf.contains("allow_anonymous true") && conf.contains("persistence false"), conf);
  }

  /** The scorer holds its acknowledgements until a checkpoint: mosquitto's window of 20 would throttle it. */
  @Test
  void configurationLiftsTheInFlightWindowAndKeepsADeepQueue() {
    String conf = MosquittoBroker.config(18830);
    assertTrue(conf.contains("\nmax_inflight_messages 0\n"), conf);
    assertTrue(conf.contains("\nmax_queued_messages 1000000\n"), conf);
  }
}
