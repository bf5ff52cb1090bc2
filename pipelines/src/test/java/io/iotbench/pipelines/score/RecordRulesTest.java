package io.iotbench.pipelines.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.model.JsonEventCodec;
import io.iotbench.model.SensorEvent;
import io.iotbench.pipelines.common.DeadLetter;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The record rules, one example per reason, and the dead letter's payload limit. */
class RecordRulesTest {
  static final long NOW = Instant.parse("2026-06-01T12:00:00Z").toEpochMilli();
  static final RecordRules CSV = new RecordRules(EventFormat.CSV, 3, 60_000, true, 65_536);
  static final RecordRules JSON = new RecordRules(EventFormat.JSON, 3, 60_000, true, 65_536);

  private static RecordRules.Reason reason(RecordRules rules, String record) {
    return assertInstanceOf(RecordRules.Rejected.class, rules.check(record, NOW)).reason();
  }

  private static String csv(String time, int sensor) {
    return time + "," + sensor + ",Sensor " + sensor + ",0.5";
  }

  @Test
  void aGoodCsvLineIsOneEvent() {
    RecordRules.Parsed p = assertInstanceOf(RecordRules.Parsed.class, CSV.check(csv("2026-06-01T11:00:00.000Z", 2), NOW));
    assertEquals(1, p.events().size());
    assertEquals(2, p.events().get(0).sensor());
  }

  @Test
  void eachReasonHasItsExample() {
    assertEquals(RecordRules.Reason.EMPTY, reason(CSV, " "));
    assertEquals(RecordRules.Reason.EMPTY, reason(CSV, ""));
    assertEquals(RecordRules.Reason.PARSE, reason(CSV, "garbage"));
    assertEquals(RecordRules.Reason.PARSE, reason(CSV, "2026-06-01T11:00:00.000Z,1,Sensor 1,NaN"));
    assertEquals(RecordRules.Reason.PARSE, reason(CSV, "2026-06-01T11:00:00.000Z,1,Sensor 1,1e309"));
    assertEquals(RecordRules.Reason.UNKNOWN_SENSOR, reason(CSV, csv("2026-06-01T11:00:00.000Z", 4)));
    assertEquals(RecordRules.Reason.UNKNOWN_SENSOR, reason(CSV, csv("2026-06-01T11:00:00.000Z", 999999)));
    assertEquals(RecordRules.Reason.TOO_LONG, reason(new RecordRules(EventFormat.CSV, 3, 60_000, true, 10),
        csv("2026-06-01T11:00:00.000Z", 1)));
    assertEquals(RecordRules.Reason.BAD_TIMESTAMP, reason(CSV, csv("+300000-01-01T00:00:00.000Z", 1)));
    assertEquals(RecordRules.Reason.BAD_TIMESTAMP, reason(CSV, csv("+1000000000-12-31T23:59:59.999999999Z", 1)));
    assertEquals(RecordRules.Reason.BAD_TIMESTAMP, reason(CSV, csv("1969-12-31T23:59:59.999Z", 1)));
    assertEquals(RecordRules.Reason.BAD_TIMESTAMP, reason(CSV, csv("+10000-01-01T00:00:00.000Z", 1)));
    assertEquals(RecordRules.Reason.FUTURE_TIMESTAMP, reason(CSV, csv("2100-01-01T00:00:00.000Z", 1)));
    assertEquals(RecordRules.Reason.BAD_DEVICE, reason(CSV, csv("2026-06-01T11:00:00.000Z", 1) + "," + "d".repeat(257)));
  }

  @Test
  void theTimeRangeIsInclusiveAndTheFutureLimitIsTheSkew() {
    RecordRules noFuture = new RecordRules(EventFormat.CSV, 3, 60_000, false, 65_536);
    assertInstanceOf(RecordRules.Parsed.class, CSV.check(csv("1970-01-01T00:00:00.000Z", 1), NOW));
    assertInstanceOf(RecordRules.Parsed.class, noFuture.check(csv("9999-12-31T23:59:59.999Z", 1), NOW));
    assertInstanceOf(RecordRules.Parsed.class, CSV.check(csv(Instant.ofEpochMilli(NOW + 60_000).toString(), 1), NOW));
    assertEquals(RecordRules.Reason.FUTURE_TIMESTAMP, reason(CSV, csv(Instant.ofEpochMilli(NOW + 60_001).toString(), 1)));
    // In the processing-time domain the events' clocks do not place them: no future check.
    assertInstanceOf(RecordRules.Parsed.class, noFuture.check(csv("2100-01-01T00:00:00.000Z", 1), NOW));
  }

  @Test
  void aDeviceIdWithALineBreakAndControlCharactersIsKept() {
    String device = "a\nInterval 9: Attention needed\u001b[31m";
    String json = new JsonEventCodec(JsonEventCodec.Fields.defaults())
        .format(device, Instant.ofEpochMilli(NOW - 1000), new int[] {1}, new double[] {0.5});
    RecordRules.Parsed p = assertInstanceOf(RecordRules.Parsed.class, JSON.check(json, NOW));
    assertEquals(device, p.events().get(0).deviceId());
    assertInstanceOf(RecordRules.Parsed.class,
        CSV.check(csv("2026-06-01T11:00:00.000Z", 1) + "," + "d".repeat(RecordRules.MAX_DEVICE_ID_CHARS), NOW));
  }

