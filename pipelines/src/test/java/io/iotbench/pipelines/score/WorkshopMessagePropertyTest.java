package io.iotbench.pipelines.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.iotbench.model.JsonEventCodec;
import io.iotbench.model.SensorEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The scorer's rules on the workshop's message, one device reading all its sensors at one instant:
 * {@code {"sensor_id": 48, "sensor_ts": 1556758787735011, "sensor_0": 2, ..., "sensor_10": 5}} (microseconds since
 * the epoch; {@code sensor_k} is sensor k+1). A valid message, with its fields in any order, integer or decimal
 * readings and any spacing, gives exactly one event per reading, all with its device and time, and re-encodes to a
 * message that gives the same events. A mutated message gives exactly the outcome its mutation calls for: the same
 * events (an unknown extra field is ignored), or one rejection with the expected reason, never some of its readings
 * (a message with one bad reading is one dead letter, so nothing is dropped silently).
 */
class WorkshopMessagePropertyTest {
  private static final long NOW = Instant.parse("2026-06-01T12:00:00Z").toEpochMilli();
  private static final JsonEventCodec CODEC = new JsonEventCodec(JsonEventCodec.Fields.defaults());

  /** A workshop message as its parts: the fields written in {@code order}, readings as written. */
  record Message(int sensors, String device, long micros, List<String> readings, List<Integer> order, String space) {

    /** The JSON text, with {@code replaced} (field index to "name": value text, or null to drop) applied. */
    String text(java.util.Map<Integer, String> replaced, List<String> extra) {
      List<String> fields = new ArrayList<>();
      fields.add(q("sensor_id") + ":" + space + device);
      fields.add(q("sensor_ts") + ":" + space + micros);
      for (int i = 0; i < sensors; i++) {
        fields.add(q("sensor_" + i) + ":" + space + readings.get(i));
      }
      List<String> out = new ArrayList<>();
      for (int i : order) {
        if (!replaced.containsKey(i)) {
          out.add(fields.get(i));
        } else if (replaced.get(i) != null) {
          out.add(replaced.get(i));
        }
      }
      out.addAll(extra);
      return "{" + String.join("," + space, out) + "}";
    }

    String text() {
      return text(java.util.Map.of(), List.of());
    }

    /** The events a valid message gives, in sensor order. */
    List<SensorEvent> events() {
      Instant t = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
      String id = device.startsWith("\"") ? device.substring(1, device.length() - 1) : device;
      List<SensorEvent> events = new ArrayList<>();
      for (int i = 0; i < sensors; i++) {
        events.add(new SensorEvent(t, id, i + 1, Double.parseDouble(readings.get(i))));
      }
      return events;
    }

    RecordRules rules() {
      return new RecordRules(EventFormat.JSON, sensors, 60_000, true, 65_536);
    }
  }

  private static String q(String s) {
    return "\"" + s + "\"";
  }

