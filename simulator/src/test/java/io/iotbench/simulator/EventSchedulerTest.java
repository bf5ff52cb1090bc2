package io.iotbench.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.model.SensorEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventSchedulerTest {

  private static final long START = FakeClock.START_EPOCH_MILLIS;

  /** An event with the time it was due (ns since the start). */
  record Sent(SensorEvent event, long due) {}

  /** Runs the scheduler as a paced simulator would, jumping the clock to each due time. */
  static List<Sent> drain(SimulationSpec spec) {
    EventScheduler scheduler = new EventScheduler(spec, START);
    List<Sent> out = new ArrayList<>();
    long now = 0;
    for (int guard = 0; guard < 10_000_000; guard++) {
      long due = scheduler.nextDue(now);
      if (due == EventScheduler.END) {
        return out;
      }
      now = Math.max(now, due);
      out.add(new Sent(scheduler.next(), due));
    }
    throw new AssertionError("no end");
  }

  static List<SensorEvent> events(List<Sent> sent) {
    return sent.stream().map(Sent::event).toList();
  }

  @Test
  void sensorsDevicesAndValuesAreInRangeAndAllUsed() {
    List<SensorEvent> events = events(drain(SimulationSpec.of(10, 100, 20_000).withDevices(3)));
    Set<Integer> sensors = new HashSet<>();
    Set<String> devices = new HashSet<>();
    for (SensorEvent e : events.subList(0, 20_000)) {
      assertTrue(e.sensor() >= 1 && e.sensor() <= 10, e.toString());
      assertTrue(e.value() >= 0 && e.value() < 1, e.toString());
      sensors.add(e.sensor());
      devices.add(e.deviceId());
    }
    assertEquals(10, sensors.size());
    assertEquals(Set.of("1", "2", "3"), devices);
  }

  @Test
  void sentinelComesLastOncePerDevice() {
    List<SensorEvent> events = events(drain(SimulationSpec.of(5, 10, 100).withDevices(3)));
    assertEquals(103, events.size());
    assertTrue(events.subList(0, 100).stream().noneMatch(SensorEvent::isSentinel));
    List<SensorEvent> tail = events.subList(100, 103);
    assertTrue(tail.stream().allMatch(SensorEvent::isSentinel));
    assertEquals(List.of("1", "2", "3"), tail.stream().map(SensorEvent::deviceId).toList());
    assertEquals(SensorEvent.SENTINEL_SENSOR, tail.get(0).sensor());
    assertEquals(0.0, tail.get(0).value());
    // The sentinel is not older than the last event.
    assertFalse(tail.get(0).eventTime().isBefore(events.get(99).eventTime()));
  }

  @Test
  void singleDeviceStreamEndsWithTheOriginalsSingleSentinel() {
    List<SensorEvent> events = events(drain(SimulationSpec.of(100, 10, 3)));
    assertEquals(4, events.size());
    assertEquals(SensorEvent.sentinel(events.get(3).eventTime(), SensorEvent.DEFAULT_DEVICE), events.get(3));
  }

  @Test
  void sentinelCanBeOmitted() {
    List<SensorEvent> events = events(drain(SimulationSpec.of(5, 10, 50).withSentinel(false)));
    assertEquals(50, events.size());
    assertTrue(events.stream().noneMatch(SensorEvent::isSentinel));
  }

  @Test
  void emptyStreamIsJustTheSentinel() {
    List<SensorEvent> events = events(drain(SimulationSpec.of(5, 10, 0)));
    assertEquals(1, events.size());
    assertTrue(events.get(0).isSentinel());
  }

  @Test
  void sameSeedGivesTheSameStream() {
    SimulationSpec spec = SimulationSpec.of(100, 1000, 5000).withDevices(4).withLateness(10, Duration.ofMillis(50));
    assertEquals(drain(spec), drain(spec));
  }

  @Test
  void otherSeedGivesAnotherStream() {
    SimulationSpec spec = SimulationSpec.of(100, 1000, 1000);
    assertNotEquals(events(drain(spec)), events(drain(spec.withSeed(43))));
  }

  @Test
  void readingsDoNotDependOnRateOrLateness() {
    SimulationSpec paced = SimulationSpec.of(100, 10, 2000).withDevices(2);
    List<String> a = readings(events(drain(paced)));
    List<String> b = readings(events(drain(new SimulationSpec(100, 5000, 2000, 2, 42, 0, Duration.ofSeconds(5), true, 1))));
    assertEquals(a, b);
    List<String> late = readings(events(drain(paced.withLateness(30, Duration.ofSeconds(2)))));
    assertEquals(new HashSet<>(a), new HashSet<>(late));
  }

  private static List<SensorEvent> regular(List<Sent> sent) {
    return events(sent).stream().filter(e -> !e.isSentinel()).toList();
  }

  private static List<String> readings(List<SensorEvent> events) {
    return events.stream().filter(e -> !e.isSentinel()).map(e -> e.deviceId() + "/" + e.sensor() + "/" + e.value()).toList();
  }

  @Test
  void pacedTimestampsAreTheStartPlusTheScheduleAndNeverGoBack() {
    List<Sent> sent = drain(SimulationSpec.of(10, 100, 1000));
    long previousDue = -1;
    for (Sent s : sent) {
      assertTrue(s.due() >= previousDue);
      previousDue = s.due();
      assertEquals(Instant.ofEpochMilli(START + s.due() / 1_000_000), s.event().eventTime());
    }
    assertEquals(0, sent.get(0).due(), "the first event goes at once, as in the original");
    // 1000 waits of mean 10 ms: ~10 s (sd of the sum ~0.16 s).
    assertEquals(10e9, sent.get(999).due(), 1e9);
  }

  @Test
  void lateEventsKeepTheirTimestampsAndArriveOutOfOrder() {
    SimulationSpec onTime = SimulationSpec.of(100, 1000, 20_000);
    Duration maxDelay = Duration.ofMillis(200);
    SimulationSpec late = onTime.withLateness(20, maxDelay);
    List<Sent> reference = drain(onTime);
    List<Sent> shuffled = drain(late);

    // Same events, timestamps included: lateness changes only when they are sent.
    Map<SensorEvent, Long> generatedAt = new HashMap<>();
    for (Sent s : reference) {
      generatedAt.put(s.event(), s.due());
    }
    assertEquals(reference.size(), shuffled.size());
    Set<SensorEvent> missing = new HashSet<>(regular(reference));
    missing.removeAll(regular(shuffled));
    assertEquals(Set.of(), missing, "events whose timestamp changed");

    long delayed = 0;
    long outOfOrder = 0;
    Instant newest = Instant.MIN;
    for (Sent s : shuffled) {
      if (s.event().isSentinel()) {
        continue;
      }
      long generated = generatedAt.get(s.event());
      long delay = s.due() - generated;
      assertTrue(delay >= 0 && delay <= maxDelay.toNanos(), "delay " + delay + " of " + s);
      if (delay > 0) {
        delayed++;
      }
      if (s.event().eventTime().isBefore(newest)) {
        outOfOrder++;
      }
      if (s.event().eventTime().isAfter(newest)) {
        newest = s.event().eventTime();
      }
    }
    assertEquals(0.20 * 20_000, delayed, 0.02 * 20_000, "about 20% held back");
    assertTrue(outOfOrder > 0.15 * 20_000, "held-back events arrive after newer ones: " + outOfOrder);
    // The sentinel still comes last, after every held-back event.
    assertTrue(shuffled.get(shuffled.size() - 1).event().isSentinel());
  }

  @Test
  void unpacedStreamStampsEventsWithTheTimePassedIn() {
    EventScheduler scheduler = new EventScheduler(SimulationSpec.of(10, 0, 3), START);
    assertEquals(5_000_000, scheduler.nextDue(5_000_000));
    assertEquals(Instant.ofEpochMilli(START + 5), scheduler.next().eventTime());
    assertEquals(9_000_000, scheduler.nextDue(9_000_000));
    assertEquals(Instant.ofEpochMilli(START + 9), scheduler.next().eventTime());
  }

  @Test
  void unpacedLateEventsWaitForTheirDelayAfterTheLastRegularEvent() {
    EventScheduler scheduler =
        new EventScheduler(SimulationSpec.of(10, 0, 100).withLateness(100, Duration.ofSeconds(1)), START);
    // Every event is held: the first one due is in the future, within a second.
    long due = scheduler.nextDue(0);
    assertTrue(due > 0 && due <= 1_000_000_000L, "due " + due);
    assertEquals(100, scheduler.generated());
    assertEquals(99, scheduler.heldBack());
    assertEquals(Instant.ofEpochMilli(START), scheduler.next().eventTime(), "keeps its generation time");
  }

  /** Messages with the time they were due, as a paced simulator would send them. */
  static List<List<SensorEvent>> drainMessages(SimulationSpec spec, List<Long> dues) {
    EventScheduler scheduler = new EventScheduler(spec, START);
    List<List<SensorEvent>> out = new ArrayList<>();
    long now = 0;
    while (true) {
      long due = scheduler.nextDue(now);
      if (due == EventScheduler.END) {
        return out;
      }
      now = Math.max(now, due);
      dues.add(due);
      out.add(scheduler.nextMessage());
    }
  }

  @Test
  void allReadingsPerMessageCarryEverySensorOfOneDeviceAtOneInstant() {
    SimulationSpec spec = SimulationSpec.of(11, 1000, 1100).withDevices(2).withReadingsPerMessage(11);
    List<List<SensorEvent>> messages = drainMessages(spec, new ArrayList<>());
    assertEquals(100 + 2, messages.size(), "total/11 messages, then a sentinel per device");
    Set<String> devices = new HashSet<>();
    for (List<SensorEvent> m : messages.subList(0, 100)) {
      assertEquals(11, m.size());
      for (int i = 0; i < 11; i++) {
        SensorEvent e = m.get(i);
        assertEquals(i + 1, e.sensor(), "every sensor, in order");
        assertEquals(m.get(0).deviceId(), e.deviceId());
        assertEquals(m.get(0).eventTime(), e.eventTime());
        assertTrue(e.value() >= 0 && e.value() < 1, e.toString());
      }
      devices.add(m.get(0).deviceId());
    }
    assertEquals(Set.of("1", "2"), devices);
    for (List<SensorEvent> m : messages.subList(100, 102)) {
      assertEquals(1, m.size());
      assertTrue(m.get(0).isSentinel());
    }
  }

  @Test
  void someReadingsPerMessageAreDistinctRandomSensorsInAscendingOrder() {
    List<List<SensorEvent>> messages = drainMessages(SimulationSpec.of(10, 0, 3000).withReadingsPerMessage(3), new ArrayList<>());
    assertEquals(1000 + 1, messages.size());
    Map<Integer, Integer> perSensor = new HashMap<>();
    for (List<SensorEvent> m : messages.subList(0, 1000)) {
      assertEquals(3, m.size());
      assertTrue(m.get(0).sensor() < m.get(1).sensor() && m.get(1).sensor() < m.get(2).sensor(), m.toString());
      m.forEach(e -> perSensor.merge(e.sensor(), 1, Integer::sum));
    }
    assertEquals(10, perSensor.size());
    // Uniform: each sensor is in 3/10 of the messages (300 of 1000; a binomial sd of about 14.5).
    perSensor.values().forEach(n -> assertTrue(Math.abs(n - 300) < 75, perSensor.toString()));
  }

  @Test
  void theRateCountsReadingsSoMessagesComeRateOverKPerSecond() {
    List<Long> dues = new ArrayList<>();
    drainMessages(SimulationSpec.of(10, 1000, 20_000).withReadingsPerMessage(10), dues);
    assertEquals(2000 + 1, dues.size());
    // 20,000 readings at 1000/s take 20 s: 2000 messages at 100/s (lognormal waits, sd = mean/2).
    double seconds = dues.get(1999) / 1e9;
    assertTrue(Math.abs(seconds - 20) < 1, "last message at " + seconds + " s");
  }

  @Test
  void aSpecRefusesReadingsPerMessageOutsideTheSensorsOrNotDividingTheTotal() {
    assertThrows(IllegalArgumentException.class,
        () -> SimulationSpec.of(10, 0, 100).withReadingsPerMessage(11));
    assertThrows(IllegalArgumentException.class,
        () -> SimulationSpec.of(10, 0, 105).withReadingsPerMessage(10));
    assertThrows(IllegalStateException.class, () -> {
      EventScheduler s = new EventScheduler(SimulationSpec.of(10, 0, 100).withReadingsPerMessage(10), START);
      s.nextDue(0);
      s.next();
    });
  }
}
