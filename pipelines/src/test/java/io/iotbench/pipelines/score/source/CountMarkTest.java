package io.iotbench.pipelines.score.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/** The checkpoint mark's encoding: a round trip, and the same bytes whatever order its positions came in. */
class CountMarkTest {
  private static final CountMark.Coder CODER = new CountMark.Coder();

  @Test
  void positionsAreEncodedInPartitionOrderAndSurviveARoundTrip() throws Exception {
    Map<Integer, Long> forward = new LinkedHashMap<>();
    forward.put(0, 10L);
    forward.put(3, 7L);
    forward.put(1, 5L);
    Map<Integer, Long> backward = new LinkedHashMap<>();
    backward.put(1, 5L);
    backward.put(3, 7L);
    backward.put(0, 10L);
    CountMark a = new CountMark(22, "feed", forward);
    CountMark b = new CountMark(22, "feed", backward);
    assertArrayEquals(CoderUtils.encodeToByteArray(CODER, a), CoderUtils.encodeToByteArray(CODER, b));
    CountMark decoded = CoderUtils.clone(CODER, a);
    assertEquals(a, decoded);
    assertEquals(List.of(0, 1, 3), List.copyOf(decoded.positions().keySet()));
    assertThrows(UnsupportedOperationException.class, () -> a.positions().put(4, 1L));
    forward.put(0, 99L); // the mark copied its positions
    assertEquals(10L, a.positions().get(0));
    CountMark fromAJvm = CoderUtils.clone(CODER, new CountMark(22, "feed", backward, "jvm-1"));
    assertEquals("jvm-1", fromAJvm.origin(), "the JVM that took the mark survives the coder");
    assertNotEquals(a, fromAJvm);
  }

  @Test
  void aMarkWithoutPositionsStaysACountMark() throws Exception {
    CountMark m = CoderUtils.clone(CODER, new CountMark(5, "socket"));
    assertEquals(5, m.records());
    assertEquals(Map.of(), m.positions());
    assertEquals(new CountMark(5, "socket"), m);
  }
}
