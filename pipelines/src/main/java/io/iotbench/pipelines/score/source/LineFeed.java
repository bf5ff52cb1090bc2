package io.iotbench.pipelines.score.source;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records a live source (socket, MQTT, Kafka) has received and not yet handed to Beam, with the connection
 * filling them. One feed per source instance and JVM, shared by the readers Beam creates and closes for it:
 * runners recreate readers (the DirectRunner now and then on purpose, Spark per micro-batch), and a socket or
 * an MQTT subscription cannot replay, so a reader's close must not drop the connection or the buffered
 * records.
 *
 * <p>A feed ends in one of three ways, and then leaves the registry (no new reader gets it, and its buffer can
 * be collected once the last reader lets go): {@link #closeAll} when the run ends on this JVM (the scorer's
 * monitor calls it), its readers staying away for {@link #IDLE_CLOSE_MILLIS} (a worker whose pipeline ended
 * elsewhere), or a failure: its connection was down for longer than the source's outage limit. A failed feed
 * stays registered, so that every reader of it hands out what was buffered and then throws with its cause (the
 * pipeline fails on any runner), until the run ends.
 */
public abstract class LineFeed {
  private static final Logger LOG = LoggerFactory.getLogger(LineFeed.class);
  private static final Map<String, LineFeed> FEEDS = new ConcurrentHashMap<>();

  /** How long a feed lives without a reader asking for records. */
  public static final long IDLE_CLOSE_MILLIS = 30_000;
  /** Records buffered before the connection is slowed down (back-pressure to the sender). */
  public static final int CAPACITY = 1_000_000;

  /** Buffered records: a {@code String}, or a {@link Placed} record of a source that can seek (Kafka). */
  protected final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final Object stopSignal = new Object();
  private volatile long lastUsed = System.currentTimeMillis();
  private volatile boolean closed;
  private volatile boolean closedDrained;
  private volatile String failure;
  private String id;
  /** Connected (socket) or subscribed (MQTT): records sent from now on will arrive. */
  protected volatile boolean ready;
  private EventClock clock;
  private final long outageLimitMillis;
  private long outageSince = -1;
  private volatile String outage;

  /** @param outageLimitMillis how long the connection may be down before the feed fails */
  protected LineFeed(long outageLimitMillis) {
    this.outageLimitMillis = outageLimitMillis;
  }

  /** The feed of source {@code id}, started by {@code create} on first use (and again after it closed). */
  public static LineFeed get(String id, Function<String, LineFeed> create) {
    LineFeed feed = FEEDS.compute(id, (k, existing) -> existing == null || existing.closed && existing.failure == null
        ? start(k, create.apply(k)) : existing);
    feed.touch();
    return feed;
  }

  private static LineFeed start(String id, LineFeed feed) {
    feed.id = id;
    Thread t = new Thread(feed::runGuarded, "iotbench-feed-" + feed.getClass().getSimpleName());
    t.setDaemon(true);
    t.start();
    return feed;
  }

  /** This JVM's name in the checkpoint marks its readers take ({@link CountMark#origin}). */
  public static final String JVM = UUID.randomUUID().toString();

  private static volatile boolean drained;

  /**
   * The run on this JVM ended drained: every record handed out is in a written output. Feeds closed after this may
   * acknowledge everything their readers handed out (a Kafka feed that holds its commits back commits them all).
   */
  public static void runDrained() {
    drained = true;
  }

  /** Whether this feed was closed after {@link #runDrained} (the run on this JVM ended drained). */
  protected boolean closedDrained() {
    return closedDrained;
  }

  /** Closes every feed of this JVM and empties the registry: the run has ended here. */
  public static void closeAll() {
    for (LineFeed feed : FEEDS.values()) {
      feed.close();
    }
    FEEDS.clear();
    drained = false;
    SocketLineSource.closeHandedOver();
  }

  /** The cause of the first failed feed in this JVM, if any (the scorer's monitor fails the run with it). */
  public static Optional<String> anyFailure() {
    return FEEDS.values().stream().map(f -> f.failure).filter(f -> f != null).findFirst();
  }

  /** Why a feed of this JVM cannot reach its server right now (an outage not yet over its limit), if one cannot. */
  public static Optional<String> anyOutage() {
    return FEEDS.values().stream().map(f -> f.outage).filter(f -> f != null).findFirst();
  }

  /** How many feeds this JVM holds (for tests: closed feeds must not stay). */
  static int registered() {
    return FEEDS.size();
  }

  /** The clock of this feed's records, shared by its successive readers so the watermark never restarts. */
  synchronized EventClock clock(Supplier<EventClock> create) {
    if (clock == null) {
      clock = create.get();
    }
    return clock;
  }

  /**
   * Whether {@code record} may have been counted by an earlier run already: read again after a restart, between the
   * position the group acknowledged and what the earlier run's readers had handed out. Such a record is handed out
   * (it may also never have been processed) and counted as a suspected duplicate. Sources that cannot tell: false.
   */
  boolean suspect(Placed record) {
    return false;
  }

  /** Tells feed {@code id} (if it lives in this JVM) that the runner finalized checkpoint {@code mark}. */
  static void finalized(String id, CountMark mark) {
    LineFeed feed = FEEDS.get(id);
    if (feed != null) {
      feed.onFinalized(mark);
    }
  }

