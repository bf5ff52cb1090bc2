package io.iotbench.pipelines.score.source;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records a live source (socket, MQTT) has received and not yet handed to Beam, with the connection
 * filling them. One feed per source instance and JVM, shared by the readers Beam creates and closes for it:
 * runners recreate readers (the DirectRunner now and then on purpose, Spark per micro-batch), and a socket or
 * an MQTT subscription cannot replay, so a reader's close must not drop the connection or the buffered
 * records. A feed whose readers stay away for {@link #IDLE_CLOSE_MILLIS} closes itself (the pipeline ended).
 */
public abstract class LineFeed {
  private static final Logger LOG = LoggerFactory.getLogger(LineFeed.class);
  private static final Map<String, LineFeed> FEEDS = new ConcurrentHashMap<>();

  /** How long a feed lives without a reader asking for records. */
  public static final long IDLE_CLOSE_MILLIS = 30_000;
  /** Records buffered before the connection is slowed down (back-pressure to the sender). */
  public static final int CAPACITY = 1_000_000;

  protected final BlockingQueue<String> queue = new ArrayBlockingQueue<>(CAPACITY);
  private volatile long lastUsed = System.currentTimeMillis();
  private volatile boolean closed;
  /** Connected (socket) or subscribed (MQTT): records sent from now on will arrive. */
  protected volatile boolean ready;
  private EventClock clock;

  /** The feed of source {@code id}, started by {@code create} on first use. */
  public static LineFeed get(String id, Function<String, LineFeed> create) {
    LineFeed feed = FEEDS.compute(id, (k, existing) -> existing == null || existing.closed ? start(create.apply(k)) : existing);
    feed.touch();
    return feed;
  }

  private static LineFeed start(LineFeed feed) {
    Thread t = new Thread(feed::runGuarded, "iotbench-feed-" + feed.getClass().getSimpleName());
    t.setDaemon(true);
    t.start();
    return feed;
  }

  /** The clock of this feed's records, shared by its successive readers so the watermark never restarts. */
  synchronized EventClock clock(java.util.function.Supplier<EventClock> create) {
    if (clock == null) {
      clock = create.get();
    }
    return clock;
  }

  /** Tells feed {@code id} (if it lives in this JVM) that the runner finalized a checkpoint after {@code records}. */
  static void finalized(String id, long records) {
    LineFeed feed = FEEDS.get(id);
    if (feed != null) {
      feed.onFinalized(records);
    }
  }

  /**
   * The runner has durably processed the first {@code records} records handed out from this feed; a source that
   * can acknowledge (Kafka: commit offsets) does so. Called from a runner thread.
   */
  protected void onFinalized(long records) {}

  /** Whether any feed in this JVM is connected and subscribed; lets a local driver wait before it sends. */
  public static boolean anyReady(Class<? extends LineFeed> type) {
    return FEEDS.values().stream().anyMatch(f -> type.isInstance(f) && f.ready && !f.closed);
  }

  /**
   * The next record, or null if none arrived within a few milliseconds. The short wait keeps an idle
   * pipeline from spinning: runners call an idle reader again at once.
   */
  public String poll() {
    touch();
    try {
      return queue.poll(5, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The next record if one is waiting, else null at once. */
  public String pollNow() {
    return queue.poll();
  }

  void touch() {
    lastUsed = System.currentTimeMillis();
  }

  /** True once nobody has read for {@link #IDLE_CLOSE_MILLIS}, or after {@link #close}. */
  protected boolean shouldStop() {
    if (!closed && System.currentTimeMillis() - lastUsed > IDLE_CLOSE_MILLIS) {
      LOG.info("{}: no reader for {} ms, closing", getClass().getSimpleName(), IDLE_CLOSE_MILLIS);
      closed = true;
    }
    return closed;
  }

  /** Stops the feed. */
  public void close() {
    closed = true;
  }

  private void runGuarded() {
    try {
      run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("{} stopped", getClass().getSimpleName(), e);
    } finally {
      closed = true;
    }
  }

  /** Connects, fills {@link #queue}, reconnects on failure, until {@link #shouldStop}. */
  protected abstract void run() throws InterruptedException;

  /** Puts a record, waiting while the buffer is full (unless the feed stops). */
  protected void offer(String record) throws InterruptedException {
    while (!queue.offer(record, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      if (shouldStop()) {
        return;
      }
    }
  }
}
