package io.iotbench.pipelines.prepare;

import io.iotbench.model.RecordFormatException;
import io.iotbench.model.TrainingCsvCodec;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.generate.TrainingFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.ToIntFunction;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Resolves the {@code --input} of a command that reads training CSV, and looks at its first rows before the
 * pipeline starts. An input is a file, a glob, or a folder of the generator's part files (any FileSystems
 * location; files may be compressed, recognized by their extension).
 */
public final class InputFiles {
  /** How many lines {@link #firstRow} reads at most before giving up. */
  public static final int MAX_PEEK_LINES = 1000;

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
   * The file pattern to read for {@code input}: a folder holding part files becomes its part-file glob, anything
   * else is used as it is.
   *
   * @throws InvalidOptionException if nothing matches
   */
  public static String resolve(String input) throws IOException {
    InvalidOptionException.check(input != null && !input.isBlank(), "input", input, "must name a file, folder or glob");
    String normalized = TrainingFiles.normalize(input);
    if (!hasWildcard(normalized) && !PreparedSet.match(TrainingFiles.partGlob(normalized)).isEmpty()) {
      return TrainingFiles.partGlob(normalized);
    }
    if (PreparedSet.match(normalized).isEmpty()) {
      throw new InvalidOptionException("--input=" + input + ": no file matches it");
    }
    return normalized;
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
    List<ResourceId> files = PreparedSet.match(pattern);
    files.sort(Comparator.comparing(ResourceId::toString));
    int read = 0;
    for (ResourceId file : files) {
      Compression compression = Compression.detect(file.getFilename());
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(
                  Channels.newInputStream(compression.readDecompressed(FileSystems.open(file))),
                  StandardCharsets.UTF_8))) {
        String line;
        while (read < MAX_PEEK_LINES && (line = reader.readLine()) != null) {
          read++;
          int sensors = width.applyAsInt(line);
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

  private static boolean hasWildcard(String spec) {
    return spec.indexOf('*') >= 0 || spec.indexOf('?') >= 0 || spec.indexOf('[') >= 0 || spec.indexOf('{') >= 0;
  }
}
