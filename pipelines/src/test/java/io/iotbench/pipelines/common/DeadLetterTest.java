package io.iotbench.pipelines.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class DeadLetterTest {
  @Test
  void isOneJsonLineOfStageErrorAndPayload() {
    assertEquals(
        "{\"stage\":\"validate\",\"error\":\"field 'v1' is empty\",\"payload\":\"1,,0.5\"}",
        new DeadLetter("1,,0.5", "validate", "field 'v1' is empty").toJson());
  }

  @Test
  void aPayloadWithLineBreaksAndControlCharactersRoundTrips() throws Exception {
    DeadLetter letter = new DeadLetter("a\r\nb\u0000\"c\"\\", "parse", "bad\tline");
    String json = letter.toJson();
    assertEquals(-1, json.indexOf('\n'), json);
    JsonNode read = Json.MAPPER.readTree(json);
    assertEquals(letter, new DeadLetter(read.get("payload").asText(), read.get("stage").asText(), read.get("error").asText()));
  }

  @Test
  void theCoderRoundTrips() throws Exception {
    DeadLetter letter = new DeadLetter("é,1", "read", "why");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DeadLetterCoder.of().encode(letter, out);
    assertEquals(letter, DeadLetterCoder.of().decode(new ByteArrayInputStream(out.toByteArray())));
  }

  @Test
  void aReasonIsWrittenAfterTheStageAndRoundTripsThroughTheCoder() throws Exception {
    DeadLetter letter = new DeadLetter("x", "parse", "tooLong", "too long");
    assertEquals("{\"stage\":\"parse\",\"reason\":\"tooLong\",\"error\":\"too long\",\"payload\":\"x\"}", letter.toJson());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DeadLetterCoder.of().encode(letter, out);
    assertEquals(letter, DeadLetterCoder.of().decode(new ByteArrayInputStream(out.toByteArray())));
  }
}
