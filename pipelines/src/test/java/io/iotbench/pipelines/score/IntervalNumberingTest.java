package io.iotbench.pipelines.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.testing.Runners;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interval numbers from window starts, and the origin a run takes from its options. */
class IntervalNumberingTest {
  private static final long T0 = ScoreFixtures.T0.toEpochMilli();

  @TempDir Path temp;

  private ScoreSensorStream.Options options(String... args) {
    ScoreSensorStream.Options o = Cli.parse(Runners.args(Runners.DIRECT, Runners.args(new String[] {"--model=" + temp.resolve("model")}, args)),
        ScoreSensorStream.Options.class);
    FileSystems.setDefaultPipelineOptions(o);
    return o;
  }

  @Test
  void intervalOneStartsAtTheOrigin() {
    IntervalNumbering n = new IntervalNumbering(T0, 1000);
    assertEquals(1, n.intervalOf(T0));
    assertEquals(3, n.intervalOf(T0 + 2000));
    assertEquals(0, n.intervalOf(T0 - 1000));
    assertEquals(-1, n.intervalOf(T0 - 2000));
  }

  @Test
  void anOriginIsFlooredToTheInterval() throws Exception {
    IntervalNumbering n = IntervalNumbering.of(options("--origin=2026-01-01T00:00:00.700Z", "--interval=0.5"));
    assertEquals(new IntervalNumbering(T0 + 500, 500), n);
  }

  @Test
  void aRecordingStartsAtItsFirstEventInEventTime() throws Exception {
    Path file = temp.resolve("events.csv");
    Files.write(file, List.of("garbage line", ScoreFixtures.csv(1700, 2, 0.4), ScoreFixtures.csv(100, 1, 0.9)));
    IntervalNumbering n = IntervalNumbering.of(options("--source=file", "--inputFile=" + file));
    assertEquals(new IntervalNumbering(T0 + 1000, 1000), n);
  }

  @Test
  void aRecordingInProcessingTimeAndALiveSourceStartNow() throws Exception {
    Path file = temp.resolve("events.csv");
    Files.write(file, List.of(ScoreFixtures.csv(100, 1, 0.9)));
    for (String[] args : List.of(new String[] {"--source=file", "--inputFile=" + file, "--timeDomain=processing"},
        new String[] {"--source=socket"})) {
      long before = System.currentTimeMillis() / 1000 * 1000;
      IntervalNumbering n = IntervalNumbering.of(options(args));
      long after = System.currentTimeMillis();
      assertEquals(1000, n.intervalMillis());
      assertTrue(n.originMillis() >= before && n.originMillis() <= after, String.join(" ", args) + ": " + n);
      assertEquals(0, n.originMillis() % 1000);
    }
  }
}
