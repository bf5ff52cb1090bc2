package io.iotbench.pipelines.score.source;

import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where one reader of a seekable source (Kafka) stands: per partition, the offset after the last record it handed
 * out, starting from its checkpoint mark's positions. A record below that position was already handed out by this
 * reader or by the readers its mark descends from (the feed read it again after a rebalance or a seek back): it is a
 * duplicate, dropped and counted. Partitions are small numbers, so the positions are an array indexed by partition:
 * the check costs an array access per record, no boxing. Not thread-safe: one reader's state.
 */
final class ReadPositions {
  private static final long UNKNOWN = -1;
  private long[] next;
  private long duplicates;

  ReadPositions(Map<Integer, Long> from) {
    int size = from.isEmpty() ? 1 : from.keySet().stream().mapToInt(Integer::intValue).max().getAsInt() + 1;
    next = new long[size];
    Arrays.fill(next, UNKNOWN);
    from.forEach((p, o) -> next[p] = o);
  }

  /**
   * Takes the record at {@code offset} of {@code partition}: true if it is new (the position moves past it), false if
   * it lies below the position (a duplicate, counted).
   */
  boolean take(int partition, long offset) {
    if (partition >= next.length) {
      int old = next.length;
      next = Arrays.copyOf(next, Math.max(partition + 1, 2 * old));
      Arrays.fill(next, old, next.length, UNKNOWN);
    }
    long n = next[partition];
    if (n != UNKNOWN && offset < n) {
      duplicates++;
      return false;
    }
    next[partition] = offset + 1;
    return true;
  }

  /** The duplicates dropped since the last call (reported once each). */
  long takeDuplicates() {
    long d = duplicates;
    duplicates = 0;
    return d;
  }

  /** The positions now, sorted by partition: what a checkpoint mark records. */
  SortedMap<Integer, Long> snapshot() {
    TreeMap<Integer, Long> m = new TreeMap<>();
    for (int p = 0; p < next.length; p++) {
      if (next[p] != UNKNOWN) {
        m.put(p, next[p]);
      }
    }
    return m;
  }
}
