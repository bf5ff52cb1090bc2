package io.iotbench.pipelines.score.source;

import io.iotbench.pipelines.common.BoundedLineReader;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * Replays a recorded event stream (one record per line, any FileSystems location) as an unbounded source
 * with event times: each record is stamped with its own timestamp, the watermark trails the newest event
 * time by the allowed out-of-orderness (records are handed out in chunks of lines, as by {@link LiveLineSource}), and at the end of the file it jumps to the end of time, so every
 * window closes and the pipeline finishes. It ends the same way, with the lines read so far, once the run has reached
 * its end ({@link EndOfRun}: {@code --maxEvents}, {@code --maxRuntime}, the sentinels, a stop signal). The checkpoint is the number of lines handed out, so a reader
 * recreated by the runner resumes where the last one stopped. Lines are replayed as fast as they can be
 * read (a benchmark and test driver, not a real-time simulator).
 *
 * <p>Lines are read with a {@link BoundedLineReader}: one longer than {@code maxRecordBytes} characters is
 * handed on cut to its first {@code maxRecordBytes + 1} (the parse stage makes it a {@code tooLong} dead
 * letter) and the rest of it is never held in memory; an empty line is handed on as a blank record {@code " "}
 * (a dead letter {@code empty}), so every line of the file is accounted for.
 */
public final class FileReplaySource extends UnboundedSource<String, CountMark> {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final RecordSettings settings;

  public FileReplaySource(String file, RecordSettings settings) {
    this.file = file;
    this.settings = settings;
  }

  @Override
  public List<? extends UnboundedSource<String, CountMark>> split(int desiredNumSplits, PipelineOptions options) {
    return List.of(this);
  }

  @Override
  public UnboundedReader<String> createReader(PipelineOptions options, CountMark checkpoint) {
    return new Reader(this, checkpoint == null ? 0 : checkpoint.records());
  }

  @Override
  public Coder<CountMark> getCheckpointMarkCoder() {
    return new CountMark.Coder();
  }

  @Override
  public Coder<String> getOutputCoder() {
    return StringUtf8Coder.of();
  }

  private static final class Reader extends UnboundedReader<String> {
    private final FileReplaySource source;
    private final EventClock clock;
    private final long skip;
    private long records;
    private BoundedLineReader in;
    private boolean done;
    private String current;
    private Instant timestamp;

    Reader(FileReplaySource source, long records) {
      this.source = source;
      this.skip = records;
      this.records = records;
      this.clock = source.settings.newClock();
    }

    @Override
    public boolean start() throws IOException {
      in = BoundedLineReader.utf8(
          Channels.newInputStream(FileSystems.open(FileSystems.matchSingleFileSpec(source.file).resourceId())),
          source.settings.maxRecordBytes());
      in.skipLines(skip);
      return advance();
    }

    @Override
    public boolean advance() throws IOException {
      if (done || EndOfRun.signalled()) {
        done = true;
        return false;
      }
      StringBuilder chunk = new StringBuilder(1 << 16);
      long earliest = Long.MAX_VALUE;
      int lines = 0;
      while (lines < LiveLineSource.MAX_CHUNK_LINES) {
        String line = in.readLine();
        if (line == null) {
          done = true;
          break;
        }
        records++;
        if (line.isEmpty()) {
          line = " "; // a blank record: counted as a dead letter, where "" would be a heartbeat
        }
        if (lines > 0) {
          chunk.append('\n');
        }
        chunk.append(line);
        earliest = Math.min(earliest, clock.stamp(line).getMillis());
        lines++;
      }
      if (lines == 0) {
        return false;
      }
      current = chunk.toString();
      timestamp = new Instant(earliest); // the parser re-stamps each event with its own (later) time
      return true;
    }

    @Override
    public String getCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return timestamp;
    }

    @Override
    public Instant getWatermark() {
      return done ? BoundedWindow.TIMESTAMP_MAX_VALUE : clock.watermark();
    }

    @Override
    public CheckpointMark getCheckpointMark() {
      return new CountMark(records);
    }

    @Override
    public UnboundedSource<String, ?> getCurrentSource() {
      return source;
    }

    @Override
    public void close() throws IOException {
      if (in != null) {
        in.close();
      }
    }
  }
}
