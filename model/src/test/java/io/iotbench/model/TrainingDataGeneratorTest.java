package io.iotbench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TrainingDataGeneratorTest {
  private static final Pattern ROW = Pattern.compile("[01](,0\\.\\d{5}){3}\n");

  private static String rows(TrainingDataGenerator g, int sensors, int count) {
    byte[] buf = new byte[TrainingDataGenerator.maxRowBytes(sensors) * count];
    int offset = 0;
    for (int i = 0; i < count; i++) {
      offset = g.writeRow(buf, offset);
    }
    assertEquals(buf.length, offset);
    return new String(buf, StandardCharsets.US_ASCII);
  }

  @Test
  void writesFixedLengthRowsOfFiveDecimalValues() {
    TrainingDataGenerator g = new TrainingDataGenerator(3, LabelingRule.defaultCutoff(3), 1, 0);
    byte[] buf = new byte[100];
    Arrays.fill(buf, (byte) '#');
    int end = g.writeRow(buf, 5);
    assertEquals(5 + TrainingDataGenerator.maxRowBytes(3), end);
    assertEquals(26, TrainingDataGenerator.maxRowBytes(3));
    String row = new String(buf, 5, end - 5, StandardCharsets.US_ASCII);
    assertTrue(ROW.matcher(row).matches(), row);
    assertEquals('#', buf[4]); // nothing outside the row is touched
    assertEquals('#', buf[end]);
  }

  @Test
  void valuesAreTheSeededNextIntsOverOneHundredThousand() {
    int sensors = 4;
    TrainingDataGenerator g = new TrainingDataGenerator(sensors, 5.0, 11, 3);
    SplittableRandom expected = new SplittableRandom(TrainingDataGenerator.partitionSeed(11, 3));
    for (String line : rows(g, sensors, 50).split("\n")) {
      TrainingRow row = TrainingCsvCodec.parse(line, sensors);
      long sum = 0;
      for (int i = 0; i < sensors; i++) {
        int k = expected.nextInt(100_000);
        assertEquals(k / 100_000.0, row.values()[i], line);
        sum += (long) (i + 1) * k;
      }
      assertEquals(sum > 500_000 ? 1 : 0, row.label(), line);
    }
  }

  @Test
  void labelsAgreeWithTheLabelingRuleOnParsedRows() {
    int sensors = 100;
    double cutoff = LabelingRule.defaultCutoff(sensors);
    TrainingDataGenerator g = new TrainingDataGenerator(sensors, cutoff, 2024, 0);
    String[] lines = rows(g, sensors, 10_000).split("\n");
    assertEquals(10_000, lines.length);
    long ones = 0;
    for (String line : lines) {
      TrainingRow row = TrainingCsvCodec.parse(line, sensors);
      assertEquals(LabelingRule.label(row.values(), cutoff), row.label(), line);
      ones += row.label();
    }
    assertEquals(10_000, g.rowsWritten());
    assertEquals(ones, g.ones());
    double share = ones / 10_000.0;
    assertTrue(share >= 0.48 && share <= 0.52, "share of ones " + share);
  }

  @Test
  void aScoreEqualToTheCutoffIsLabelledZero() {
    byte[] buf = new byte[TrainingDataGenerator.maxRowBytes(50)];
    new TrainingDataGenerator(50, 0, 77, 2).writeRow(buf, 0);
    TrainingRow row = TrainingCsvCodec.parse(new String(buf, StandardCharsets.US_ASCII).trim(), 50);
    long sumK = 0;
    for (int i = 0; i < 50; i++) {
      sumK += (i + 1) * Math.round(row.values()[i] * 100_000);
    }
    double tie = sumK / 100_000.0;
    assertEquals((double) sumK, tie * 100_000.0); // the cutoff really is the row's score
    new TrainingDataGenerator(50, tie, 77, 2).writeRow(buf, 0);
    assertEquals('0', buf[0]);
    new TrainingDataGenerator(50, Math.nextDown(tie), 77, 2).writeRow(buf, 0);
    assertEquals('1', buf[0]);
  }

  @Test
  void cutoffControlsTheShareOfOnes() {
    TrainingDataGenerator low = new TrainingDataGenerator(10, -1, 5, 0);
    TrainingDataGenerator high = new TrainingDataGenerator(10, 55, 5, 0); // above the maximum score
    rows(low, 10, 100);
    rows(high, 10, 100);
    assertEquals(100, low.ones());
    assertEquals(0, high.ones());
    TrainingDataGenerator tenPercent =
        new TrainingDataGenerator(100, CutoffCalculator.normal(100, 10), 5, 0);
    rows(tenPercent, 100, 10_000);
    assertEquals(0.10, tenPercent.ones() / 10_000.0, 0.015);
  }

  @Test
  void sameSeedAndPartitionGiveIdenticalBytesOtherPartitionsDiffer() {
    String a = rows(new TrainingDataGenerator(20, 105, 42, 0), 20, 200);
    assertEquals(a, rows(new TrainingDataGenerator(20, 105, 42, 0), 20, 200));
    String otherPartition = rows(new TrainingDataGenerator(20, 105, 42, 1), 20, 200);
    String otherSeed = rows(new TrainingDataGenerator(20, 105, 43, 0), 20, 200);
    Set<String> rowsOfA = new HashSet<>(Arrays.asList(a.split("\n")));
    for (String row : otherPartition.split("\n")) {
      assertFalse(rowsOfA.contains(row), row);
    }
    for (String row : otherSeed.split("\n")) {
      assertFalse(rowsOfA.contains(row), row);
    }
  }

  @Test
  void partitionSeedsAreDistinctAndWellMixed() {
    Set<Long> seeds = new HashSet<>();
    for (long seed = 0; seed < 10; seed++) {
      for (int partition = 0; partition < 1000; partition++) {
        seeds.add(TrainingDataGenerator.partitionSeed(seed, partition));
      }
    }
    assertEquals(10_000, seeds.size());
    // neighbouring partitions differ in about half of their bits
    int bits = 0;
    for (int p = 0; p < 1000; p++) {
      bits += Long.bitCount(TrainingDataGenerator.partitionSeed(7, p) ^ TrainingDataGenerator.partitionSeed(7, p + 1));
    }
    assertEquals(32.0, bits / 1000.0, 1.0);
  }

  @Test
  void rejectsBadArgumentsAndShortBuffers() {
    assertThrows(IllegalArgumentException.class, () -> TrainingDataGenerator.maxRowBytes(0));
    assertThrows(IllegalArgumentException.class,
        () -> TrainingDataGenerator.maxRowBytes(TrainingDataGenerator.MAX_SENSORS + 1));
    assertThrows(IllegalArgumentException.class, () -> new TrainingDataGenerator(0, 1, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new TrainingDataGenerator(3, Double.NaN, 1, 0));
    TrainingDataGenerator g = new TrainingDataGenerator(3, 3, 1, 0);
    assertThrows(IndexOutOfBoundsException.class, () -> g.writeRow(new byte[25], 0));
    assertThrows(IndexOutOfBoundsException.class, () -> g.writeRow(new byte[30], 5));
    assertThrows(IndexOutOfBoundsException.class, () -> g.writeRow(new byte[30], -1));
    assertEquals(0, g.rowsWritten());
  }

  @Test
  void largeRowsParseAndAgree() {
    int sensors = 100_000;
    double cutoff = LabelingRule.defaultCutoff(sensors);
    TrainingDataGenerator g = new TrainingDataGenerator(sensors, cutoff, 9, 0);
    String text = rows(g, sensors, 3);
    String[] lines = text.split("\n");
    for (String line : lines) {
      TrainingRow row = TrainingCsvCodec.parse(line, sensors);
      assertEquals(LabelingRule.label(row.values(), cutoff), row.label());
    }
    assertArrayEquals(new int[] {3}, new int[] {lines.length});
  }
}
