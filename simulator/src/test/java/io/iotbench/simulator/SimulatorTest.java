package io.iotbench.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.model.SensorEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimulatorTest {

  private static final class RecordingProgress implements Progress {
    final List<String> lines = new ArrayList<>();

    @Override
    public void notice(String message) {
      lines.add(message);
    }

    @Override
    public void sent(long sent) {
      lines.add(sent + " events sent");
    }

    @Override
    public void finished(long sent, String sink, double seconds) {
      lines.add("Sent " + sent + " events to " + sink);
    }
  }

  @Test
  void averageRateDoesNotDriftWhenSleepsOvershootAndTheSinkIsSlow() throws Exception {
    FakeClock clock = new FakeClock();
    SplittableRandom jitter = new SplittableRandom(7);
    // Each wake-up is 0-2 ms late and each send costs 50 us: at 1000 events/s (1 ms mean wait) a
    // simulator that slept "wait" after each event would take about twice as long as asked.
    clock.oversleep(() -> jitter.nextLong(2_000_000));
    RecordingSink sink = new RecordingSink(clock, 50_000);
    long total = 100_000;
    Simulator.Result result = new Simulator(SimulationSpec.of(100, 1000, total), sink, clock, Progress.NONE).run();

    assertEquals(total, result.sent());
    double seconds = result.elapsedNanos() / 1e9;
    assertEquals(100.0, seconds, 1.0, "100k events at 1000/s take 100 s");
    // No drift within the run either: every 10k-event slice keeps the rate within 3%.
    for (int i = 10_000; i <= 100_000; i += 10_000) {
      long at = sink.sentAtNanos.get(i - 1) - sink.sentAtNanos.get(0);
      assertEquals((i - 1) / 1000.0, at / 1e9, 0.03 * i / 1000.0 + 0.01, "after " + i + " events");
    }
  }

  @Test
  void anEventIsNeverSentBeforeItsTimestamp() throws Exception {
    FakeClock clock = new FakeClock();
    RecordingSink sink = new RecordingSink(clock, 0);
    new Simulator(SimulationSpec.of(100, 50, 500), sink, clock, Progress.NONE).run();
    for (int i = 0; i < sink.events.size(); i++) {
      long sentAtMillis = FakeClock.START_EPOCH_MILLIS + (sink.sentAtNanos.get(i) - sink.sentAtNanos.get(0)) / 1_000_000;
      assertTrue(sink.events.get(i).eventTime().toEpochMilli() <= sentAtMillis, "event " + i);
    }
  }

  @Test
  void pacedStreamHandsOverBufferedEventsBeforeEachWait() throws Exception {
    FakeClock clock = new FakeClock();
    RecordingSink sink = new RecordingSink(clock, 0);
    new Simulator(SimulationSpec.of(100, 10, 100), sink, clock, Progress.NONE).run();
    // Waits average 100 ms: each one is preceded by idle(), so a paced TCP/stdout stream is live.
    assertEquals(clock.sleeps(), sink.idles);
    assertTrue(sink.idles >= 99, "idles " + sink.idles);
    assertEquals(1, sink.flushes);
  }

  @Test
  void maxRateNeverSleeps() throws Exception {
    FakeClock clock = new FakeClock();
    RecordingSink sink = new RecordingSink(clock, 100);
    Simulator.Result result = new Simulator(SimulationSpec.of(100, 0, 10_000), sink, clock, Progress.NONE).run();
    assertEquals(0, clock.sleeps());
    assertEquals(10_001, sink.events.size());
    assertEquals(10_000, result.sent());
    assertEquals(1, result.sentinels());
    // Unpaced events carry the time they were generated at.
    assertEquals(Instant.ofEpochMilli(FakeClock.START_EPOCH_MILLIS + 10_000 * 100 / 1_000_000), sink.events.get(10_000).eventTime());
  }

  @Test
  void messagesOfSeveralReadingsCountAsTheirReadings() throws Exception {
    FakeClock clock = new FakeClock();
    RecordingProgress progress = new RecordingProgress();
    RecordingSink sink = new RecordingSink(clock, 0);
    Simulator.Result result = new Simulator(SimulationSpec.of(10, 25, 70).withReadingsPerMessage(10), sink, clock, progress).run();
    assertEquals(7 + 1, sink.messages.size(), "seven messages and the sentinel");
    assertEquals(70, result.sent());
    assertEquals(1, result.sentinels());
    assertEquals(List.of("30 events sent", "50 events sent", "Sent 70 events to a recording"), progress.lines);
  }

  @Test
  void progressEveryRateEventsThenTheSummary() throws Exception {
    FakeClock clock = new FakeClock();
    RecordingProgress progress = new RecordingProgress();
    new Simulator(SimulationSpec.of(100, 20, 65), new RecordingSink(clock, 0), clock, progress).run();
    assertEquals(List.of("20 events sent", "40 events sent", "60 events sent", "Sent 65 events to a recording"), progress.lines);
    assertEquals(1_000_000, Simulator.progressEvery(0));
    assertEquals(1, Simulator.progressEvery(0.2));
  }

  @Test
  void heldBackEventsAreSentLateWithTheirOwnTimestamps() throws Exception {
    FakeClock clock = new FakeClock();
    RecordingSink sink = new RecordingSink(clock, 0);
    Duration maxDelay = Duration.ofSeconds(2);
    new Simulator(SimulationSpec.of(100, 100, 5000).withLateness(10, maxDelay), sink, clock, Progress.NONE).run();
    long late = 0;
    for (int i = 0; i < sink.events.size(); i++) {
      SensorEvent e = sink.events.get(i);
      long sentAtMillis = FakeClock.START_EPOCH_MILLIS + (sink.sentAtNanos.get(i) - sink.sentAtNanos.get(0)) / 1_000_000;
      long lag = sentAtMillis - e.eventTime().toEpochMilli();
      assertTrue(lag >= 0 && lag <= maxDelay.toMillis() + 1, "lag " + lag + " of " + e);
      if (lag > 20) {
        late++;
      }
    }
    assertTrue(late > 300 && late < 700, "about 10% of 5000 sent late: " + late);
    assertTrue(sink.events.get(sink.events.size() - 1).isSentinel());
  }
}