  @Test
  void aJsonMessageWithTenThousandBadReadingsIsOneRejection() {
    int[] sensors = IntStream.rangeClosed(4, 10_003).toArray();
    double[] values = new double[sensors.length];
    String json = new JsonEventCodec(JsonEventCodec.Fields.defaults())
        .format("7", Instant.ofEpochMilli(NOW - 1000), sensors, values);
    RecordRules rules = new RecordRules(EventFormat.JSON, 3, 60_000, true, 1 << 20);
    RecordRules.Rejected r = assertInstanceOf(RecordRules.Rejected.class, rules.check(json, NOW));
    assertEquals(RecordRules.Reason.UNKNOWN_SENSOR, r.reason());
    assertEquals("sensor 4 is not a sensor of this stream (1..3) (and 9999 more readings)", r.error());
    DeadLetter letter = r.deadLetter(json);
    assertEquals("parse", letter.stage());
    assertEquals("unknownSensor", letter.reason());
    assertEquals(json.substring(0, 1024) + "...[" + json.length() + " characters]", letter.payload());
  }

  @Test
  void aMessageWithGoodAndBadReadingsIsRejectedWhole() {
    String json = "{\"sensor_id\":7,\"sensor_ts\":" + (NOW - 1000) * 1000 + ",\"sensor_0\":0.5,\"sensor_5\":0.5}";
    assertEquals(RecordRules.Reason.UNKNOWN_SENSOR, reason(JSON, json));
  }

  @Test
  void theJsonSentinelAndTimestampsAtTheEdges() {
    String sentinel = "{\"sensor_id\":7,\"sensor_ts\":" + (NOW - 1000) * 1000 + ",\"sentinel\":true}";
    RecordRules.Parsed p = assertInstanceOf(RecordRules.Parsed.class, JSON.check(sentinel, NOW));
    assertEquals(SensorEvent.SENTINEL_SENSOR, p.events().get(0).sensor());
    assertEquals(RecordRules.Reason.BAD_TIMESTAMP,
        reason(JSON, "{\"sensor_id\":7,\"sensor_ts\":9223372036854775807,\"sensor_0\":1}"));
    assertEquals(RecordRules.Reason.BAD_TIMESTAMP,
        reason(JSON, "{\"sensor_id\":7,\"sensor_ts\":\"+1000000000-12-31T23:59:59.999999999Z\",\"sensor_0\":1}"));
    assertEquals(RecordRules.Reason.PARSE, reason(JSON, "{\"sensor_id\":7,\"sensor_ts\":1e400,\"sensor_0\":1}"));
    assertEquals(RecordRules.Reason.BAD_TIMESTAMP, reason(JSON, "{\"sensor_id\":7,\"sensor_ts\":-1,\"sensor_0\":1}"));
  }

  @Test
  void aMebibyteRecordIsTooLongAndItsDeadLetterIsShort() {
    String huge = "x".repeat(1 << 20);
    RecordRules.Rejected r = assertInstanceOf(RecordRules.Rejected.class, CSV.check(huge, NOW));
    assertEquals(RecordRules.Reason.TOO_LONG, r.reason());
    assertEquals(1024 + "...[1048576 characters]".length(), r.deadLetter(huge).payload().length());
  }

  @Test
  void theUtf8LengthCountsBytes() {
    assertEquals(2, RecordRules.utf8Length("é", 100));
    assertEquals(4, RecordRules.utf8Length("😀", 100));
    assertEquals(3, RecordRules.utf8Length("\ud800", 100));
    RecordRules four = new RecordRules(EventFormat.CSV, 3, 60_000, true, 4);
    assertEquals(RecordRules.Reason.TOO_LONG, reason(four, "ééé"));
  }

  @Test
  void theCutNeverSplitsASurrogatePair() {
    String s = "a".repeat(1023) + "😀" + "b".repeat(10);
    assertTrue(RecordRules.truncated(s).startsWith("a".repeat(1023) + "...["), RecordRules.truncated(s));
  }

  @Test
  void bothPassesDecideARecordAtTheFutureLimitAlike() {
    String record = csv(Instant.ofEpochMilli(NOW + 60_000).toString(), 1) + ",border-" + System.nanoTime();
    // The first pass sees it just within the limit; the second, a millisecond later, just beyond it.
    assertInstanceOf(RecordRules.Parsed.class, CSV.checkConsistently(record, NOW));
    assertInstanceOf(RecordRules.Parsed.class, CSV.checkConsistently(record, NOW + 1));
    assertEquals(RecordRules.Reason.FUTURE_TIMESTAMP, reason(CSV, record.replace(",border-", ",other-")
        .replace(Instant.ofEpochMilli(NOW + 60_000).toString(), Instant.ofEpochMilli(NOW + 60_001).toString())));
  }
}
