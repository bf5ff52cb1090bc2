package io.iotbench.pipelines.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenerateProgressTest {
  @Test
  void withoutATerminalPrintsOneLinePerTenth() {
    GenerateProgress progress = new GenerateProgress(1000, false);
    List<String> lines = new ArrayList<>();
    for (int done = 10; done <= 1000; done += 10) {
      String line = progress.lineIfDue(done, done * 100L, System.nanoTime());
      if (line != null) {
        lines.add(line);
      }
    }
    assertEquals(10, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("Generated 100 of 1,000 rows (10%)"), lines.get(0));
    assertTrue(lines.get(9).startsWith("Generated 1,000 of 1,000 rows (100%)"), lines.get(9));
    assertTrue(lines.get(9).matches(".* MB at [0-9.]+ MB/s"), lines.get(9));
  }

  @Test
  void onATerminalPrintsEveryIntervalWhateverTheAmount() {
    GenerateProgress progress = new GenerateProgress(1_000_000, true);
    long t0 = System.nanoTime();
    assertNull(progress.lineIfDue(1, 1, t0));
    String first = progress.lineIfDue(2, 2, t0 + GenerateProgress.TERMINAL_INTERVAL_NANOS + 1);
    assertTrue(first != null && first.startsWith("Generated 2 of 1,000,000 rows (0%)"), first);
    assertNull(progress.lineIfDue(3, 3, t0 + GenerateProgress.TERMINAL_INTERVAL_NANOS + 2));
    assertTrue(progress.lineIfDue(4, 4, t0 + 3 * GenerateProgress.TERMINAL_INTERVAL_NANOS) != null);
  }
}
