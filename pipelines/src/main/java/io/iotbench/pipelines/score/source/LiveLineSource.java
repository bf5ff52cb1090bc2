package io.iotbench.pipelines.score.source;

import java.io.IOException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * An unbounded source of text records from a {@link LineFeed} (a TCP socket or an MQTT subscription), one
 * split, stamped by an {@link EventClock}. Each output element is a chunk of up to {@value #MAX_CHUNK_LINES}
 * records joined by line breaks, stamped with the earliest event time in it: the DirectRunner's overhead is
 * per element (a few thousand elements/s here), and {@link io.iotbench.pipelines.score.ParseEvents} splits the
 * chunk and re-stamps every event with its own time. Its reader never blocks: {@code advance()} returns false at once
 * when nothing is buffered, so a runner's bundle is never held up waiting for the network. Once the run has reached
 * its end ({@link EndOfRun}) and the buffer is empty, the reader ends: {@code advance()} returns false for good and
 * the watermark is the end of time, so every window fires and the run drains.
 *
 * <p>A source that can seek (Kafka) places each record (partition, offset): the reader keeps its positions in its
 * checkpoint mark, drops a record below them (read again after a rebalance or a seek back) and counts it. A record the
 * feed marks as a suspected duplicate (read again after a restart: see {@link LineFeed#suspect}) is handed out and
 * counted as such. The counts travel in the data, not in a metric of the reader (runners do not all report a reader's
 * metrics): a chunk that starts with a line break opens with a note line {@code duplicatesSkipped=N} or
 * {@code duplicatesSkipped=N,duplicatesSuspected=M} (no record is empty, so no chunk of records starts with one),
 * which the parse stage counts and skips.
 */
public abstract class LiveLineSource extends UnboundedSource<String, CountMark> {
  private static final long serialVersionUID = 1L;

  /** The empty record a quiet source hands out now and then to carry its watermark (see the reader). */
  public static final String HEARTBEAT = "";
  /** The most lines handed out as one record. */
  public static final int MAX_CHUNK_LINES = 1000;
  /** A chunk takes no further line once it is this long (characters), so long records make short chunks. */
  static final int MAX_CHUNK_CHARS = 1 << 20;
  /** How long a live source's connection may be down during a run before the run fails, unless given. */
  public static final long DEFAULT_OUTAGE_LIMIT_MILLIS = 20_000;
  static final long HEARTBEAT_MILLIS = Long.getLong("iotbench.heartbeatMillis", 200);
  /** The note line's labels (see the class comment). */
  public static final String DUPLICATES_NOTE = "duplicatesSkipped=";
  public static final String SUSPECTED_NOTE = "duplicatesSuspected=";

  private final String id = UUID.randomUUID().toString();
  private final RecordSettings settings;
  private final long outageLimitMillis;

  /**
   * @param outageLimitMillis how long the connection may be down (unreachable, closed, not answering) before the
   *     source fails, and with it the pipeline
   */
  protected LiveLineSource(RecordSettings settings, long outageLimitMillis) {
    this.settings = settings;
    this.outageLimitMillis = outageLimitMillis;
  }

  /** How long the connection may be down before the source fails. */
  protected long outageLimitMillis() {
    return outageLimitMillis;
  }

  /** How this source reads and stamps its records. */
  protected RecordSettings settings() {
    return settings;
  }

  /** A new feed for this source (called once per JVM). */
  protected abstract LineFeed createFeed();

  /**
   * A chunk with its note of {@code duplicates} records skipped and {@code suspected} records handed out that may be
   * duplicates ({@code chunk} may be empty).
   */
  static String noted(long duplicates, long suspected, String chunk) {
    return "\n" + DUPLICATES_NOTE + duplicates + (suspected == 0 ? "" : "," + SUSPECTED_NOTE + suspected)
        + (chunk.isEmpty() ? "" : "\n" + chunk);
  }

  /** The duplicates skipped a note line (without its leading line break) reports, or 0 if it is no note of ours. */
  public static long duplicatesNoted(String note) {
    return noted(note, DUPLICATES_NOTE);
  }

  /** The suspected duplicates a note line reports, or 0. */
  public static long suspectedNoted(String note) {
    return noted(note, SUSPECTED_NOTE);
  }

  private static long noted(String note, String label) {
    if (!note.startsWith(DUPLICATES_NOTE)) {
      return 0;
    }
    for (String part : note.split(",")) {
      if (part.startsWith(label)) {
        try {
          return Long.parseLong(part.substring(label.length()));
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 0;
  }

  @Override
  public List<? extends UnboundedSource<String, CountMark>> split(int desiredNumSplits, PipelineOptions options) {
    return List.of(this); // one connection: a socket or a topic subscription does not split
  }

  @Override
  public UnboundedReader<String> createReader(PipelineOptions options, CountMark checkpoint) {
    return new Reader(this, checkpoint == null ? new CountMark(0) : checkpoint);
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
    private final LiveLineSource source;
    private EventClock clock;
    private final CountMark from;
    private ReadPositions positions;
    private LineFeed feed;
    private long records;
    private String current;
    private Instant timestamp;
    private long lastOutputMillis = System.currentTimeMillis();
    private boolean ended;

    Reader(LiveLineSource source, CountMark from) {
      this.source = source;
      this.from = from;
      this.records = from.records();
    }

    @Override
    public boolean start() throws IOException {
      feed = LineFeed.get(source.id, k -> source.createFeed());
      clock = feed.clock(source.settings::newClock);
      positions = new ReadPositions(feed.resume(from));
      return advance();
    }

    @Override
    public boolean advance() throws IOException {
      if (ended) {
        return false;
      }
      // Hand out what is buffered as one chunk of lines: the DirectRunner's cost is per element, not per byte.
      StringBuilder chunk = new StringBuilder();
      long earliest = Long.MAX_VALUE;
      int lines = 0;
      boolean placed = false;
      long suspected = 0;
      for (Object next = feed.poll(); next != null;
          next = lines < MAX_CHUNK_LINES && chunk.length() < MAX_CHUNK_CHARS ? feed.pollNow() : null) {
        String text;
        if (next instanceof LineFeed.Placed p) {
          if (!feed.isCurrent(p) || !positions.take(p.partition(), p.offset())) {
            continue; // fetched before a seek (it comes again), or a duplicate (counted)
          }
          placed = true;
          if (feed.suspect(p)) {
            suspected++;
          }
          text = p.text();
        } else {
          text = (String) next;
        }
        if (lines > 0) {
          chunk.append('\n');
        }
        chunk.append(text);
        earliest = Math.min(earliest, clock.stamp(text).getMillis());
        lines++;
      }
      if (placed) {
        feed.handedOut(positions.snapshot());
      }
      long duplicates = positions.takeDuplicates();
      if (lines == 0 && duplicates == 0) {
        if (feed.failure() != null) {
          throw new IOException(feed.failure());
        }
        if (EndOfRun.signalled()) {
          ended = true; // the feed takes no more records and its buffer is empty
          return false;
        }
        return heartbeat();
      }
      lastOutputMillis = System.currentTimeMillis();
      String text = chunk.toString();
      current = duplicates == 0 && suspected == 0 ? text : noted(duplicates, suspected, text);
      // The parser re-stamps each event with its own (later) time; a bare note goes at the watermark.
      timestamp = lines == 0 ? clock.watermark() : new Instant(earliest);
      records += lines;
      return true;
    }

    /**
     * While idle, hands out an empty record (the parser skips it) every {@value #HEARTBEAT_MILLIS} ms at the
     * watermark: Beam's SDF wrapper of unbounded sources (the DirectRunner's default) only takes a new
     * watermark from the reader together with a record, so without it the last intervals of a stream that
     * went quiet (or ended with its sentinel) would never close.
     */
    private boolean heartbeat() {
      long now = System.currentTimeMillis();
      if (clock == null || now - lastOutputMillis < HEARTBEAT_MILLIS) {
        return false;
      }
      lastOutputMillis = now;
      current = HEARTBEAT;
      timestamp = clock.watermark();
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
      if (ended) {
        return BoundedWindow.TIMESTAMP_MAX_VALUE;
      }
      return clock == null ? BoundedWindow.TIMESTAMP_MIN_VALUE : clock.watermark();
    }

    @Override
    public CheckpointMark getCheckpointMark() {
      return new CountMark(records, source.id, positions.snapshot(), LineFeed.JVM);
    }

    @Override
    public UnboundedSource<String, ?> getCurrentSource() {
      return source;
    }

    @Override
    public long getSplitBacklogBytes() {
      return feed == null ? BACKLOG_UNKNOWN : feed.queue.size() * 64L;
    }

    @Override
    public void close() {
      // The feed outlives the reader on purpose (see LineFeed).
    }
  }
}
