package io.iotbench.pipelines.score.source;

import io.iotbench.pipelines.common.BoundedLineReader;
import java.io.IOException;
import java.nio.channels.Channels;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * The bounded read of a recorded event file (a file or glob, any FileSystems location, compressed files
 * recognized by extension): one element per line, read with a {@link BoundedLineReader}, so the record rules
 * are those of every other source: a line longer than {@code maxRecordBytes} characters comes out cut to its
 * first {@code maxRecordBytes + 1} (the parse stage makes it a {@code tooLong} dead letter) and is never held
 * whole, and an empty line comes out as a blank record {@code " "} (a dead letter {@code empty}). Elements
 * keep the read's timestamp; the parse stage stamps each event with its own time. Unlike TextIO, a file is
 * read by one worker from start to end (files are not split into byte ranges); several files are read in
 * parallel.
 */
public final class ReadFileRecords extends PTransform<PBegin, PCollection<String>> {
  private static final long serialVersionUID = 1L;

  private final String filepattern;
  private final int maxRecordBytes;

  /**
   * @param filepattern the file or glob to read
   * @param maxRecordBytes the longest line handed on whole
   */
  public ReadFileRecords(String filepattern, int maxRecordBytes) {
    this.filepattern = filepattern;
    this.maxRecordBytes = maxRecordBytes;
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    return begin
        .apply("MatchFiles", FileIO.match().filepattern(filepattern))
        .apply("OpenFiles", FileIO.readMatches())
        .apply("ReadLines", ParDo.of(new ReadLinesFn(maxRecordBytes)))
        .setCoder(StringUtf8Coder.of());
  }

  /** Reads the lines of one file. */
  static final class ReadLinesFn extends DoFn<FileIO.ReadableFile, String> {
    private static final long serialVersionUID = 1L;
    private final int maxRecordBytes;

    ReadLinesFn(int maxRecordBytes) {
      this.maxRecordBytes = maxRecordBytes;
    }

    @ProcessElement
    public void processElement(@Element FileIO.ReadableFile file, OutputReceiver<String> out) throws IOException {
      try (BoundedLineReader in = BoundedLineReader.utf8(Channels.newInputStream(file.open()), maxRecordBytes)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          out.output(line.isEmpty() ? " " : line);
        }
      }
    }
  }
}
