package io.iotbench.runners.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StoreTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int store(String... args) {
    return Store.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void needsToKnowWhichStore() {
    assertEquals(2, store());
    assertEquals("iotbench store: error: which store? (iotbench store s3 [--port=...])\n", err());
    err.reset();
    assertEquals(2, store("gcs"));
    assertEquals("iotbench store: error: unknown store 'gcs' (iotbench store s3 [--port=...])\n", err());
  }

  @Test
  void badValues() {
    assertEquals(2, store("s3", "--bucket=No_Such"));
    assertEquals("iotbench store s3: error: --bucket=No_Such: must be 3-63 lower-case letters, digits, dots or hyphens\n", err());
    err.reset();
    assertEquals(2, store("s3", "--port=65536"));
    assertEquals("iotbench store s3: error: --port=65536: must be <= 65535\n", err());
  }

  @Test
  void helpListsTheOptionsWithTheirDefaults() {
    assertEquals(0, store("--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("--port=...") && help.contains("[9000]") && help.contains("[iotbench]") && help.contains("--dataDir"), help);
  }
}
