package io.iotbench.pipelines.evaluate;

import io.iotbench.model.TrainingRow;
import io.iotbench.pipelines.prepare.TrainingRowCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * A labeled row to score and the producer (device) it came from; rows that carry no producer belong to
 * {@link #NO_PRODUCER}.
 *
 * @param producer the producer's id
 * @param row the label and sensor values
 */
public record LabeledRow(String producer, TrainingRow row) implements Serializable {
  /** The producer of rows that do not name one. */
  public static final String NO_PRODUCER = "all";

  public LabeledRow {
    Objects.requireNonNull(producer, "producer");
    Objects.requireNonNull(row, "row");
  }

  /** Encodes the producer and the row; deterministic. */
  public static final class Coder extends AtomicCoder<LabeledRow> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(LabeledRow value, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(value.producer(), out);
      TrainingRowCoder.of().encode(value.row(), out);
    }

    @Override
    public LabeledRow decode(InputStream in) throws IOException {
      return new LabeledRow(StringUtf8Coder.of().decode(in), TrainingRowCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
