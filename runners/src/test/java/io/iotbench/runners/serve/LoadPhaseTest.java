package io.iotbench.runners.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.model.scoring.PortableModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** bench-serve's load against a real server: answers counted, refused answers counted as errors, kept-alive. */
@Timeout(60)
class LoadPhaseTest {
  @TempDir Path temp;

  @Test
  void countsAnswersAndErrorsOfTheMeasuredSpan() throws Exception {
    Path folder = Files.createDirectories(temp.resolve("lr5"));
    Files.write(folder.resolve(PortableModel.FILE_NAME), ServeBenchmark.madeUpModel(5).toBytes());
    List<String> console = new ArrayList<>();
    try (ModelServer server = ModelServer.start(folder.toString(), "lr5",
        new ModelServer.Settings("127.0.0.1", 0, "key-12345678", 1 << 20, 2, null), console::add)) {
      List<byte[]> singles = ServeBenchmark.bodies(5, 1, 4);
      LoadPhase.Figures good = LoadPhase.run("127.0.0.1", server.port(), "/predict", "key-12345678", singles, 2,
          Duration.ofMillis(200), Duration.ofSeconds(1));
      assertTrue(good.requests() > 10, good.toString());
      assertEquals(0, good.errors(), good.toString());
      assertTrue(good.p50Ms() > 0 && good.p50Ms() <= good.p99Ms(), good.toString());

      LoadPhase.Figures batches = LoadPhase.run("127.0.0.1", server.port(), "/predict", "key-12345678",
          ServeBenchmark.bodies(5, 100, 2), 1, Duration.ZERO, Duration.ofMillis(500));
      assertTrue(batches.requests() > 0, batches.toString());
      assertEquals(0, batches.errors(), batches.toString());

      // Without the key every answer is a 401: all errors, none counted as answered.
      LoadPhase.Figures refused = LoadPhase.run("127.0.0.1", server.port(), "/predict", null, singles, 2,
          Duration.ZERO, Duration.ofMillis(500));
      assertEquals(0, refused.requests(), refused.toString());
      assertTrue(refused.errors() > 0, refused.toString());

      // Rows of the wrong size: 400, closed connections reopened, all errors.
      LoadPhase.Figures wrong = LoadPhase.run("127.0.0.1", server.port(), "/predict", "key-12345678",
          ServeBenchmark.bodies(4, 1, 2), 1, Duration.ZERO, Duration.ofMillis(300));
      assertEquals(0, wrong.requests(), wrong.toString());
      assertTrue(wrong.errors() > 0, wrong.toString());
    }
  }
}
