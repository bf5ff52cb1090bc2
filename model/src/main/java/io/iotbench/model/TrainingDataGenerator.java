package io.iotbench.model;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Writes random labelled training rows as CSV bytes, the generator's hot loop; use one instance per
 * partition (instances are not thread-safe). Every value is k/100000 with
 * k = {@code random.nextInt(100_000)}, drawn for sensors 1..n in order from
 * {@code new SplittableRandom(partitionSeed(seed, partition))}, and written as {@code 0.} plus five
 * digits, so the text is the exact value and a reader can recompute the label. The label is decided in
 * exact integer arithmetic, &Sigma; i&middot;k<sub>i</sub> &gt; cutoff&middot;100000, which agrees with
 * {@link LabelingRule#label} on the parsed values except when the score is within rounding error
 * (~1e-12 relative) of the cutoff. Rows are written without allocating, boxing or {@code String}s.
 */
public final class TrainingDataGenerator {

  /** Values are k / SCALE with 0 &le; k &lt; SCALE: five decimals. */
  private static final int SCALE = 100_000;

  /** The largest supported row: &Sigma; i&middot;k<sub>i</sub> then stays far below 2<sup>63</sup>. */
  public static final int MAX_SENSORS = 10_000_000;

  private final int sensors;
  private final int rowBytes;
  /** floor(cutoff&middot;100000), clamped to a long: sum &gt; it exactly when sum &gt; cutoff&middot;100000. */
  private final long scaledCutoffFloor;
  private final SplittableRandom random;
  private long rowsWritten;
  private long ones;

  /**
   * @param sensors the number of values per row, n &ge; 1
   * @param cutoff rows whose score exceeds it are labelled 1 (e.g. {@link LabelingRule#defaultCutoff})
   * @param seed the run's seed, the same for every partition
   * @param partition this instance's partition; each partition gets an independent stream
   */
  public TrainingDataGenerator(int sensors, double cutoff, long seed, int partition) {
    this.rowBytes = maxRowBytes(sensors);
    if (!Double.isFinite(cutoff)) {
      throw new IllegalArgumentException("cutoff must be finite, not " + cutoff);
    }
    this.sensors = sensors;
    this.scaledCutoffFloor = (long) Math.floor(cutoff * SCALE); // the cast saturates at the long range
    this.random = new SplittableRandom(partitionSeed(seed, partition));
  }

  /**
   * The seed of a partition's random stream: the SplitMix64 finaliser of
   * seed&middot;0x9E3779B97F4A7C15 + partition, so neighbouring partitions (and seeds) get unrelated
   * streams.
   */
  public static long partitionSeed(long seed, int partition) {
    long z = seed * 0x9E3779B97F4A7C15L + partition;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * The length of every row of {@code sensors} values, line break included: 2 + 8&middot;sensors
   * ({@code L,} then {@code 0.xxxxx} and a comma or line break per value).
   *
   * @throws IllegalArgumentException if sensors is not within 1..{@link #MAX_SENSORS}
   */
  public static int maxRowBytes(int sensors) {
    if (sensors < 1 || sensors > MAX_SENSORS) {
      throw new IllegalArgumentException("sensors must be 1.." + MAX_SENSORS + ", not " + sensors);
    }
    return 2 + 8 * sensors;
  }

  /**
   * Writes the next row, {@code label,0.xxxxx,...,0.xxxxx\n} in ASCII, at {@code buf[offset..]}.
   *
   * @return the offset after the row (always offset + {@link #maxRowBytes}(sensors))
   * @throws IndexOutOfBoundsException if fewer than {@link #maxRowBytes} bytes are left
   */
  public int writeRow(byte[] buf, int offset) {
    Objects.checkFromIndexSize(offset, rowBytes, buf.length);
    int p = offset + 2; // the label goes first but is known last
    long sum = 0;
    for (int i = 1; i <= sensors; i++) {
      int k = random.nextInt(SCALE);
      sum += (long) i * k;
      p = FixedDecimal.appendFraction5(buf, p, k);
      buf[p++] = ',';
    }
    buf[p - 1] = '\n';
    // sum is an integer, so comparing it with the floor is the exact sum > cutoff * 100000, even
    // where sum no longer fits a double's mantissa
    boolean one = sum > scaledCutoffFloor;
    buf[offset] = one ? (byte) '1' : (byte) '0';
    buf[offset + 1] = ',';
    rowsWritten++;
    if (one) {
      ones++;
    }
    return p;
  }

  /** Rows written so far. */
  public long rowsWritten() {
    return rowsWritten;
  }

  /** Rows labelled 1 so far. */
  public long ones() {
    return ones;
  }
}
