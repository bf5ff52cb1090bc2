package io.iotbench.pipelines.prepare;

import io.iotbench.model.TrainingRow;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Splits valid rows into a training and a test set by a hash of the row's text and a seed, not by a random
 * draw: the same input, seed and fraction put every row on the same side on every runner, every run and
 * however the input is partitioned. A row goes to the test set when {@link #unitHash} of its line is below
 * {@code testFraction}. Counters {@code train} and {@code test} in {@link SplitFn}'s namespace.
 */
public class SplitTrainingAndTestRows extends PTransform<PCollection<KV<String, TrainingRow>>, PCollectionTuple> {
  public static final TupleTag<TrainingRow> TRAIN = new TupleTag<>() {};
  public static final TupleTag<TrainingRow> TEST = new TupleTag<>() {};

  private static final long FNV_PRIME = 0x100000001b3L;

  private final double testFraction;
  private final long seed;

  /**
   * @param testFraction the share of rows for the test set, within [0, 1]
   * @param seed selects the split; another seed gives an independent split
   */
  public SplitTrainingAndTestRows(double testFraction, long seed) {
    if (!(testFraction >= 0 && testFraction <= 1)) {
      throw new IllegalArgumentException("testFraction must be within [0, 1], not " + testFraction);
    }
    this.testFraction = testFraction;
    this.seed = seed;
  }

  @Override
  public PCollectionTuple expand(PCollection<KV<String, TrainingRow>> rows) {
    PCollectionTuple result =
        rows.apply("AssignBySplitHash", ParDo.of(new SplitFn(testFraction, seed)).withOutputTags(TRAIN, TupleTagList.of(TEST)));
    result.get(TRAIN).setCoder(TrainingRowCoder.of());
    result.get(TEST).setCoder(TrainingRowCoder.of());
    return result;
  }

  /** Whether the row of {@code line} belongs to the test set. */
  public static boolean isTest(String line, long seed, double testFraction) {
    return unitHash(line, seed) < testFraction;
  }

  /**
   * A number in [0, 1) that depends only on {@code line} (without a trailing line break) and {@code seed}:
   * 64-bit FNV-1a over the line's UTF-8 bytes, started from a seed-derived basis, then the SplitMix64
   * finaliser (FNV alone mixes its last bytes poorly), top 53 bits as a fraction.
   */
  public static double unitHash(String line, long seed) {
    int end = line.length();
    if (end > 0 && line.charAt(end - 1) == '\n') {
      end--;
    }
    if (end > 0 && line.charAt(end - 1) == '\r') {
      end--;
    }
    long h = 0xcbf29ce484222325L ^ mix(seed);
    for (int i = 0; i < end; i++) {
      char c = line.charAt(i);
      if (c >= 0x80) {
        // Rows are ASCII; anything else is hashed by its UTF-8 bytes, which ASCII text equals anyway.
        return unitHashOfBytes(line.substring(0, end).getBytes(StandardCharsets.UTF_8), seed);
      }
      h ^= c;
      h *= FNV_PRIME;
    }
    return (mix(h) >>> 11) * 0x1.0p-53;
  }

  private static double unitHashOfBytes(byte[] bytes, long seed) {
    long h = 0xcbf29ce484222325L ^ mix(seed);
    for (byte b : bytes) {
      h ^= b & 0xff;
      h *= FNV_PRIME;
    }
    return (mix(h) >>> 11) * 0x1.0p-53;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Sends each row to the train or test output. */
  static class SplitFn extends DoFn<KV<String, TrainingRow>, TrainingRow> {
    private final Counter train = Metrics.counter(SplitFn.class, "train");
    private final Counter test = Metrics.counter(SplitFn.class, "test");
    private final double testFraction;
    private final long seed;

    SplitFn(double testFraction, long seed) {
      this.testFraction = testFraction;
      this.seed = seed;
    }

    @ProcessElement
    public void processElement(@Element KV<String, TrainingRow> row, MultiOutputReceiver out) {
      if (isTest(row.getKey(), seed, testFraction)) {
        test.inc();
        out.get(TEST).output(row.getValue());
      } else {
        train.inc();
        out.get(TRAIN).output(row.getValue());
      }
    }
  }
}
