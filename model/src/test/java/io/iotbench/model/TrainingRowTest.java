package io.iotbench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TrainingRowTest {

  @Test
  void valueBasedEqualityOverArrayContents() {
    TrainingRow a = new TrainingRow(1, new double[] {0.5, 0.25});
    TrainingRow b = new TrainingRow(1, new double[] {0.5, 0.25});
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, new TrainingRow(0, new double[] {0.5, 0.25}));
    assertNotEquals(a, new TrainingRow(1, new double[] {0.5, 0.26}));
    assertNotEquals(a, new TrainingRow(1, new double[] {0.5}));
    assertEquals("TrainingRow[label=1, values=[0.5, 0.25]]", a.toString());
    assertEquals(2, a.sensors());
    assertEquals(1, a.label());
    assertArrayEquals(new double[] {0.5, 0.25}, a.values());
  }

  @Test
  void constructorCopiesTheArray() {
    double[] values = {0.5, 0.25};
    TrainingRow row = new TrainingRow(0, values);
    values[0] = 0.75;
    assertEquals(0.5, row.values()[0]);
  }

  @Test
  void rejectsInvalidRows() {
    assertThrows(IllegalArgumentException.class, () -> new TrainingRow(2, new double[] {0.5}));
    assertThrows(IllegalArgumentException.class, () -> new TrainingRow(-1, new double[] {0.5}));
    assertThrows(IllegalArgumentException.class, () -> new TrainingRow(0, new double[0]));
    assertThrows(IllegalArgumentException.class, () -> new TrainingRow(0, new double[] {Double.NaN}));
    assertThrows(IllegalArgumentException.class,
        () -> new TrainingRow(0, new double[] {0.1, Double.POSITIVE_INFINITY}));
    assertThrows(NullPointerException.class, () -> new TrainingRow(0, null));
  }
}
