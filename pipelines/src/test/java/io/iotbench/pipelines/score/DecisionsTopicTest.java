package io.iotbench.pipelines.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DecisionsTopicTest {
  @Test
  void aPublishedDecisionReadsBackAsTheDecision() {
    Decision d = new Decision(1_515_879_451_000L, 7, "dev \"7\"\\x", 42, 0.8125, 1, true, false, true, false);
    assertEquals(d, DecisionsTopic.fromJson(d.toJson()));
    Decision ok = new Decision(1_000L, -2, "1", 0, 1e-9, 0, false, true, false, true);
    assertEquals(ok, DecisionsTopic.fromJson(ok.toJson()));
  }

  @Test
  void aRecordWithoutAFieldIsNamed() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DecisionsTopic.fromJson("{\"windowEnd\":\"1970-01-01T00:00:01Z\"}"));
    assertEquals("not a decision (no \"interval\"): {\"windowEnd\":\"1970-01-01T00:00:01Z\"}", e.getMessage());
  }
}
