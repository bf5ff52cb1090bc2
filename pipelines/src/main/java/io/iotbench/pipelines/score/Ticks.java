package io.iotbench.pipelines.score;

import io.iotbench.pipelines.score.source.CountMark;
import io.iotbench.pipelines.score.source.EndOfRun;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * One tick per period of processing time, numbered from 0 and stamped with the time it was handed out (what
 * {@code GenerateSequence.from(0).withRate(1, period)} gives), that ends when the run does: once {@link EndOfRun}
 * is signalled the reader hands out nothing more and its watermark is the end of time, so the tick windows of the
 * empty-interval report close and a drained pipeline can finish. A reader created again by the runner goes on from
 * its checkpoint's count.
 */
final class Ticks extends PTransform<PBegin, PCollection<Long>> {
  private static final long serialVersionUID = 1L;
  private final Duration period;

  Ticks(Duration period) {
    this.period = period;
  }

  @Override
  public PCollection<Long> expand(PBegin begin) {
    return begin.apply("ReadTicks", Read.from(new TickSource(period.getMillis())));
  }

  /** The unbounded source of the ticks (one split). */
  static final class TickSource extends UnboundedSource<Long, CountMark> {
    private static final long serialVersionUID = 1L;
    private final long periodMillis;

    TickSource(long periodMillis) {
      this.periodMillis = periodMillis;
    }

    @Override
    public List<? extends UnboundedSource<Long, CountMark>> split(int desiredNumSplits, PipelineOptions options) {
      return List.of(this);
    }

    @Override
    public UnboundedReader<Long> createReader(PipelineOptions options, CountMark checkpoint) {
      return new TickReader(this, checkpoint == null ? 0 : checkpoint.records());
    }

    @Override
    public Coder<CountMark> getCheckpointMarkCoder() {
      return new CountMark.Coder();
    }

    @Override
    public Coder<Long> getOutputCoder() {
      return VarLongCoder.of();
    }
  }

  /** Hands out a tick each time its period has passed since the reader started; never blocks. */
  static final class TickReader extends UnboundedSource.UnboundedReader<Long> {
    private final TickSource source;
    private long ticks;
    private long nextMillis;
    private Long current;
    private Instant timestamp;
    private Instant watermark = BoundedWindow.TIMESTAMP_MIN_VALUE;
    private boolean ended;

    TickReader(TickSource source, long ticks) {
      this.source = source;
      this.ticks = ticks;
    }

    @Override
    public boolean start() {
      nextMillis = System.currentTimeMillis();
      return advance();
    }

    @Override
    public boolean advance() {
      if (ended || EndOfRun.signalled()) {
        ended = true;
        return false;
      }
      long now = System.currentTimeMillis();
      watermark = new Instant(now);
      if (now < nextMillis) {
        return false;
      }
      current = ticks++;
      timestamp = watermark;
      // A reader that fell behind (Spark reads only during part of each micro-batch) catches up, as GenerateSequence's.
      nextMillis += source.periodMillis;
      return true;
    }

    @Override
    public Long getCurrent() {
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
      return ended ? BoundedWindow.TIMESTAMP_MAX_VALUE : watermark;
    }

    @Override
    public UnboundedSource.CheckpointMark getCheckpointMark() {
      return new CountMark(ticks);
    }

    @Override
    public UnboundedSource<Long, ?> getCurrentSource() {
      return source;
    }

    @Override
    public void close() {}
  }
}
