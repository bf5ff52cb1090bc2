package io.iotbench.pipelines.evaluate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.PCollection;

/**
 * Computes the {@link BinaryMetrics} of scored rows: the exact AUROC and area under PR (the same numbers Spark
 * MLlib's {@code BinaryClassificationMetrics} gives without binning, {@link BinaryCurve}), accuracy and the
 * confusion matrix. One global combine counts rows per distinct (score, prediction); the curve needs every
 * distinct score in one place, sorted, so the final accumulator holds about 28 bytes per distinct score (a
 * few MB for a million-row test set). Emits exactly one element, also for no rows.
 */
public class ComputeBinaryMetrics extends PTransform<PCollection<ScoredRow>, PCollection<BinaryMetrics>> {
  @Override
  public PCollection<BinaryMetrics> expand(PCollection<ScoredRow> rows) {
    return rows.apply("CountByScore", Combine.globally(new MetricsFn())).setCoder(SerializableCoder.of(BinaryMetrics.class));
  }

  /** Row counts per distinct (probability, prediction): [rows of label 0, rows of label 1]. */
  static final class Counts implements Serializable {
    private static final long serialVersionUID = 1L;
    final Map<Key, long[]> byKey = new HashMap<>();

    void add(double score, int prediction, int label, long n) {
      byKey.computeIfAbsent(new Key(score, prediction), k -> new long[2])[label == 1 ? 1 : 0] += n;
    }
  }

  record Key(double score, int prediction) implements Serializable {}

  static final class MetricsFn extends Combine.CombineFn<ScoredRow, Counts, BinaryMetrics> {
    @Override
    public Counts createAccumulator() {
      return new Counts();
    }

    @Override
    public Counts addInput(Counts counts, ScoredRow row) {
      counts.add(row.probability(), row.prediction(), row.label(), 1);
      return counts;
    }

    @Override
    public Counts mergeAccumulators(Iterable<Counts> accumulators) {
      Counts merged = new Counts();
      for (Counts c : accumulators) {
        c.byKey.forEach((k, v) -> {
          merged.add(k.score(), k.prediction(), 0, v[0]);
          merged.add(k.score(), k.prediction(), 1, v[1]);
        });
      }
      return merged;
    }

    @Override
    public BinaryMetrics extractOutput(Counts counts) {
      // Sort distinct scores from the highest down; equal scores with different predictions share a point.
      List<Map.Entry<Key, long[]>> entries = new ArrayList<>(counts.byKey.entrySet());
      entries.sort((a, b) -> Double.compare(b.getKey().score(), a.getKey().score()));
      List<long[]> points = new ArrayList<>();
      double previous = Double.NaN;
      long[][] confusion = new long[2][2];
      long rows = 0;
      for (Map.Entry<Key, long[]> e : entries) {
        long negatives = e.getValue()[0];
        long positives = e.getValue()[1];
        int prediction = e.getKey().prediction();
        confusion[0][prediction] += negatives;
        confusion[1][prediction] += positives;
        rows += negatives + positives;
        if (!points.isEmpty() && Double.compare(e.getKey().score(), previous) == 0) {
          long[] last = points.get(points.size() - 1);
          last[0] += positives;
          last[1] += negatives;
        } else {
          points.add(new long[] {positives, negatives});
        }
        previous = e.getKey().score();
      }
      long[] positives = new long[points.size()];
      long[] negatives = new long[points.size()];
      for (int i = 0; i < points.size(); i++) {
        positives[i] = points.get(i)[0];
        negatives[i] = points.get(i)[1];
      }
      BinaryCurve curve = new BinaryCurve(positives, negatives);
      return new BinaryMetrics(rows, curve.auroc(), curve.aupr(), confusion[1][1], confusion[0][1], confusion[0][0], confusion[1][0]);
    }

    @Override
    public Coder<Counts> getAccumulatorCoder(CoderRegistry registry, Coder<ScoredRow> inputCoder) {
      return CountsCoder.INSTANCE;
    }
  }

  /** Entry count, then (score, prediction, negatives, positives) per entry. */
  static final class CountsCoder extends AtomicCoder<Counts> {
    static final CountsCoder INSTANCE = new CountsCoder();

    @Override
    public void encode(Counts counts, OutputStream out) throws IOException {
      java.io.DataOutputStream data = new java.io.DataOutputStream(out);
      VarInt.encode(counts.byKey.size(), out);
      for (Map.Entry<Key, long[]> e : counts.byKey.entrySet()) {
        data.writeDouble(e.getKey().score());
        data.flush();
        out.write(e.getKey().prediction());
        VarInt.encode(e.getValue()[0], out);
        VarInt.encode(e.getValue()[1], out);
      }
    }

    @Override
    public Counts decode(InputStream in) throws IOException {
      java.io.DataInputStream data = new java.io.DataInputStream(in);
      Counts counts = new Counts();
      int n = VarInt.decodeInt(in);
      for (int i = 0; i < n; i++) {
        double score = data.readDouble();
        int prediction = in.read();
        counts.add(score, prediction, 0, VarInt.decodeLong(in));
        counts.add(score, prediction, 1, VarInt.decodeLong(in));
      }
      return counts;
    }
  }
}
