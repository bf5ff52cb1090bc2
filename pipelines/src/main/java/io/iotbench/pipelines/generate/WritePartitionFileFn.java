package io.iotbench.pipelines.generate;

import io.iotbench.model.TrainingDataGenerator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Generates one partition's rows and writes them to that partition's file. The rows are formatted straight into
 * a byte buffer and written through a FileSystems channel, instead of one String element per row through
 * TextIO: writing is the generator's hot path, and per-element overhead would dominate it on every runner. The
 * file is written under a temporary name and renamed when complete, so readers never see a partial file; a
 * retried partition rewrites the same bytes, because its random stream depends only on the seed and partition.
 */
class WritePartitionFileFn extends DoFn<Integer, PartitionFile> {
  private static final int MIN_BUFFER_BYTES = 1 << 20;

  private final Counter rowsCounter = Metrics.counter(WritePartitionFileFn.class, "rows");
  private final Counter onesCounter = Metrics.counter(WritePartitionFileFn.class, "ones");
  private final Counter bytesCounter = Metrics.counter(WritePartitionFileFn.class, "textBytes");

  private final GenerateSpec spec;

  WritePartitionFileFn(GenerateSpec spec) {
    this.spec = spec;
  }

  @ProcessElement
  public void processElement(@Element Integer partition, OutputReceiver<PartitionFile> out) throws IOException {
    ResourceId target = TrainingFiles.partFile(spec.output(), partition, spec.partitions(), spec.compression());
    ResourceId temp =
        target
            .getCurrentDirectory()
            .resolve(
                "." + target.getFilename() + "." + UUID.randomUUID() + ".inprogress",
                StandardResolveOptions.RESOLVE_FILE);
    TrainingDataGenerator generator = new TrainingDataGenerator(spec.sensors(), spec.cutoff(), spec.seed(), partition);
    GenerateProgress progress = GenerateProgress.of(spec.runId(), spec.totalRows());
    int maxRow = TrainingDataGenerator.maxRowBytes(spec.sensors());
    byte[] buffer = new byte[Math.max(MIN_BUFFER_BYTES, 4 * maxRow)];
    long textBytes = 0;
    try (WritableByteChannel channel = spec.compression().writeCompressed(FileSystems.create(temp, MimeTypes.TEXT))) {
      int length = 0;
      long rowsInBuffer = 0;
      for (long row = 0; row < spec.rowsPerPartition(); row++) {
        if (length + maxRow > buffer.length) {
          writeFully(channel, buffer, length);
          textBytes += length;
          progress.add(rowsInBuffer, length);
          length = 0;
          rowsInBuffer = 0;
        }
        length = generator.writeRow(buffer, length);
        rowsInBuffer++;
      }
      writeFully(channel, buffer, length);
      textBytes += length;
      progress.add(rowsInBuffer, length);
    } catch (IOException | RuntimeException e) {
      FileSystems.delete(List.of(temp));
      throw e;
    }
    FileSystems.rename(List.of(temp), List.of(target));
    rowsCounter.inc(generator.rowsWritten());
    onesCounter.inc(generator.ones());
    bytesCounter.inc(textBytes);
    out.output(new PartitionFile(target.toString(), generator.rowsWritten(), generator.ones(), textBytes));
  }

  private static void writeFully(WritableByteChannel channel, byte[] buffer, int length) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, length);
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }
}
