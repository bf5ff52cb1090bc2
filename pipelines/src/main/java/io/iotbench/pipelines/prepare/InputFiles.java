package io.iotbench.pipelines.prepare;

import io.iotbench.model.RecordFormatException;
import io.iotbench.model.TrainingCsvCodec;
import io.iotbench.pipelines.common.BoundedLineReader;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.common.storage.AtomicOutput;
import io.iotbench.pipelines.generate.TrainingFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToIntFunction;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Resolves the {@code --input} of a command that reads labeled rows, tells CSV from Parquet, and looks at the
 * first rows before the pipeline starts. An input is a file, a glob, or a folder (any FileSystems location):
 * a folder stands for its part files ({@code part-*}, as the generator and prepare write them), else its
 * {@code *.parquet} files, else all its files, and must be a complete output (its {@value AtomicOutput#MARKER}
 * marker, or that of the prepared folder it is a set of); files and globs are read as they are (the original
 * benchmark's files have no marker). The files are Parquet (the prepared format) when every one is
 * named {@code *.parquet} or the first one starts with Parquet's magic bytes {@code PAR1}; otherwise CSV text,
 * possibly compressed (recognized by the extension). Lines are read with a limit of {@link #MAX_ROW_CHARS}
 * characters: a longer one is never a row.
 */
public final class InputFiles {
  /** How many lines {@link #firstRow} reads at most before giving up. */
  public static final int MAX_PEEK_LINES = 1000;
  /**
   * The longest CSV row, in characters (1 MiB; a row of 100 sensors is under 1 KiB). A longer line is a dead
   * letter, with only its first {@code MAX_ROW_CHARS + 1} characters as payload.
   */
  public static final int MAX_ROW_CHARS = 1 << 20;
  /** The file name ending of Parquet files. */
  public static final String PARQUET_SUFFIX = ".parquet";

  private static final byte[] PARQUET_MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  /**
   * The first row of an input: where it was found, the line, and its number of sensor values.
   *
   * @param file the file
   * @param line the line
   * @param sensors its number of sensor values
   */
  public record FirstRow(ResourceId file, String line, int sensors) {}

  private InputFiles() {}

  /**
   * The file pattern to read for {@code input}: a folder becomes the glob of its part files, else of its
   * {@code *.parquet} files, else of all its files; anything else is used as it is.
   *
   * @throws InvalidOptionException if nothing matches
   */
  public static String resolve(String input) throws IOException {
    InvalidOptionException.check(input != null && !input.isBlank(), "input", input, "must name a file, folder or glob");
    String normalized = TrainingFiles.normalize(input);
    if (!hasWildcard(normalized)) {
      for (String glob : new String[] {TrainingFiles.partGlob(normalized), inFolder(normalized, "*" + PARQUET_SUFFIX), inFolder(normalized, "*")}) {
        if (!PreparedSet.match(glob).isEmpty()) {
          requireComplete(input, normalized);
          return glob;
        }
      }
    }
    if (PreparedSet.match(normalized).isEmpty()) {
      throw new InvalidOptionException("--input=" + input + ": no file matches it");
    }
    return normalized;
  }

  /**
   * Checks that the folder {@code input} is a complete output: it has the marker, or it is a set of a prepared
   * folder that has one.
   *
   * @throws InvalidOptionException naming {@code --input} and the missing marker
   */
  static void requireComplete(String input, String folder) throws IOException {
    if (AtomicOutput.isComplete(folder)) {
      return;
    }
    Optional<String> prepared = parentIfPrepared(folder);
    AtomicOutput.requireComplete("input", input, prepared.orElse(folder));
  }

  private static Optional<String> parentIfPrepared(String folder) throws IOException {
    String trimmed = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
    int slash = trimmed.lastIndexOf('/');
    if (slash <= 0 || trimmed.substring(0, slash).endsWith(":/")) {
      return Optional.empty();
    }
    String parent = trimmed.substring(0, slash + 1);
    return PreparedSet.isPrepared(parent) ? Optional.of(parent) : Optional.empty();
  }

  private static String inFolder(String folder, String glob) {
    return TrainingFiles.directory(folder).resolve(glob, StandardResolveOptions.RESOLVE_FILE).toString();
  }

  /**
   * Whether the files of {@code pattern} are Parquet: all named {@code *.parquet}, or the first (in name order)
   * starting with {@code PAR1}.
   *
   * @throws InvalidOptionException if some are named {@code *.parquet} and others are not
   */
  public static boolean isParquet(String input, String pattern) throws IOException {
    List<ResourceId> files = sortedFiles(pattern);
    long named = files.stream().filter(f -> f.getFilename() != null && f.getFilename().endsWith(PARQUET_SUFFIX)).count();
    if (named > 0 && named < files.size()) {
      throw new InvalidOptionException(
          String.format(
              Locale.ROOT,
              "--input=%s: %d of its %d files are Parquet (*%s) and the others are not; give a glob that matches one kind",
              input,
              named,
              files.size(),
              PARQUET_SUFFIX));
    }
    return (named > 0 && named == files.size()) || (!files.isEmpty() && startsWithParquetMagic(files.get(0)));
  }

  /** Whether {@code file} starts with Parquet's magic bytes (read as stored, not decompressed). */
  public static boolean startsWithParquetMagic(ResourceId file) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(file))) {
      return Arrays.equals(PARQUET_MAGIC, in.readNBytes(PARQUET_MAGIC.length));
    }
  }

  /**
   * The prepared folder that holds the files of {@code pattern} in one of its sets (their folder's parent has a
   * {@value PreparedSet#INFO_FILE}), if any.
   */
  public static Optional<String> enclosingPreparedSet(String pattern) throws IOException {
    List<ResourceId> files = sortedFiles(pattern);
    if (files.isEmpty()) {
      return Optional.empty();
    }
    return parentIfPrepared(files.get(0).getCurrentDirectory().toString());
  }

  private static List<ResourceId> sortedFiles(String pattern) throws IOException {
    List<ResourceId> files = PreparedSet.match(pattern);
    files.sort(Comparator.comparing(ResourceId::toString));
    return files;
  }

  /**
   * The first line, in file-name order, that is a valid training row of any width; empty when none of the
   * first {@link #MAX_PEEK_LINES} lines is. Reads only those lines.
   */
  public static Optional<FirstRow> firstRow(String pattern) throws IOException {
    return firstRow(pattern, InputFiles::width);
  }

  /** The number of values of {@code line} as a training row, or -1 if it is not one. */
  private static int width(String line) {
    try {
      return TrainingCsvCodec.parse(line, 0).sensors();
    } catch (RecordFormatException e) {
      // not a row: a header, a blank or a damaged line; the pipeline's dead letters will show it
      return -1;
    }
  }

  /**
   * The first line, in file-name order, to which {@code width} gives a number of values (not -1); empty when
   * it gives none to the first {@link #MAX_PEEK_LINES} lines. Reads only those lines.
   */
  public static Optional<FirstRow> firstRow(String pattern, ToIntFunction<String> width) throws IOException {
    int read = 0;
    for (ResourceId file : sortedFiles(pattern)) {
      Compression compression = Compression.detect(file.getFilename());
      try (BoundedLineReader reader =
          BoundedLineReader.utf8(Channels.newInputStream(compression.readDecompressed(FileSystems.open(file))), MAX_ROW_CHARS)) {
        String line;
        while (read < MAX_PEEK_LINES && (line = reader.readLine()) != null) {
          read++;
          int sensors = reader.lastLineCut() ? -1 : width.applyAsInt(line);
          if (sensors > 0) {
            return Optional.of(new FirstRow(file, line, sensors));
          }
        }
      }
      if (read >= MAX_PEEK_LINES) {
        break;
      }
    }
    return Optional.empty();
  }

  /**
   * The number of sensors of {@code pattern}'s rows, from its first valid row.
   *
   * @throws InvalidOptionException if there is none among the first lines
   */
  public static int inferSensors(String input, String pattern) throws IOException {
    return firstRow(pattern)
        .map(FirstRow::sensors)
        .orElseThrow(
            () ->
                new InvalidOptionException(
                    "--input=" + input + ": cannot infer the number of sensors: none of the first " + MAX_PEEK_LINES
                        + " lines is a valid row (label,v1,...,vn); give --sensors"));
  }

  /** The error text of a line longer than {@link #MAX_ROW_CHARS}: a dead letter, never parsed. */
  public static String tooLongError(int length) {
    return String.format(Locale.ROOT, "line is too long: %d characters, more than the limit of %d", length, MAX_ROW_CHARS);
  }

  /** The payload a dead letter keeps of a line longer than {@link #MAX_ROW_CHARS}: its first characters. */
  public static String tooLongPayload(String line) {
    return line.substring(0, MAX_ROW_CHARS + 1);
  }

  private static boolean hasWildcard(String spec) {
    return spec.indexOf('*') >= 0 || spec.indexOf('?') >= 0 || spec.indexOf('[') >= 0 || spec.indexOf('{') >= 0;
  }
}
