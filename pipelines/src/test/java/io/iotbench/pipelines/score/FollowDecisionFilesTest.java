package io.iotbench.pipelines.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The driver follows a cluster run's decision files: each new complete file once, older files and other names never. */
class FollowDecisionFilesTest {
  @TempDir Path temp;

  private static Decision decision(long interval) {
    return new Decision(1000 * interval, interval, "1", 5, 0.25, 0, false, false, false, false);
  }

  /** A decision file as the sink writes it: aside first, then renamed into place. */
  private static void write(Path file, long... intervals) throws Exception {
    StringBuilder text = new StringBuilder();
    for (long i : intervals) {
      text.append(decision(i).toJson()).append('\n');
    }
    Path aside = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(aside, text);
    Files.move(aside, file);
  }

  @Test
  void newFilesAreReadOnceAndFilesOfAnEarlierRunAreLeftOut() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("out"));
    write(dir.resolve("d-old-bundle-000001.json"), 1, 2);
    List<Decision> seen = new ArrayList<>();
    FollowDecisionFiles follow = new FollowDecisionFiles(dir.resolve("d").toString(), seen::add, false);
    assertEquals(0, follow.poll());
    write(dir.resolve("d-jvm-bundle-000001.json"), 3, 4);
    Files.writeString(dir.resolve("dead-letters.txt"), "not a decision\n");
    Files.writeString(dir.resolve(".d-jvm-bundle-000002.json.tmp"), "{half");
    assertEquals(2, follow.poll());
    assertEquals(0, follow.poll());
    write(dir.resolve("d-jvm-bundle-000002.json"), 5);
    follow.close();
    assertEquals(List.of(decision(3), decision(4), decision(5)), seen);
    assertEquals(3, follow.decisions());
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void theBackgroundFollowerPrintsWhileTheRunGoesOnAndCatchesTheLastFilesOnClose() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("out"));
    List<Decision> seen = Collections.synchronizedList(new ArrayList<>());
    try (FollowDecisionFiles follow = FollowDecisionFiles.start(dir.resolve("d").toString(), seen::add)) {
      write(dir.resolve("d-a-bundle-000001.json"), 1);
      while (seen.isEmpty()) {
        Thread.sleep(50); // seen while the "run" goes on, not only at the end
      }
      write(dir.resolve("d-a-bundle-000002.json"), 2);
    }
    assertEquals(List.of(decision(1), decision(2)), seen);
  }
}
