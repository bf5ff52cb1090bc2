package io.iotbench.runners.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class FeatureTextTest {

  @Property(tries = 500)
  void readsBackEveryFiniteRowWrittenWithAnySeparatorSpacing(
      @ForAll @Size(min = 1, max = 120) double[] row, @ForAll boolean spaced) {
    double[] finite = Arrays.stream(row).map(v -> Double.isFinite(v) ? v : 0.0).toArray();
    String text = Arrays.stream(finite).mapToObj(Double::toString).collect(Collectors.joining(spaced ? " ,  " : ","));
    assertArrayEquals(finite, FeatureText.parse(text));
  }

  @Property(tries = 300)
  void readsIntegersAsTheWorkshopWritesThem(@ForAll @Size(min = 1, max = 50) int[] row) {
    String text = Arrays.stream(row).mapToObj(Integer::toString).collect(Collectors.joining(", "));
    assertArrayEquals(Arrays.stream(row).asDoubleStream().toArray(), FeatureText.parse(text));
  }

  @Property(tries = 500)
  void anyTextEitherParsesOrIsABadRequest(@ForAll String text) {
    try {
      FeatureText.parse(text);
    } catch (BadRequest e) {
      assertEquals(400, e.status());
    }
  }

  @Property(tries = 200)
  void aNonFiniteValueIsNamedWithItsPosition(
      @ForAll @Size(min = 1, max = 20) double[] row, @ForAll("nonFinite") String bad, @ForAll @DoubleRange(min = 0, max = 1) double where) {
    String[] values = Arrays.stream(row).mapToObj(v -> Double.isFinite(v) ? Double.toString(v) : "0").toArray(String[]::new);
    int i = (int) Math.min(values.length - 1, Math.floor(where * values.length));
    values[i] = bad;
    BadRequest e = assertThrows(BadRequest.class, () -> FeatureText.parse(String.join(", ", values)));
    assertEquals("'feature' value " + (i + 1) + " is not finite: " + bad, e.getMessage());
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> nonFinite() {
    return net.jqwik.api.Arbitraries.of("NaN", "Infinity", "-Infinity", "+inf", "nan", "1e400", "-1e999");
  }

  @Test
  void readsTheWorkshopExample() {
    assertArrayEquals(new double[] {0, 65, 0, 137, 21.95, 83, 19.42, 111, 9.4, 6, 3.43, 4},
        FeatureText.parse("0, 65, 0, 137, 21.95, 83, 19.42, 111, 9.4, 6, 3.43, 4"));
  }

  @Test
  void refusesWhatJavaWouldReadButIsNoPlainNumber() {
    assertEquals("'feature' value 2 is not a number: \"1d\"", assertThrows(BadRequest.class, () -> FeatureText.parse("1, 1d")).getMessage());
    assertEquals("'feature' value 1 is not a number: \"0x10\"", assertThrows(BadRequest.class, () -> FeatureText.parse("0x10")).getMessage());
    assertEquals("'feature' value 3 is empty", assertThrows(BadRequest.class, () -> FeatureText.parse("1, 2,, 4")).getMessage());
    assertEquals("'feature' value 3 is empty", assertThrows(BadRequest.class, () -> FeatureText.parse("1, 2, ")).getMessage());
    assertThrows(BadRequest.class, () -> FeatureText.parse("  "));
  }
}
