package io.iotbench.runners.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.score.Decision;
import io.iotbench.simulator.cli.Commands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench-faults' figures from sets of decisions: the final decision per (device, interval), lost, duplicates, recovery. */
class FaultFiguresTest {
  @TempDir Path temp;

  private static WrittenDecision d(String device, long interval, long events, long written, long position) {
    return new WrittenDecision(new Decision(interval * 1000, interval, device, events, 0.1, 0, false, false, false, false),
        written, position);
  }

  @Test
  void theNewestDecisionOfAnIntervalIsTheOneThatCounts() {
    List<WrittenDecision> ds = List.of(
        d("1", 1, 10, 1_000, 0), d("2", 1, 5, 1_000, 1),
        d("1", 2, 3, 2_000, 2), d("1", 2, 8, 3_000, 3), // revised: 8 counts, not 3 + 8
        d("2", 2, 7, 3_000, 4), d("2", 2, 6, 3_000, 5)); // same file: the later line wins
    FaultFigures f = FaultFigures.of(29, ds, 0, List.of());
    assertEquals(10 + 5 + 8 + 6, f.counted());
    assertEquals(0, f.lost());
    assertEquals(0, f.duplicates());
    assertEquals(4, f.finalDecisions());
    assertEquals(0, f.recoverySeconds());
  }

  @Test
  void lostAndDuplicatesAreTheDifferenceToWhatWasProduced() {
    List<WrittenDecision> ds = List.of(d("1", 1, 100, 1_000, 0), d("1", 2, 50, 2_000, 1));
    FaultFigures short_ = FaultFigures.of(160, ds, 0, List.of());
    assertEquals(10, short_.lost());
    assertEquals(0, short_.duplicates());
    FaultFigures over = FaultFigures.of(140, ds, 10, List.of());
    assertEquals(0, over.lost());
    assertEquals(10, over.duplicates());
    assertEquals(10, over.reportedDuplicates());
  }

  @Test
  void recoveryIsTheTimeFromTheRestartToTheFirstDecisionWrittenAfterIt() {
    List<WrittenDecision> ds = List.of(d("1", 1, 1, 10_000, 0), d("1", 2, 1, 14_500, 1), d("1", 3, 1, 19_000, 2));
    assertEquals(2.5, FaultFigures.of(3, ds, 0, List.of(12_000L)).recoverySeconds(), 1e-9);
    assertEquals(4.0, FaultFigures.of(3, ds, 0, List.of(12_000L, 15_000L)).recoverySeconds(), 1e-9);
    assertTrue(Double.isNaN(FaultFigures.of(3, ds, 0, List.of(20_000L)).recoverySeconds()));
  }

  @Test
  void theResultLineSumsTheScenariosAndKeepsTheLongestRecovery() {
    FaultFigures a = new FaultFigures(100, 100, 0, 0, 0, 1, 3.25, 10);
    FaultFigures b = new FaultFigures(100, 103, 0, 3, 3, 1, 7.5, 10);
    assertEquals("RESULT produced=200 counted=203 lost=0 duplicates=3 restarts=2 recovery_s=7.5",
        FaultFigures.resultLine(List.of(a, b)));
    assertEquals("RESULT produced=100 counted=100 lost=0 duplicates=0 restarts=1 recovery_s=none",
        FaultFigures.resultLine(List.of(new FaultFigures(100, 100, 0, 0, 0, 1, Double.NaN, 10))));
  }

  @Test
  void decisionFilesAreReadWithTheirWriteTimes() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("out"));
    Decision one = new Decision(2_000, 1, "1", 4, 0.2, 0, false, false, false, false);
    Decision two = new Decision(3_000, 2, "1", 6, 0.9, 1, false, false, false, true);
    Files.writeString(dir.resolve("decisions-b.json"), two.toJson() + "\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("decisions-a.json"), one.toJson() + "\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("other.json"), one.toJson() + "\n", StandardCharsets.UTF_8);
    Files.setLastModifiedTime(dir.resolve("decisions-b.json"), FileTime.fromMillis(5_000));
    Files.setLastModifiedTime(dir.resolve("decisions-a.json"), FileTime.fromMillis(9_000));
    List<WrittenDecision> read = DecisionFiles.read(dir.resolve("decisions"));
    assertEquals(List.of(two, one), read.stream().map(WrittenDecision::decision).toList());
    assertEquals(List.of(5_000L, 9_000L), read.stream().map(WrittenDecision::writtenMillis).toList());
    assertTrue(DecisionFiles.any(dir.resolve("decisions")));
    assertEquals(List.of(), DecisionFiles.read(temp.resolve("none/decisions")));
  }

  @Test
  void outcomeCountersAreReadFromTheSummaryLine() {
    FaultScenario.Outcome o = new FaultScenario.Outcome(0, List.of(0), new ArrayList<>(), 0, 0,
        "Counters: records=10 events=9 sentinels=1 duplicatesDropped=4 droppedDueToLateness=2", "");
    assertEquals(4, o.reportedDuplicates());
    assertEquals(2, o.counter("droppedDueToLateness"));
    assertEquals(0, o.counter("nothing"));
  }

  @Test
  void unknownScenarioIsOneErrorLine() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Commands.execute(new FaultBenchmark(), new String[] {"--scenarios=broker-sigterm,reboot"},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
        InvalidOptionException.class);
    assertEquals(2, code);
    assertEquals("iotbench bench-faults: error: --scenarios=reboot: expected broker-sigterm, broker-sigkill or scorer-sigkill\n",
        err.toString(StandardCharsets.UTF_8));
  }
}