  @Provide
  Arbitrary<Message> messages() {
    Arbitrary<String> reading = Arbitraries.oneOf(
        Arbitraries.integers().between(0, 1000).map(String::valueOf),
        Arbitraries.doubles().between(-1e6, 1e6).map(String::valueOf),
        Arbitraries.doubles().between(0, 1).ofScale(5).map(String::valueOf));
    Arbitrary<String> device = Arbitraries.oneOf(
        Arbitraries.integers().between(0, 1_000_000).map(String::valueOf),
        Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12).map(WorkshopMessagePropertyTest::q));
    // Event times from 2000 to the rules' wall clock, in microseconds.
    Arbitrary<Long> micros = Arbitraries.longs().between(946_684_800_000_000L, NOW * 1000);
    return Arbitraries.integers().between(1, 16).flatMap(n -> Combinators.combine(
            device, micros, reading.list().ofSize(n),
            Arbitraries.shuffle(java.util.stream.IntStream.range(0, n + 2).boxed().toList()),
            Arbitraries.of("", " "))
        .as((d, t, r, order, space) -> new Message(n, d, t, r, order, space)));
  }

  private static List<SensorEvent> bySensor(List<SensorEvent> events) {
    return events.stream().sorted(Comparator.comparingInt(SensorEvent::sensor)).toList();
  }

  private static List<SensorEvent> parsed(Message m, String text) {
    RecordRules.Parsed p = assertInstanceOf(RecordRules.Parsed.class, m.rules().check(text, NOW), text);
    return p.events();
  }

  private static RecordRules.Reason rejected(Message m, String text) {
    return assertInstanceOf(RecordRules.Rejected.class, m.rules().check(text, NOW), text).reason();
  }

  @Property(tries = 2000)
  void aValidMessageGivesOneEventPerReadingAndReEncodesToTheSameEvents(@ForAll("messages") Message m) {
    List<SensorEvent> events = parsed(m, m.text());
    assertEquals(m.events(), bySensor(events), m.text());
    int[] sensors = events.stream().mapToInt(SensorEvent::sensor).toArray();
    double[] values = events.stream().mapToDouble(SensorEvent::value).toArray();
    String again = CODEC.format(events.get(0).deviceId(), events.get(0).eventTime(), sensors, values);
    assertEquals(events, parsed(m, again), again);
  }

  /** The mutations, each with the outcome it must have. */
  enum Mutation {
    DROP_DEVICE, DROP_TIME, DROP_ALL_READINGS, BAD_READING, DUPLICATE_READING, UNKNOWN_SENSOR, FUTURE_TIME,
    BEFORE_1970, BAD_DEVICE, CUT_SHORT, IGNORED_EXTRA_FIELD
  }

  @Property(tries = 3000)
  void aMutatedMessageIsTheSameEventsOrExactlyOneRejection(@ForAll("messages") Message m, @ForAll Mutation mutation,
      @ForAll("hostile") String token, @ForAll("indexes") int pick) {
    int reading = 2 + pick % m.sensors(); // field index of one reading
    java.util.Map<Integer, String> replaced = new java.util.HashMap<>();
    List<String> extra = new ArrayList<>();
    RecordRules.Reason expected = RecordRules.Reason.PARSE;
    switch (mutation) {
      case DROP_DEVICE -> replaced.put(0, null);
      case DROP_TIME -> replaced.put(1, null);
      case DROP_ALL_READINGS -> {
        for (int i = 2; i < m.sensors() + 2; i++) {
          replaced.put(i, null);
        }
      }
      case BAD_READING -> replaced.put(reading, q("sensor_" + (reading - 2)) + ":" + token);
      case DUPLICATE_READING -> extra.add(q("sensor_" + (reading - 2)) + ":1");
      case UNKNOWN_SENSOR -> {
        extra.add(q("sensor_" + (m.sensors() + pick % 3)) + ":0.5");
        expected = RecordRules.Reason.UNKNOWN_SENSOR;
      }
      case FUTURE_TIME -> {
        replaced.put(1, q("sensor_ts") + ":" + (NOW + 61_000 + pick) * 1000);
        expected = RecordRules.Reason.FUTURE_TIMESTAMP;
      }
      case BEFORE_1970 -> {
        replaced.put(1, q("sensor_ts") + ":" + (-1 - pick));
        expected = RecordRules.Reason.BAD_TIMESTAMP;
      }
      case BAD_DEVICE -> replaced.put(0, q("sensor_id") + ":" + token);
      case IGNORED_EXTRA_FIELD -> extra.add(q(pick % 2 == 0 ? "sensor_01" : "sensor_name") + ":" + token);
      case CUT_SHORT -> { }
    }
    String text = m.text(replaced, extra);
    if (mutation == Mutation.CUT_SHORT) {
      text = text.substring(0, pick % text.length()); // a strict prefix: never a whole object
      expected = text.isEmpty() ? RecordRules.Reason.EMPTY : RecordRules.Reason.PARSE;
    }
    if (mutation == Mutation.IGNORED_EXTRA_FIELD) {
      assertEquals(m.events(), bySensor(parsed(m, text)), text);
    } else {
      assertEquals(expected, rejected(m, text));
    }
  }

  /** Values that neither a reading (a finite number) nor a device (an integer or a non-empty string) may have. */
  @Provide
  Arbitrary<String> hostile() {
    return Arbitraries.of("NaN", "Infinity", "-Infinity", "1e309", "-1e309", "\"\"", "null", "true", "false", "[1]", "{}",
        "{\"a\":1}", "[]");
  }

  @Provide
  Arbitrary<Integer> indexes() {
    return Arbitraries.integers().between(0, 1_000_000);
  }
}
