package io.iotbench.runners.portability;

import io.iotbench.model.TrainingCsvCodec;
import io.iotbench.pipelines.prepare.PreparedSet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * The canonical form of a run's output: its records sorted (runners shard and order differently, the answer must
 * not), a SHA-256 over the sorted records each followed by a newline, and their count; plus the first record where
 * two runs differ. Sorting happens in memory: the study is meant for test-sized outputs (millions of short records
 * fit in a few GB of heap).
 */
public final class CanonicalRecords {
  /**
   * A canonical output.
   *
   * @param sorted the records, sorted
   * @param sha256 lower-case hex SHA-256 of the sorted records, each followed by '\n'
   */
  public record Canonical(List<String> sorted, String sha256) {
    public long count() {
      return sorted.size();
    }
  }

  /**
   * Where two canonical outputs first differ, in sorted order.
   *
   * @param index the 0-based position in sorted order
   * @param expected the reference's record there, or null when the reference has fewer records
   * @param actual the other run's record there, or null when it has fewer records
   */
  public record Difference(long index, String expected, String actual) {
    /** One line for the report, records cut to {@code max} characters. */
    public String describe(String referenceLabel, int max) {
      return "sorted record " + (index + 1) + ": " + referenceLabel + " has " + quote(expected, max) + ", this run has " + quote(actual, max);
    }

    private static String quote(String record, int max) {
      if (record == null) {
        return "no record";
      }
      return "'" + (record.length() > max ? record.substring(0, max) + "..." : record) + "'";
    }
  }

  private CanonicalRecords() {}

  /** Sorts {@code records} and computes the checksum. */
  public static Canonical of(List<String> records) {
    List<String> sorted = new ArrayList<>(records);
    sorted.sort(null);
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
    for (String record : sorted) {
      sha.update(record.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) '\n');
    }
    return new Canonical(List.copyOf(sorted), HexFormat.of().formatHex(sha.digest()));
  }

  /** The first position where two sorted outputs differ, or empty when they are equal. */
  public static Optional<Difference> firstDifference(List<String> referenceSorted, List<String> otherSorted) {
    int n = Math.max(referenceSorted.size(), otherSorted.size());
    for (int i = 0; i < n; i++) {
      String expected = i < referenceSorted.size() ? referenceSorted.get(i) : null;
      String actual = i < otherSorted.size() ? otherSorted.get(i) : null;
      if (expected == null || !expected.equals(actual)) {
        return Optional.of(new Difference(i, expected, actual));
      }
    }
    return Optional.empty();
  }

  /**
   * The lines of every {@code part-*} file in {@code dir} ({@code .gz} decompressed); hidden in-progress files are
   * not output. A missing folder is an error: the run wrote nothing.
   */
  public static List<String> linesOfPartFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("no output folder " + dir);
    }
    List<Path> parts;
    try (Stream<Path> files = Files.list(dir)) {
      parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
    }
    List<String> lines = new ArrayList<>();
    for (Path part : parts) {
      try (InputStream raw = Files.newInputStream(part);
          InputStream in = part.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
          BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          lines.add(line);
        }
      }
    }
    return lines;
  }

  /**
   * The lines of every visible file in {@code dir} (names not starting with {@code .} or {@code _}), in name order.
   * A missing folder is an error: the run wrote nothing.
   */
  public static List<String> linesOfFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("no output folder " + dir);
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.filter(p -> Files.isRegularFile(p))
          .filter(p -> !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().startsWith("_"))
          .sorted().toList();
    }
    List<String> lines = new ArrayList<>();
    for (Path file : files) {
      lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
    }
    return lines;
  }

  /** The rows of every {@code *.parquet} file {@code prepare} wrote into {@code dir}, as training CSV lines. */
  public static List<String> rowsOfParquetFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("no output folder " + dir);
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
    List<String> rows = new ArrayList<>();
    for (Path file : files) {
      try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
          HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration())).build()) {
        for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
          rows.add(TrainingCsvCodec.format(PreparedSet.fromRecord(r)));
        }
      }
    }
    return rows;
  }
}

