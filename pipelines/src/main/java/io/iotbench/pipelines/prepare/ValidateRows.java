package io.iotbench.pipelines.prepare;

import io.iotbench.model.RecordFormatException;
import io.iotbench.model.TrainingCsvCodec;
import io.iotbench.model.TrainingRow;
import io.iotbench.pipelines.common.DeadLetter;
import io.iotbench.pipelines.common.DeadLetterCoder;
import org.apache.avro.generic.GenericRecord;
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
 * {@code rows}, {@code valid} and {@code rejected} in {@link ValidateRowFn}'s namespace. A line longer than
 * {@link InputFiles#MAX_ROW_CHARS} is rejected unparsed, its dead letter keeping only its first
 * {@code MAX_ROW_CHARS + 1} characters. {@link Records} does the same for the Parquet records of a prepared set.
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
      if (line.length() > InputFiles.MAX_ROW_CHARS) {
        rejected.inc();
        out.get(DEAD_LETTERS).output(new DeadLetter(InputFiles.tooLongPayload(line), STAGE, InputFiles.tooLongError(line.length())));
        return;
      }
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

  /**
   * Validates the Parquet records of a prepared set (re-preparing it): each must be a row of {@code sensors}
   * values with a label of 0 or 1. Good records come out under {@link #ROWS} with the row's CSV text (what the
   * split hashes), the others under {@link #DEAD_LETTERS}; the counters are {@link ValidateRowFn}'s.
   */
  public static class Records extends PTransform<PCollection<GenericRecord>, PCollectionTuple> {
    private final int sensors;

    /** @param sensors the number of values every row must have */
    public Records(int sensors) {
      if (sensors < 1) {
        throw new IllegalArgumentException("sensors must be >= 1, not " + sensors);
      }
      this.sensors = sensors;
    }

    @Override
    public PCollectionTuple expand(PCollection<GenericRecord> records) {
      PCollectionTuple result =
          records.apply(
              "CheckRecords", ParDo.of(new ValidateRecordFn(sensors)).withOutputTags(ROWS, TupleTagList.of(DEAD_LETTERS)));
      result.get(ROWS).setCoder(KvCoder.of(StringUtf8Coder.of(), TrainingRowCoder.of()));
      result.get(DEAD_LETTERS).setCoder(DeadLetterCoder.of());
      return result;
    }
  }

  /** Checks one Parquet record; counts into {@link ValidateRowFn}'s counters. */
  static class ValidateRecordFn extends DoFn<GenericRecord, KV<String, TrainingRow>> {
    private final Counter rows = Metrics.counter(ValidateRowFn.class, "rows");
    private final Counter valid = Metrics.counter(ValidateRowFn.class, "valid");
    private final Counter rejected = Metrics.counter(ValidateRowFn.class, "rejected");
    private final int sensors;

    ValidateRecordFn(int sensors) {
      this.sensors = sensors;
    }

    @ProcessElement
    public void processElement(@Element GenericRecord record, MultiOutputReceiver out) {
      rows.inc();
      TrainingRow row;
      try {
        row = PreparedSet.fromRecord(record, sensors);
      } catch (IllegalArgumentException e) {
        rejected.inc();
        out.get(DEAD_LETTERS).output(new DeadLetter(record.toString(), STAGE, "record " + e.getMessage()));
        return;
      }
      valid.inc();
      out.get(ROWS).output(KV.of(TrainingCsvCodec.format(row), row));
    }
  }
}
