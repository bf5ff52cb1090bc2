package io.iotbench.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.model.EventCsvCodec;
import io.iotbench.model.LabelingRule;
import io.iotbench.model.SensorEvent;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroundTruthTest {
  @TempDir Path temp;

  private static SensorEvent at(long millis, String device, int sensor, double value) {
    return new SensorEvent(Instant.ofEpochMilli(millis), device, sensor, value);
  }

  @Test
  void everyDeviceGetsARowPerIntervalWithTheLabelOfItsVectorAtTheEndAndLateReadingsCountWhereTheirTimePutsThem() throws Exception {
    StringWriter out = new StringWriter();
    // 3 sensors: cutoff 0.25*3*4 = 3, a fresh device scores 0.5*(1+2+3) = 3, not above: label 0.
    GroundTruth truth = new GroundTruth(3, List.of("1", "2"), 1000, LabelingRule.defaultCutoff(3), 2000, out);
    truth.record(List.of(at(500, "1", 3, 0.9)));              // device 1: 0.5 + 1 + 2.7 = 4.2 -> 1
    truth.record(List.of(at(1500, "1", 3, 0.1)));             // device 1: 0.5 + 1 + 0.3 = 1.8 -> 0
    truth.record(List.of(at(3200, "2", 2, 1.0)));             // interval 3 (ms 3000..4000), nothing in interval 2
    truth.record(List.of(at(1300, "2", 1, 0.0), at(1300, "2", 2, 0.9))); // late, interval 1: 0 + 1.8 + 1.5 = 3.3 -> 1
    assertEquals(2, truth.rows(), "only interval 0 is past the hold (3200 - 2000 = 1200)");
    truth.close();
    assertEquals(List.of(
        GroundTruth.HEADER,
        "1,1970-01-01T00:00:00Z,1970-01-01T00:00:01Z,1,1",
        "2,1970-01-01T00:00:00Z,1970-01-01T00:00:01Z,0,0",
        "1,1970-01-01T00:00:01Z,1970-01-01T00:00:02Z,1,0",
        "2,1970-01-01T00:00:01Z,1970-01-01T00:00:02Z,2,1",
        "1,1970-01-01T00:00:02Z,1970-01-01T00:00:03Z,0,0",
        "2,1970-01-01T00:00:02Z,1970-01-01T00:00:03Z,0,1",
        "1,1970-01-01T00:00:03Z,1970-01-01T00:00:04Z,0,0",
        "2,1970-01-01T00:00:03Z,1970-01-01T00:00:04Z,1,1"), out.toString().lines().toList());
  }

  @Test
  void sentinelsAreNotReadings() throws Exception {
    StringWriter out = new StringWriter();
    try (GroundTruth truth = new GroundTruth(2, List.of("1"), 1000, 10, 0, out)) {
      truth.record(List.of(SensorEvent.sentinel(Instant.ofEpochMilli(5000), "1")));
    }
    assertEquals(List.of(GroundTruth.HEADER), out.toString().lines().toList());
  }

  /** The simulator's truth file equals the truth recomputed from the events it sent, late ones included. */
  @Test
  void simulateWritesTheTruthOfTheEventsItSent() throws Exception {
    Path file = temp.resolve("truth.csv");
    SimulateTest.Run run = SimulateTest.simulate("--total=3000", "--rate=500", "--devices=3", "--sensors=5",
        "--latePercent=10", "--maxDelay=1500ms", "--interval=0.5", "--truthOutput=" + file);
    assertEquals(0, run.status(), run.err().toString());
    List<SensorEvent> sent = new ArrayList<>();
    for (String line : run.events()) {
      SensorEvent e = EventCsvCodec.parse(line);
      if (!e.isSentinel()) {
        sent.add(e);
      }
    }
    sent.sort(Comparator.comparing(SensorEvent::eventTime));
    long first = Math.floorDiv(sent.get(0).eventTime().toEpochMilli(), 500);
    long last = Math.floorDiv(sent.get(sent.size() - 1).eventTime().toEpochMilli(), 500);
    Map<String, double[]> v = new TreeMap<>();
    for (String d : List.of("1", "2", "3")) {
      double[] x = new double[5];
      Arrays.fill(x, 0.5);
      v.put(d, x);
    }
    List<String> expected = new ArrayList<>(List.of(GroundTruth.HEADER));
    int i = 0;
    for (long w = first; w <= last; w++) {
      Map<String, Integer> counts = new TreeMap<>();
      for (; i < sent.size() && Math.floorDiv(sent.get(i).eventTime().toEpochMilli(), 500) == w; i++) {
        SensorEvent e = sent.get(i);
        v.get(e.deviceId())[e.sensor() - 1] = e.value();
        counts.merge(e.deviceId(), 1, Integer::sum);
      }
      for (String d : v.keySet()) {
        expected.add(d + "," + Instant.ofEpochMilli(w * 500) + "," + Instant.ofEpochMilli(w * 500 + 500) + ","
            + counts.getOrDefault(d, 0) + "," + LabelingRule.label(v.get(d), LabelingRule.defaultCutoff(5)));
      }
    }
    assertEquals(expected, Files.readAllLines(file));
    assertTrue(run.err().get(run.err().size() - 1).startsWith("Wrote the ground truth of " + (expected.size() - 1) + " device intervals to "),
        run.err().toString());
    try (var siblings = Files.list(temp)) {
      assertEquals(List.of(file), siblings.toList(), "no temporary file left");
    }
  }

  @Test
  void aTruthFileInAMissingFolderIsABadOption() {
    SimulateTest.Run run = SimulateTest.simulate("--total=10", "--truthOutput=" + temp.resolve("no/such/truth.csv"));
    assertEquals(2, run.status());
    assertEquals(1, run.err().size(), run.err().toString());
    assertTrue(run.err().get(0).contains("--truthOutput=") && run.err().get(0).contains("its folder does not exist"), run.err().toString());
  }
}
