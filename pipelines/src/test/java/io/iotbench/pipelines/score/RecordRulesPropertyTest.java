package io.iotbench.pipelines.score;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.common.DeadLetter;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of the parse stage's one function, {@link RecordRules#check}: for any input (random strings, random
 * bytes read as UTF-8, valid CSV and JSON records cut short or with a field replaced by a hostile token) no exception
 * escapes, and the outcome is either events that re-encode to an equivalent record, or exactly one dead letter with a
 * non-empty reason and a bounded payload.
 */
class RecordRulesPropertyTest {
  private static final long NOW = RecordRulesTest.NOW;
  private static final int TRIES = 2_000; // twice jqwik's default; bench-fuzz runs the parse stage on 1,000,000 records

  private static void oneOutcome(RecordRules rules, String record) {
    RecordRules.Outcome outcome = rules.check(record, NOW);
    assertNotNull(outcome);
    if (outcome instanceof RecordRules.Parsed p) {
      assertFalse(p.events().isEmpty());
      assertTrue(HostileRecords.equivalent(rules, p.events(), NOW), () -> "does not re-encode: " + record);
    } else {
      RecordRules.Rejected r = (RecordRules.Rejected) outcome;
      DeadLetter letter = r.deadLetter(record);
      assertFalse(letter.reason().isEmpty());
      assertFalse(letter.error().isEmpty());
      assertTrue(letter.payload().length() <= RecordRules.MAX_PAYLOAD_CHARS + 40, () -> "payload " + letter.payload().length());
      assertTrue(record.length() > RecordRules.MAX_PAYLOAD_CHARS || letter.payload().equals(record));
      assertFalse(letter.toJson().contains("\n"));
    }
  }

  private static RecordRules rules(boolean json) {
    return json ? RecordRulesTest.JSON : RecordRulesTest.CSV;
  }

  @Property(tries = TRIES)
  void anyStringIsOneOutcome(@ForAll String record, @ForAll boolean json) {
    oneOutcome(rules(json), record);
  }

  @Property(tries = TRIES)
  void anyBytesReadAsUtf8AreOneOutcome(@ForAll byte[] bytes, @ForAll boolean json) {
    oneOutcome(rules(json), new String(bytes, StandardCharsets.UTF_8));
  }

  @Property(tries = TRIES)
  void hostileRecordsAreOneOutcome(@ForAll long seed, @ForAll boolean json) {
    HostileRecords records = new HostileRecords(seed, NOW);
    oneOutcome(rules(json), records.next());
  }

  @Property(tries = TRIES)
  void everyCutOfAValidRecordIsOneOutcome(@ForAll long seed, @ForAll @IntRange(max = 1000) int cut, @ForAll boolean json) {
    HostileRecords records = new HostileRecords(seed, NOW);
    String valid = json ? records.validJson() : records.validCsv();
    oneOutcome(rules(json), valid.substring(0, Math.min(cut, valid.length())));
  }

  @Property(tries = TRIES)
  void aFieldReplacedByAHostileTokenIsOneOutcome(@ForAll long seed, @ForAll("tokens") String token, @ForAll boolean json,
      @ForAll @IntRange(max = 20) int field) {
    HostileRecords records = new HostileRecords(seed, NOW);
    String valid = json ? records.validJson() : records.validCsv();
    String[] parts = valid.split(json ? ":" : ",", -1);
    int i = field % parts.length;
    parts[i] = json && i > 0 ? token + parts[i].replaceFirst("^[^,}]*", "") : token;
    oneOutcome(rules(json), String.join(json ? ":" : ",", parts));
  }

  @Property(tries = 200)
  void longRecordsAroundTheLimitAreOneOutcome(@ForAll @IntRange(min = 65_000, max = 1 << 20) int length, @ForAll boolean json) {
    oneOutcome(rules(json), "é".repeat(length / 2));
  }

  @Provide
  Arbitrary<String> tokens() {
    return Arbitraries.oneOf(Arbitraries.of(HostileRecords.TOKENS), Arbitraries.strings().ofMaxLength(12));
  }
}
