package io.iotbench.pipelines.testing;

import io.iotbench.model.TrainingRow;
import io.iotbench.pipelines.prepare.PreparedSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/** Reads the rows of a folder of Parquet files written by {@code prepare}, outside any pipeline. */
public final class ParquetRows {
  private ParquetRows() {}

  /** The rows of every {@code *.parquet} file in {@code folder}, file by file in name order. */
  public static List<TrainingRow> read(Path folder) throws IOException {
    List<TrainingRow> rows = new ArrayList<>();
    for (Path file : files(folder)) {
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(
                  HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
              .build()) {
        for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
          rows.add(PreparedSet.fromRecord(r));
        }
      }
    }
    return rows;
  }

  /** The Parquet files of {@code folder}, in name order. */
  public static List<Path> files(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
  }
}
