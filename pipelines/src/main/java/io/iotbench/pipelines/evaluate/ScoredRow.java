package io.iotbench.pipelines.evaluate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Locale;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * One scored row: its producer, its true label, the model's label and the model's probability of label 1.
 *
 * @param producer the producer (device) id, or {@link LabeledRow#NO_PRODUCER}
 * @param label the true label
 * @param prediction the model's label
 * @param probability the model's probability of label 1
 */
public record ScoredRow(String producer, int label, int prediction, double probability) implements Serializable {
  /** The header of {@link #toCsv} lines. */
  public static final String CSV_HEADER = "producer,label,prediction,probability";

  public boolean isError() {
    return label != prediction;
  }

  /** {@code producer,label,prediction,probability}, the probability with Java's round-trip digits. */
  public String toCsv() {
    return String.format(Locale.ROOT, "%s,%d,%d,%s", producer, label, prediction, Double.toString(probability));
  }

  /** Encodes the four fields; deterministic. */
  public static final class Coder extends AtomicCoder<ScoredRow> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(ScoredRow value, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(value.producer(), out);
      out.write(value.label());
      out.write(value.prediction());
      DoubleCoder.of().encode(value.probability(), out);
    }

    @Override
    public ScoredRow decode(InputStream in) throws IOException {
      String producer = StringUtf8Coder.of().decode(in);
      int label = in.read();
      int prediction = in.read();
      return new ScoredRow(producer, label, prediction, DoubleCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
