package io.iotbench.it.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.runners.bench.FaultFigures;
import io.iotbench.runners.bench.FaultScenario;
import io.iotbench.runners.bench.WrittenDecision;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka broker restarted in the middle of a stream: the broker ({@code broker kafka --dataDir}, a child JVM on a
 * fixed port) is stopped with SIGTERM, or killed with SIGKILL, for 10 s while the simulator sends 200,000 events of
 * 4 devices at 4,000 events/s and {@code score} runs on the SparkRunner {@code local[2]} in a child JVM, then
 * started again on the same port and data folder. The decisions the scorer wrote to files must count every event:
 * the sum of {@code events} over the final decision of every (device, interval) is at least what was sent, and
 * whatever it counted beyond that is what the scorer reported as duplicates. The simulator rides out the outage
 * (exit 0), and the scorer ends on the sentinels with exit 0. The stream starts once the scorer reads, and the broker
 * goes down a third of the way through it. {@code -Dfaults.it.events}, {@code -Dfaults.it.rate} and
 * {@code -Dfaults.it.timeoutSeconds} change the size, rate and time limit (default 200,000 events, 4,000/s, 240 s).
 */
class BrokerRestartIT {
  private static final long EVENTS = Long.getLong("faults.it.events", 200_000);
  private static final double RATE = Double.parseDouble(System.getProperty("faults.it.rate", "4000"));
  private static final int DEVICES = 4;
  /** The most one scenario may take; about 105 s on a 2-core machine at load 3-7. */
  private static final long TIMEOUT_SECONDS = Long.getLong("faults.it.timeoutSeconds", 240);

  @TempDir Path temp;

  private void restartMidStream(FaultScenario.Fault fault) throws Exception {
    long start = System.nanoTime();
    FaultScenario.Outcome o = FaultScenario.run(fault, new FaultScenario.Settings(EVENTS, RATE, DEVICES,
        Duration.ofSeconds(10), temp, Duration.ofSeconds(TIMEOUT_SECONDS)));
    FaultFigures f = o.figures(EVENTS);
    // The report keeps these figures.
    System.out.printf("%s: %s; counters: %s; %d decisions written before the fault; scenario %d s%n", fault.label(), f,
        o.counters(), o.decisions().stream().filter(d -> d.writtenMillis() < o.faultMillis()).count(),
        (System.nanoTime() - start) / 1_000_000_000);
    assertEquals(0, o.simulatorExit(), "the simulator must survive the outage");
    assertEquals(List.of(0), o.scorerExits(), o.scorerTail());
    List<WrittenDecision> ds = o.decisions();
    assertTrue(ds.stream().anyMatch(d -> d.writtenMillis() >= o.restartMillis()), "no decision after the restart");
    Set<String> ended = ds.stream().filter(d -> d.decision().sentinel()).map(d -> d.decision().device())
        .collect(Collectors.toSet());
    assertEquals(DEVICES, ended.size(), "the run ends on every device's sentinel: " + ended);
    assertTrue(f.counted() >= EVENTS, "lost " + (EVENTS - f.counted()) + " of " + EVENTS + " events: " + f);
    assertEquals(o.reportedDuplicates(), f.counted() - EVENTS, "counted beyond what was sent: " + f);
  }

  @Test
  void aBrokerStoppedWithSigtermAndRestartedLosesNothing() throws Exception {
    restartMidStream(FaultScenario.Fault.BROKER_SIGTERM);
  }

  @Test
  void aBrokerKilledWithSigkillAndRestartedLosesNothing() throws Exception {
    restartMidStream(FaultScenario.Fault.BROKER_SIGKILL);
  }
}
