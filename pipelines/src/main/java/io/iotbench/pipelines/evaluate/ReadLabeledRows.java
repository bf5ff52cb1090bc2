package io.iotbench.pipelines.evaluate;

import io.iotbench.model.RecordFormatException;
import io.iotbench.model.TrainingCsvCodec;
import io.iotbench.model.TrainingRow;
import io.iotbench.pipelines.common.DeadLetter;
import io.iotbench.pipelines.common.DeadLetterCoder;
import io.iotbench.pipelines.prepare.InputFiles;
import io.iotbench.pipelines.prepare.PreparedSet;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads a labeled set to score: training CSV ({@code label,v1..vn}, or {@code producer,label,v1..vn} for rows
 * that name their producer) or the Parquet files of a prepared set. Rows come out under {@link #ROWS}; lines
 * or records that are not rows of {@code sensors} values come out under {@link #DEAD_LETTERS} with the reason.
 * Counters {@code rows}, {@code valid} and {@code rejected} in {@link ParseLabeledRowFn}'s namespace. A line
 * longer than {@link InputFiles#MAX_ROW_CHARS} is rejected unparsed (TextIO has read it whole by then), its dead
 * letter keeping only its first {@code MAX_ROW_CHARS + 1} characters.
 */
public class ReadLabeledRows extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<LabeledRow> ROWS = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};
  /** The stage name of this step's dead letters. */
  public static final String STAGE = "read";

  private final String pattern;
  private final boolean parquet;
  private final int sensors;

  /**
   * @param pattern the files to read
   * @param parquet whether they are a prepared set's Parquet files (else CSV)
   * @param sensors the number of values every row must have (the model's features)
   */
  public ReadLabeledRows(String pattern, boolean parquet, int sensors) {
    this.pattern = pattern;
    this.parquet = parquet;
    this.sensors = sensors;
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollectionTuple rows;
    if (parquet) {
      rows =
          begin
              .apply("ReadParquet", ParquetIO.read(PreparedSet.SCHEMA).from(pattern))
              .apply("CheckRecords", ParDo.of(new CheckRecordFn(sensors)).withOutputTags(ROWS, TupleTagList.of(DEAD_LETTERS)));
    } else {
      rows =
          begin
              .apply("ReadCsv", TextIO.read().from(pattern))
              .apply("ParseLines", ParDo.of(new ParseLabeledRowFn(sensors)).withOutputTags(ROWS, TupleTagList.of(DEAD_LETTERS)));
    }
    rows.get(ROWS).setCoder(LabeledRow.Coder.of());
    rows.get(DEAD_LETTERS).setCoder(DeadLetterCoder.of());
    return rows;
  }

  /**
   * Parses {@code producer,label,v1..vn} (when the line has n + 2 fields) or {@code label,v1..vn}.
   *
   * @throws RecordFormatException naming the field at fault
   */
  public static LabeledRow parse(String line, int sensors) {
    int fields = 1;
    int firstComma = -1;
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == ',') {
        fields++;
        if (firstComma < 0) {
          firstComma = i;
        }
      }
    }
    if (sensors > 0 && fields == sensors + 2) {
      String producer = line.substring(0, firstComma).strip();
      if (producer.isEmpty()) {
        throw new RecordFormatException("producer", "is empty", "", line);
      }
      try {
        return new LabeledRow(producer, TrainingCsvCodec.parse(line.substring(firstComma + 1), sensors));
      } catch (RecordFormatException e) {
        // re-raise against the whole line, so the dead letter names the field in the line as written
        throw new RecordFormatException(e.field(), problemOf(e), e.offendingText(), line);
      }
    }
    if (sensors > 0 && fields != sensors + 1) {
      throw new RecordFormatException(
          "line",
          "has " + fields + " fields, expected " + (sensors + 1) + " (label and " + sensors + " values) or "
              + (sensors + 2) + " (producer, label and " + sensors + " values)",
          line,
          null);
    }
    return new LabeledRow(LabeledRow.NO_PRODUCER, TrainingCsvCodec.parse(line, sensors));
  }

  /** The problem phrase of a codec error (its message between the field name and the quoted text). */
  private static String problemOf(RecordFormatException e) {
    String message = e.getMessage();
    String prefix = "field '" + e.field() + "' ";
    int start = message.startsWith(prefix) ? prefix.length() : 0;
    int end = message.indexOf(": '", start);
    return end > start ? message.substring(start, end) : message;
  }

  /**
   * The number of values of {@code line} read as a row of any width, with or without a producer field;
   * -1 when it is neither.
   */
  public static int widthOf(String line) {
    try {
      return TrainingCsvCodec.parse(line, 0).sensors();
    } catch (RecordFormatException e) {
      int comma = line.indexOf(',');
      if (comma > 0) {
        try {
          return TrainingCsvCodec.parse(line.substring(comma + 1), 0).sensors();
        } catch (RecordFormatException ignored) {
          // neither form
        }
      }
      return -1;
    }
  }

  /** Parses CSV lines. */
  static class ParseLabeledRowFn extends DoFn<String, LabeledRow> {
    private final Counter rows = Metrics.counter(ParseLabeledRowFn.class, "rows");
    private final Counter valid = Metrics.counter(ParseLabeledRowFn.class, "valid");
    private final Counter rejected = Metrics.counter(ParseLabeledRowFn.class, "rejected");
    private final int sensors;

    ParseLabeledRowFn(int sensors) {
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
        LabeledRow row = parse(line, sensors);
        valid.inc();
        out.get(ROWS).output(row);
      } catch (RecordFormatException e) {
        rejected.inc();
        out.get(DEAD_LETTERS).output(new DeadLetter(line, STAGE, e.getMessage()));
      }
    }
  }

  /** Checks Parquet records of a prepared set; counts into {@link ParseLabeledRowFn}'s counters. */
  static class CheckRecordFn extends DoFn<GenericRecord, LabeledRow> {
    private final Counter rows = Metrics.counter(ParseLabeledRowFn.class, "rows");
    private final Counter valid = Metrics.counter(ParseLabeledRowFn.class, "valid");
    private final Counter rejected = Metrics.counter(ParseLabeledRowFn.class, "rejected");
    private final int sensors;

    CheckRecordFn(int sensors) {
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
      out.get(ROWS).output(new LabeledRow(LabeledRow.NO_PRODUCER, row));
    }
  }
}
