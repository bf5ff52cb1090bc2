package io.iotbench.runners.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.score.RecordRules;
import io.iotbench.simulator.cli.Commands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** bench-fuzz on a small scale: every record accounted for, every reason reached, the pipeline's counters agree. */
class FuzzBenchmarkTest {
  @Test
  void everyRecordIsParsedOrOneDeadLetterAndEveryReasonOccurs() {
    FuzzBenchmark.Tally t = FuzzBenchmark.fuzz(20_000, 7, 100, 65_536);
    assertEquals(0, t.crashes());
    assertEquals(0, t.unaccounted());
    assertEquals(0, t.notEquivalent());
    assertTrue(t.parsed() > 1000 && t.deadLetters() > 1000, t.toString());
    for (RecordRules.Reason r : RecordRules.Reason.values()) {
      assertTrue(t.byReason().getOrDefault(r, 0L) > 0, "no " + r.label() + ": " + t.byReason());
    }
  }

  @Test
  void thePipelinesCountersEqualItsOutputs() {
    assertTrue(FuzzBenchmark.pipelinePass(2_000, 3, 100, 65_536));
  }

  @Test
  void aBadOptionIsOneErrorLine() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Commands.execute(new FuzzBenchmark(), new String[] {"--records=0"}, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8), InvalidOptionException.class);
    assertEquals(2, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("iotbench bench-fuzz: error: --records"), err.toString(StandardCharsets.UTF_8));
  }
}
