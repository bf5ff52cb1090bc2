package io.iotbench.pipelines.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotbench.pipelines.common.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionTest {
  @Test
  void jsonKeepsItsKeysInOrderWithTheirValues() {
    Decision d = new Decision(1_000L, 7, "dev-1", 12, 0.25, 1, true, false, true, false);
    assertEquals(
        "{\"windowEnd\":\"1970-01-01T00:00:01Z\",\"interval\":7,\"device\":\"dev-1\",\"events\":12,\"probability\":0.25,"
            + "\"decision\":\"attention\",\"late\":true,\"outOfOrder\":false,\"revised\":true,\"sentinel\":false}",
        d.toJson());
  }

  @Test
  void aDeviceIdWithALineBreakAndControlCharactersStaysValidJson() throws Exception {
    String device = "dev\n\"1\"\\\u0001\t";
    Decision d = new Decision(0L, 1, device, 1, 1.0E-5, 0, false, false, false, true);
    String json = d.toJson();
    assertEquals(-1, json.indexOf('\n'), json);
    JsonNode read = Json.MAPPER.readTree(json);
    assertEquals(device, read.get("device").asText());
    assertEquals(1.0E-5, read.get("probability").asDouble());
    assertEquals("ok", read.get("decision").asText());
    List<String> keys = new ArrayList<>();
    read.fieldNames().forEachRemaining(keys::add);
    assertEquals(
        List.of("windowEnd", "interval", "device", "events", "probability", "decision", "late", "outOfOrder", "revised", "sentinel"),
        keys);
  }

  @Test
  void aPublishedDecisionReadsBackAsTheDecision() {
    Decision d = new Decision(1_515_879_451_000L, 7, "dev \"7\"\\x", 42, 0.8125, 1, true, false, true, false);
    assertEquals(d, Decision.fromJson(d.toJson()));
    Decision ok = new Decision(1_000L, -2, "1", 0, 1e-9, 0, false, true, false, true);
    assertEquals(ok, Decision.fromJson(ok.toJson()));
  }

  @Test
  void aRecordWithoutAFieldIsNamed() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Decision.fromJson("{\"windowEnd\":\"1970-01-01T00:00:01Z\"}"));
    assertEquals("not a decision (no \"interval\"): {\"windowEnd\":\"1970-01-01T00:00:01Z\"}", e.getMessage());
  }
}
