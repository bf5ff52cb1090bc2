package io.iotbench.runners.presets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchTest {
  @TempDir Path dir;

  @AfterEach
  void clear() {
    System.clearProperty("iotbench.test.a");
    System.clearProperty("iotbench.test.b");
  }

  @Test
  void sparkDefaultsSetOnlyWhatIsNotSetYet() throws Exception {
    Path conf = dir.resolve("spark-defaults.conf");
    Files.writeString(conf, "# c\niotbench.test.a   1\niotbench.test.b=2\n");
    System.setProperty("iotbench.test.b", "given");
    Launch.applySparkDefaults(conf);
    assertEquals("1", System.getProperty("iotbench.test.a"));
    assertEquals("given", System.getProperty("iotbench.test.b"));
  }

  @Test
  void missingSparkDefaultsIsNoError() throws Exception {
    Launch.applySparkDefaults(dir.resolve("none.conf"));
    assertEquals(null, System.getProperty("iotbench.test.a"));
  }
}
