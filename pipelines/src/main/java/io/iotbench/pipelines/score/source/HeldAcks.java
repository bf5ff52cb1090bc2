package io.iotbench.pipelines.score.source;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The acknowledgements an MQTT feed holds back until the runner has finalized a checkpoint that covers their
 * messages, so that a scorer that dies loses nothing: the broker redelivers every message it has not been
 * acknowledged (QoS 1, persistent session).
 *
 * <p>Messages are numbered in the order they were buffered ({@link #offered}); the buffer is first in, first out,
 * so the first {@code n} handed out ({@link #handedOut}) are messages 1..n. A checkpoint mark counts the records
 * its reader handed out in all (the count restarts from the runner's checkpoint, not from this feed), so each mark
 * taken is remembered with this feed's own count at that moment ({@link #marked}); finalizing that mark then
 * releases the acknowledgements of the messages up to it. A mark this feed did not see (taken before it existed:
 * an earlier feed of the same source, or another JVM) releases nothing; its messages, if still unacknowledged,
 * are released by a later mark or redelivered by the broker.
 *
 * <p>Acknowledgements belong to one connection: an MQTT packet id is only meaningful on the connection that
 * received the message, and the broker resends what was not acknowledged when the session resumes (possibly
 * reusing the ids). So a reconnection ({@link #reconnected}) drops the acknowledgements held from before it; their
 * messages come again (duplicates, never a loss).
 */
final class HeldAcks {
  private record Held(long number, long connection, Runnable ack) {}

  private final ArrayDeque<Held> held = new ArrayDeque<>();
  /** Reader count of a mark taken -> messages this feed had handed out then. */
  private final TreeMap<Long, Long> marks = new TreeMap<>();
  private long offered;
  private long handedOut;
  private long connection;

  /** A message was buffered; its acknowledgement {@code ack} is held until a finalized mark covers it. */
  synchronized void offered(Runnable ack) {
    offered++;
    held.addLast(new Held(offered, connection, ack));
  }

  /** {@code records} more buffered messages were handed to a reader. */
  synchronized void handedOut(long records) {
    handedOut += records;
  }

  /** A reader took a checkpoint mark that counts {@code readerRecords} records. */
  synchronized void marked(long readerRecords) {
    marks.put(readerRecords, handedOut);
  }

  /**
   * The runner finalized the mark that counts {@code readerRecords}: returns the acknowledgements to send now (those
   * of the messages handed out up to that mark, received on the current connection), and forgets them and every
   * older mark.
   */
  synchronized List<Runnable> finalized(long readerRecords) {
    Long covered = marks.get(readerRecords);
    List<Runnable> due = new ArrayList<>();
    if (covered == null) {
      return due;
    }
    marks.headMap(readerRecords, true).clear();
    while (!held.isEmpty() && held.peekFirst().number() <= covered) {
      Held h = held.pollFirst();
      if (h.connection() == connection) {
        due.add(h.ack());
      }
    }
    return due;
  }

  /** The connection was lost (the client reconnects by itself): the acknowledgements held so far are void. */
  synchronized void reconnected() {
    connection++;
  }

  /** Which connection the acknowledgements of {@link #finalized} belong to (they are void once it changed). */
  synchronized long connection() {
    return connection;
  }

  /** How many acknowledgements are held (for tests and logs). */
  synchronized int size() {
    return held.size();
  }
}
