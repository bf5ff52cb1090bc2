package io.iotbench.pipelines.score.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RecordTextTest {

  @Test
  void lineBreaksInAMessageBecomeSpaces() {
    assertEquals("{\"a\": 1,  \"b\": 2}", RecordText.ofMessage("{\"a\": 1,\r\n\"b\": 2}", 100));
    assertEquals("a b", RecordText.ofMessage("a\nb", 100));
  }

  @Test
  void anEmptyMessageOrLineIsABlankRecord() {
    assertEquals(" ", RecordText.ofMessage("", 100));
    assertEquals(" ", RecordText.ofMessage(new byte[0], 0, 0, 100));
    assertEquals(" ", RecordText.ofLine(""));
    assertEquals("x", RecordText.ofLine("x"));
  }

  @Test
  void aLongMessageIsCutToOneMoreThanTheLimit() {
    assertEquals("abcd", RecordText.ofMessage("abcdefgh", 3));
    assertEquals("abc", RecordText.ofMessage("abc", 3));
    byte[] huge = "x".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
    assertEquals(65_537, RecordText.ofMessage(huge, 0, huge.length, 65_536).length());
  }

  @Test
  void theKafkaDeserializerAppliesTheSameRules() {
    RecordDeserializer d = new RecordDeserializer();
    d.configure(Map.of(RecordDeserializer.MAX_RECORD_BYTES, "4"), false);
    assertEquals(" ", d.deserialize("t", null));
    assertEquals(" ", d.deserialize("t", new byte[0]));
    assertEquals("ab c", d.deserialize("t", "ab\nc".getBytes(StandardCharsets.UTF_8)));
    assertEquals("abcde", d.deserialize("t", "abcdefghij".getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Any message: never a line break, never empty, at most limit + 1 characters, and longer than the limit in UTF-8
   * exactly when the message was (so the parse stage's tooLong verdict is the same as on the whole message).
   */
  @Property(tries = 10_000)
  void theRecordRulesHold(@ForAll String message, @ForAll @IntRange(min = 1, max = 64) int limit) {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    for (String r : new String[] {RecordText.ofMessage(message, limit), RecordText.ofMessage(bytes, 0, bytes.length, limit)}) {
      assertFalse(r.isEmpty());
      assertFalse(r.contains("\n") || r.contains("\r"), r);
      assertTrue(r.length() <= limit + 1);
      boolean tooLong = bytes.length > limit;
      assertEquals(tooLong, r.getBytes(StandardCharsets.UTF_8).length > limit, message);
    }
  }
}
