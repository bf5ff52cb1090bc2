package io.iotbench.pipelines.score.source;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.io.UnboundedSource;

/**
 * The checkpoint of our line sources: how many records the reader had handed out. It is immutable, and its
 * encoding depends only on that count: Beam's SDF wrapper on the DirectRunner finds a reader again by the
 * encoded checkpoint, and a checkpoint that changes after it was taken (as MqttIO's does) makes it open a
 * new reader, and a new connection, for every bundle. The file replay resumes at the count; live sources
 * cannot replay and ignore it, but a live source's feed may act when the runner finalizes the mark (the Kafka
 * feed commits the offsets of the records handed out up to it): the mark names its feed for that.
 */
public final class CountMark implements UnboundedSource.CheckpointMark {
  private final long records;
  private final String feed;

  public CountMark(long records) {
    this(records, "");
  }

  /** A mark of a live source whose {@link LineFeed} {@code feed} hears of its finalization. */
  public CountMark(long records, String feed) {
    this.records = records;
    this.feed = feed;
  }

  public long records() {
    return records;
  }

  @Override
  public void finalizeCheckpoint() {
    if (!feed.isEmpty()) {
      LineFeed.finalized(feed, records);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CountMark m && m.records == records && m.feed.equals(feed);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(records);
  }

  /** Coder of the mark. */
  public static final class Coder extends AtomicCoder<CountMark> {
    private static final long serialVersionUID = 1L;

    @Override
    public void encode(CountMark m, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeLong(m.records);
      data.writeUTF(m.feed);
      data.flush();
    }

    @Override
    public CountMark decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      long records = data.readLong();
      return new CountMark(records, data.readUTF());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
