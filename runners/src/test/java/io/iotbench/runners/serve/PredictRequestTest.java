package io.iotbench.runners.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The /predict body reader never fails otherwise than with a 400 naming the problem, and reads good bodies exactly. */
class PredictRequestTest {
  // The server's own reader configuration.
  private static final JsonMapper JSON = ModelServer.JSON;
  private static final String[] GOOD = {
      "{\"feature\": \"1, 2.5, -3\"}", "{\"features\": [1, 2.5, -3]}", "{\"instances\": [[1, 2.5, -3], [0, 0, 1e2]]}",
      "{\"model\": {\"x\": [1]}, \"features\": [1, 2.5, -3]}"};

  @Test
  void readsEachGoodShape() {
    assertArrayEquals(new double[] {1, 2.5, -3}, parse(GOOD[0]).rows().get(0));
    assertArrayEquals(new double[] {1, 2.5, -3}, parse(GOOD[1]).rows().get(0));
    PredictRequest batch = parse(GOOD[2]);
    assertTrue(batch.batch());
    assertArrayEquals(new double[] {0, 0, 100}, batch.rows().get(1));
    assertArrayEquals(new double[] {1, 2.5, -3}, parse(GOOD[3]).rows().get(0));
  }

  @Property(tries = 2000)
  void aMutatedBodyIsReadOrRefusedWith400(
      @ForAll @IntRange(min = 0, max = 3) int which, @ForAll @IntRange(min = 0, max = 200) int at, @ForAll("junk") String junk) {
    String good = GOOD[which];
    int i = at % good.length();
    check(good.substring(0, i) + junk + good.substring(Math.min(good.length(), i + 1)));
  }

  @Property(tries = 1000)
  void anyTextIsReadOrRefusedWith400(@ForAll String text) {
    check(text);
  }

  @Provide
  Arbitrary<String> junk() {
    return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(3),
        Arbitraries.of("NaN", "\"", "[", "]", "{", "}", ",", "null", "1e999", "true", "\"x\"", "-", "."));
  }

  private static void check(String body) {
    try {
      PredictRequest request = parse(body);
      assertTrue(!request.rows().isEmpty());
      for (double[] row : request.rows()) {
        assertEquals(3, row.length);
        for (double v : row) {
          assertTrue(Double.isFinite(v));
        }
      }
    } catch (BadRequest e) {
      assertEquals(400, e.status());
      assertTrue(!e.getMessage().isBlank());
    }
  }

  private static PredictRequest parse(String body) {
    return PredictRequest.parse(JSON, body.getBytes(StandardCharsets.UTF_8), 3);
  }
}
