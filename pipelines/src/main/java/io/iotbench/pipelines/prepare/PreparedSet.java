package io.iotbench.pipelines.prepare;

import io.iotbench.model.TrainingRow;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.common.Json;
import io.iotbench.pipelines.common.storage.AtomicOutput;
import io.iotbench.pipelines.generate.TrainingFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The layout of a prepared folder, the contract between {@code prepare}, {@code train} and {@code evaluate}:
 * {@code train/} and {@code test/} hold Parquet files of {@link #SCHEMA} (label: double, features:
 * array&lt;double&gt;; Spark reads them directly and turns the array into a vector), {@code rejected/} the
 * dead letters as JSON lines, {@value #INFO_FILE} describes the set ({@link Info}), and the marker
 * {@value AtomicOutput#MARKER} says it is complete (readers refuse a folder without it).
 */
public final class PreparedSet {
  public static final String TRAIN = "train";
  public static final String TEST = "test";
  public static final String REJECTED = "rejected";
  public static final String INFO_FILE = "dataset.json";
  public static final String PARQUET_GLOB = "*.parquet";

  /** One labeled row: the label as a double (what MLlib wants) and the sensor values. */
  public static final Schema SCHEMA =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"LabeledRow\",\"namespace\":\"io.iotbench\",\"fields\":["
                  + "{\"name\":\"label\",\"type\":\"double\"},"
                  + "{\"name\":\"features\",\"type\":{\"type\":\"array\",\"items\":\"double\"}}]}");

  /**
   * What {@code prepare} wrote, saved as {@value #INFO_FILE}.
   *
   * @param sensors values per row
   * @param input what was read
   * @param testFraction the test share asked for
   * @param seed the split seed
   * @param rowsRead lines read
   * @param trainRows rows in {@code train/}
   * @param testRows rows in {@code test/}
   * @param rejectedRows lines in {@code rejected/}
   */
  public record Info(
      int sensors,
      String input,
      double testFraction,
      long seed,
      long rowsRead,
      long trainRows,
      long testRows,
      long rejectedRows) {}

  private PreparedSet() {}

  /** A sub-folder of the prepared folder, as a FileSystems location string. */
  public static String folder(String prepared, String name) {
    return TrainingFiles.directory(prepared).resolve(name, StandardResolveOptions.RESOLVE_DIRECTORY).toString();
  }

  /** The glob of the Parquet files of {@code train} or {@code test}. */
  public static String parquetGlob(String prepared, String name) {
    return FileSystems.matchNewResource(folder(prepared, name), true)
        .resolve(PARQUET_GLOB, StandardResolveOptions.RESOLVE_FILE)
        .toString();
  }

  /** The info file of a prepared folder. */
  public static ResourceId infoFile(String prepared) {
    return TrainingFiles.directory(prepared).resolve(INFO_FILE, StandardResolveOptions.RESOLVE_FILE);
  }

  /** The Avro record of a row. The values array is shared, not copied: Parquet only reads it. */
  public static GenericRecord toRecord(TrainingRow row) {
    GenericRecord record = new GenericData.Record(SCHEMA);
    record.put(0, (double) row.label());
    // parquet-avro writes a double[] directly, without boxing a hundred Doubles per row.
    record.put(1, row.values());
    return record;
  }

  /**
   * The training row of a prepared set's record, checked to have {@code sensors} values.
   *
   * @throws IllegalArgumentException naming what is wrong, as {@link #fromRecord} or "has N features, expected M"
   */
  public static TrainingRow fromRecord(GenericRecord record, int sensors) {
    TrainingRow row = fromRecord(record);
    if (row.sensors() != sensors) {
      throw new IllegalArgumentException("has " + row.sensors() + " features, expected " + sensors);
    }
    return row;
  }

  /**
   * The row of an Avro record read back from Parquet.
   *
   * @throws IllegalArgumentException if the label is not 0 or 1 or a value is missing or not finite
   */
  public static TrainingRow fromRecord(GenericRecord record) {
    Object label = record.get("label");
    Object features = record.get("features");
    if (!(label instanceof Double l) || (l != 0.0 && l != 1.0)) {
      throw new IllegalArgumentException("label is not 0 or 1: " + label);
    }
    if (!(features instanceof List<?> list)) {
      throw new IllegalArgumentException("features is not a list of numbers: " + features);
    }
    double[] values = new double[list.size()];
    for (int i = 0; i < values.length; i++) {
      if (!(list.get(i) instanceof Double v)) {
        throw new IllegalArgumentException("feature " + (i + 1) + " is not a number: " + list.get(i));
      }
      values[i] = v;
    }
    return new TrainingRow(l.intValue(), values);
  }

  /** Writes the info file of {@code prepared}. */
  public static void writeInfo(String prepared, Info info) throws IOException {
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(infoFile(prepared), MimeTypes.TEXT))) {
      Json.PRETTY.writeValue(out, info);
    }
  }

  /** Whether {@code location} is a prepared folder (it has an info file). */
  public static boolean isPrepared(String location) throws IOException {
    MatchResult match = FileSystems.match(infoFile(location).toString(), EmptyMatchTreatment.ALLOW);
    return match.status() == MatchResult.Status.OK && !match.metadata().isEmpty();
  }

  /**
   * Checks that the prepared folder {@code prepared} is complete (its {@value AtomicOutput#MARKER} marker).
   *
   * @throws InvalidOptionException naming {@code --option} and the missing marker
   */
  public static void requireComplete(String option, String given, String prepared) throws IOException {
    AtomicOutput.requireComplete(option, given, prepared);
  }

  /** Reads the info file of {@code prepared}. */
  public static Info readInfo(String prepared) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(infoFile(prepared)))) {
      return Json.MAPPER.readValue(in, Info.class);
    }
  }

  /** The files now matching {@code glob} (none when nothing matches). */
  public static List<ResourceId> match(String glob) throws IOException {
    MatchResult match = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
    List<ResourceId> files = new ArrayList<>();
    if (match.status() == MatchResult.Status.OK) {
      for (MatchResult.Metadata m : match.metadata()) {
        files.add(m.resourceId());
      }
    }
    return files;
  }

  /**
   * Removes the files of an earlier run from sub-folder {@code name}, so fewer shards this time do not leave
   * stale ones that readers of the folder would take for this run's.
   */
  public static void clear(String prepared, String name) throws IOException {
    String glob =
        FileSystems.matchNewResource(folder(prepared, name), true).resolve("*", StandardResolveOptions.RESOLVE_FILE).toString();
    FileSystems.delete(match(glob));
  }
}
