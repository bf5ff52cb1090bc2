package io.iotbench.pipelines.prepare;

import io.iotbench.model.RecordFormatException;
import io.iotbench.model.TrainingCsvCodec;
import io.iotbench.model.TrainingRow;
import io.iotbench.pipelines.common.DeadLetter;
import io.iotbench.pipelines.common.DeadLetterCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
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
 * Validates training CSV lines: each must have a label of 0 or 1 (the original's {@code 1.00000} counts)
 * and exactly {@code sensors} finite values. Good lines come out under {@link #ROWS} with their parsed row
 * (the line stays with it, because the split hashes the text); every other line comes out under
 * {@link #DEAD_LETTERS} with the parser's one-line reason, and never stops the pipeline. Counters
 * {@code rows}, {@code valid} and {@code rejected} in {@link ValidateRowFn}'s namespace.
 */
public class ValidateRows extends PTransform<PCollection<String>, PCollectionTuple> {
  /** Lines that are valid rows, with the row they parse to. */
  public static final TupleTag<KV<String, TrainingRow>> ROWS = new TupleTag<>() {};
  /** Lines that are not. */
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};
  /** The stage name dead letters of this step carry. */
  public static final String STAGE = "validate";

  private final int sensors;

  /** @param sensors the number of values every row must have */
  public ValidateRows(int sensors) {
    if (sensors < 1) {
      throw new IllegalArgumentException("sensors must be >= 1, not " + sensors);
    }
    this.sensors = sensors;
  }

  @Override
  public PCollectionTuple expand(PCollection<String> lines) {
    PCollectionTuple result =
        lines.apply(
            "ParseAndCheck", ParDo.of(new ValidateRowFn(sensors)).withOutputTags(ROWS, TupleTagList.of(DEAD_LETTERS)));
    result.get(ROWS).setCoder(KvCoder.of(StringUtf8Coder.of(), TrainingRowCoder.of()));
    result.get(DEAD_LETTERS).setCoder(DeadLetterCoder.of());
    return result;
  }

  /** Parses one line; the model's codec does the checking and names the bad field. */
  static class ValidateRowFn extends DoFn<String, KV<String, TrainingRow>> {
    private final Counter rows = Metrics.counter(ValidateRowFn.class, "rows");
    private final Counter valid = Metrics.counter(ValidateRowFn.class, "valid");
    private final Counter rejected = Metrics.counter(ValidateRowFn.class, "rejected");
    private final int sensors;

    ValidateRowFn(int sensors) {
      this.sensors = sensors;
    }

    @ProcessElement
    public void processElement(@Element String line, MultiOutputReceiver out) {
      rows.inc();
      try {
        TrainingRow row = TrainingCsvCodec.parse(line, sensors);
        valid.inc();
        out.get(ROWS).output(KV.of(line, row));
      } catch (RecordFormatException e) {
        rejected.inc();
        out.get(DEAD_LETTERS).output(new DeadLetter(line, STAGE, e.getMessage()));
      }
    }
  }
}