  /**
   * The runner has durably processed the records handed out up to {@code mark}; by default {@link #onFinalized(long)}
   * with its count. Called from a runner thread.
   */
  protected void onFinalized(CountMark mark) {
    onFinalized(mark.records());
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
  public Object poll() {
    touch();
    try {
      return queue.poll(5, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The next record if one is waiting, else null at once. */
  public Object pollNow() {
    return queue.poll();
  }

  /**
   * A record of a source that can seek, with its place: partition, offset, and the feed's seek epoch when it was
   * fetched (see {@link #isCurrent}).
   */
  record Placed(String text, int partition, long offset, int epoch) {}

  /**
   * A reader starts from {@code mark}: a feed that can seek moves to the mark's positions if they are not where its
   * readers stand (see the Kafka feed). Returns the positions the reader starts from: the mark's, unless the feed
   * declined to follow it. Called from the reader's thread before it polls.
   */
  Map<Integer, Long> resume(CountMark mark) {
    return mark.positions();
  }

  /** Whether a placed record is still valid: false if the feed has seeked since it was fetched (it comes again). */
  boolean isCurrent(Placed record) {
    return true;
  }

  /** The reader has handed out records up to {@code positions} (partition &rarr; next offset). */
  void handedOut(java.util.SortedMap<Integer, Long> positions) {}

  /** Why this feed failed (its connection was lost for good), or null while it has not. */
  public String failure() {
    return failure;
  }

  /** Whether the feed has stopped (closed or failed). */
  public boolean isClosed() {
    return closed;
  }

  void touch() {
    lastUsed = System.currentTimeMillis();
  }

  /** True once nobody has read for {@link #IDLE_CLOSE_MILLIS}, or after {@link #close} or a failure. */
  protected boolean shouldStop() {
    if (!closed && System.currentTimeMillis() - lastUsed > IDLE_CLOSE_MILLIS) {
      LOG.info("{}: no reader for {} ms, closing", getClass().getSimpleName(), IDLE_CLOSE_MILLIS);
      close();
    }
    return closed;
  }

  /**
   * Stops the feed at once: it leaves the registry, drops what it buffered, and its connection thread is woken to
   * end (subclasses also close their connection).
   */
  public void close() {
    closedDrained = drained;
    closed = true;
    if (id != null && failure == null) {
      FEEDS.remove(id, this);
      queue.clear();
    }
    synchronized (stopSignal) {
      stopSignal.notifyAll();
    }
  }

  /** Waits up to {@code millis} or until the feed is closed; returns whether it should stop. */
  protected boolean awaitStop(long millis) throws InterruptedException {
    synchronized (stopSignal) {
      if (!closed) {
        stopSignal.wait(millis);
      }
    }
    return shouldStop();
  }

  /**
   * The feed had read everything its server held at {@code at} and its buffer was empty (see
   * {@link EventClock#caughtUp}). Called from the feed's own thread.
   */
  protected void caughtUp(long at) {
    EventClock c;
    synchronized (this) {
      c = clock;
    }
    if (c != null) {
      c.caughtUp(at);
    }
  }

  /** The connection works (records arrive or the server answers): ends an outage. */
  protected synchronized void connectionUp() {
    if (outageSince >= 0) {
      long now = System.currentTimeMillis();
      LOG.info("{}: connection is back after {} ms", getClass().getSimpleName(), now - outageSince);
      if (clock != null) {
        clock.sourceUp(now);
      }
    }
    outageSince = -1;
    outage = null;
  }

  /**
   * The connection is down, for {@code cause}; once it has been down for longer than the outage limit, the feed
   * fails with {@code cause}. Returns whether it failed. Called from the feed's own thread (or, for callbacks,
   * under the feed's lock).
   */
  protected synchronized boolean connectionDown(String cause) {
    long now = System.currentTimeMillis();
    outage = cause;
    if (outageSince < 0) {
      outageSince = now;
      if (clock != null) {
        clock.sourceDown(now); // the watermark waits for what was sent meanwhile
      }
      LOG.warn("{}: {}; waiting up to {} ms for it to come back", getClass().getSimpleName(), cause, outageLimitMillis);
    }
    if (now - outageSince > outageLimitMillis) {
      fail(cause + " (for more than " + Math.round(outageLimitMillis / 1000.0) + " s)");
      return true;
    }
    return false;
  }

  /** Fails the feed: its readers hand out what is buffered, then throw with {@code cause}. */
  protected void fail(String cause) {
    if (failure == null && !closed) {
      failure = cause;
      LOG.error("{} failed: {}", getClass().getSimpleName(), cause);
    }
    close();
  }

  private void runGuarded() {
    try {
      run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      fail(e.getMessage() == null ? e.toString() : e.getMessage());
    } finally {
      closed = true;
    }
  }

  /** Connects, fills {@link #queue}, reconnects on failure, until {@link #shouldStop}. */
  protected abstract void run() throws InterruptedException;

  /**
   * Puts a record, waiting while the buffer is full (unless the feed stops). Once the run has reached its end
   * ({@link EndOfRun}) the record is not taken: the readers hand out what is buffered and end.
   */
  protected void offer(String record) throws InterruptedException {
    offerEntry(record);
  }

  /** Puts a placed record, like {@link #offer(String)}. */
  void offer(Placed record) throws InterruptedException {
    offerEntry(record);
  }

  private void offerEntry(Object record) throws InterruptedException {
    if (EndOfRun.signalled()) {
      return;
    }
    while (!queue.offer(record, 100, TimeUnit.MILLISECONDS)) {
      if (shouldStop()) {
        return;
      }
    }
  }
}
