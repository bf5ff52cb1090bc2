package io.iotbench.pipelines.score.source;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.io.UnboundedSource;

/**
 * The checkpoint of our line sources: how many records the reader had handed out and, for a source that can
 * seek (Kafka), its positions: partition &rarr; the offset after the last record this reader handed out. It is
 * immutable, and its encoding depends only on its content (positions sorted by partition): Beam's SDF wrapper on the
 * DirectRunner finds a reader again by the encoded checkpoint, and a checkpoint that changes after it was taken (as
 * MqttIO's does) makes it open a new reader, and a new connection, for every bundle. The file replay resumes at the
 * count; a Kafka reader created from a mark makes its feed seek to the mark's positions (a restart from a runner's
 * checkpoint reads on exactly where the mark was taken); the socket and MQTT sources cannot replay and ignore it. A
 * live source's feed may act when the runner finalizes the mark (the Kafka feed commits the mark's positions): the
 * mark names its feed for that.
 */
public final class CountMark implements UnboundedSource.CheckpointMark {
  private static final SortedMap<Integer, Long> NONE = Collections.unmodifiableSortedMap(new TreeMap<>());

  private final long records;
  private final String feed;
  private final SortedMap<Integer, Long> positions;
  private final String origin;

  public CountMark(long records) {
    this(records, "");
  }

  /** A mark of a live source whose {@link LineFeed} {@code feed} hears of its finalization. */
  public CountMark(long records, String feed) {
    this(records, feed, NONE);
  }

  /**
   * A mark of a live source that can seek: {@code positions} maps each partition the reader has handed out records of
   * to the offset after the last of them (copied).
   */
  public CountMark(long records, String feed, java.util.Map<Integer, Long> positions) {
    this(records, feed, positions, "");
  }

  /** The same, taken by a reader in the JVM named {@code origin} ({@link LineFeed#JVM}). */
  public CountMark(long records, String feed, java.util.Map<Integer, Long> positions, String origin) {
    this.records = records;
    this.feed = feed;
    this.positions = positions.isEmpty() ? NONE : Collections.unmodifiableSortedMap(new TreeMap<>(positions));
    this.origin = origin;
  }

  /** The JVM whose reader took this mark ({@link LineFeed#JVM}), or "" if unknown. */
  public String origin() {
    return origin;
  }

  public long records() {
    return records;
  }

  /** Partition &rarr; next offset after the records handed out; empty for sources that cannot seek. */
  public SortedMap<Integer, Long> positions() {
    return positions;
  }

  @Override
  public void finalizeCheckpoint() {
    if (!feed.isEmpty()) {
      LineFeed.finalized(feed, this);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CountMark m && m.records == records && m.feed.equals(feed) && m.positions.equals(positions)
        && m.origin.equals(origin);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(records) * 31 + positions.hashCode();
  }

  @Override
  public String toString() {
    return "CountMark{records=" + records + (positions.isEmpty() ? "" : ", positions=" + positions)
        + (origin.isEmpty() ? "" : ", origin=" + origin) + "}";
  }

  /** Coder of the mark: the count, the feed, the positions in partition order, then the origin. */
  public static final class Coder extends AtomicCoder<CountMark> {
    private static final long serialVersionUID = 1L;

    @Override
    public void encode(CountMark m, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeLong(m.records);
      data.writeUTF(m.feed);
      data.writeInt(m.positions.size());
      for (var e : m.positions.entrySet()) {
        data.writeInt(e.getKey());
        data.writeLong(e.getValue());
      }
      data.writeUTF(m.origin);
      data.flush();
    }

    @Override
    public CountMark decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      long records = data.readLong();
      String feed = data.readUTF();
      int n = data.readInt();
      if (n < 0) {
        throw new IOException("corrupt checkpoint mark: " + n + " positions");
      }
      TreeMap<Integer, Long> positions = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        positions.put(data.readInt(), data.readLong());
      }
      return new CountMark(records, feed, positions, data.readUTF());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
