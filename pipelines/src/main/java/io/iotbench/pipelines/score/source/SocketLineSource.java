package io.iotbench.pipelines.score.source;

import io.iotbench.pipelines.common.BoundedLineReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lines of text from a TCP server at host:port, like Spark's {@code socketTextStream}: connects, reads
 * lines, and when the peer closes or the connection fails, reconnects (every {@value #RETRY_MILLIS} ms). Once
 * the server has been unreachable for longer than the outage limit, the source fails. Lines received while no
 * reader is asking are buffered (see {@link LineFeed}). A line longer than {@code maxRecordBytes} is cut to
 * {@code maxRecordBytes + 1} characters and the rest skipped unbuffered; an empty line is a blank record.
 */
public final class SocketLineSource extends LiveLineSource {
  private static final long serialVersionUID = 1L;
  static final long RETRY_MILLIS = 250;

  /** Connections the start check opened, waiting for this JVM's first feed of the same host:port. */
  private static final Map<String, Socket> HANDED_OVER = new ConcurrentHashMap<>();

  private final String host;
  private final int port;

  /**
   * Keeps a connection opened by the start check for the feed of {@code host:port} in this JVM, so that a server
   * that serves one client at a time loses nothing to the check. Closed by {@link #closeHandedOver} if no feed
   * takes it.
   */
  public static void handOver(String host, int port, Socket socket) {
    Socket old = HANDED_OVER.put(host + ":" + port, socket);
    closeQuietly(old);
  }

  /** Closes the connections no feed took (the run has ended). */
  public static void closeHandedOver() {
    HANDED_OVER.values().forEach(SocketLineSource::closeQuietly);
    HANDED_OVER.clear();
  }

  private static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // nothing to do
      }
    }
  }

  public SocketLineSource(String host, int port, RecordSettings settings, long outageLimitMillis) {
    super(settings, outageLimitMillis);
    this.host = host;
    this.port = port;
  }

  @Override
  protected LineFeed createFeed() {
    return new SocketFeed(host, port, settings().maxRecordBytes(), outageLimitMillis());
  }

  static final class SocketFeed extends LineFeed {
    private static final Logger LOG = LoggerFactory.getLogger(SocketFeed.class);
    private final String host;
    private final int port;
    private final int maxRecordBytes;
    private volatile Socket socket;

    SocketFeed(String host, int port, int maxRecordBytes, long outageLimitMillis) {
      super(outageLimitMillis);
      this.host = host;
      this.port = port;
      this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    protected void run() throws InterruptedException {
      int connections = 0;
      String cause = null;
      while (!shouldStop()) {
        Socket opened = HANDED_OVER.remove(host + ":" + port);
        try (Socket s = opened != null ? opened : new Socket()) {
          socket = s;
          if (!s.isConnected()) {
            s.connect(new InetSocketAddress(host, port), 2_000);
          }
          s.setSoTimeout(1_000); // wake up now and then to notice the pipeline has ended
          connections++;
          ready = true;
          connectionUp();
          LOG.info("connected to {}:{} (connection {})", host, port, connections);
          BoundedLineReader in = BoundedLineReader.utf8(s.getInputStream(), maxRecordBytes);
          while (!shouldStop()) {
            String line;
            try {
              line = in.readLine();
            } catch (SocketTimeoutException idle) {
              continue;
            }
            if (line == null) {
              LOG.info("{}:{} closed the connection; reconnecting", host, port);
              cause = "the server closed the connection";
              break;
            }
            offer(RecordText.ofLine(line));
          }
        } catch (IOException e) {
          cause = e.getMessage() == null ? e.toString() : e.getMessage();
          LOG.debug("cannot read from {}:{}: {}", host, port, e.toString());
        } finally {
          socket = null;
        }
        if (shouldStop()) {
          break;
        }
        if (connectionDown("socket server at " + host + ":" + port + " is not reachable: " + cause)) {
          break;
        }
        awaitStop(RETRY_MILLIS);
      }
    }

    @Override
    public void close() {
      super.close();
      Socket s = socket;
      if (s != null) {
        try {
          s.close(); // stop reading at once
        } catch (IOException e) {
          LOG.debug("closing {}:{}: {}", host, port, e.toString());
        }
      }
    }
  }
}
