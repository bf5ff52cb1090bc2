package io.iotbench.pipelines.score.source;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lines of text from a TCP server at host:port, like Spark's {@code socketTextStream}: connects, reads
 * lines, and when the peer closes or the connection fails, reconnects (every {@value #RETRY_MILLIS} ms) for
 * as long as the pipeline runs. Lines received while no reader is asking are buffered (see {@link LineFeed}).
 */
public final class SocketLineSource extends LiveLineSource {
  private static final long serialVersionUID = 1L;
  static final long RETRY_MILLIS = 250;

  private final String host;
  private final int port;

  public SocketLineSource(String host, int port, RecordSettings settings) {
    super(settings);
    this.host = host;
    this.port = port;
  }

  @Override
  protected LineFeed createFeed() {
    return new SocketFeed(host, port);
  }

  static final class SocketFeed extends LineFeed {
    private static final Logger LOG = LoggerFactory.getLogger(SocketFeed.class);
    private final String host;
    private final int port;

    SocketFeed(String host, int port) {
      this.host = host;
      this.port = port;
    }

    @Override
    protected void run() throws InterruptedException {
      int connections = 0;
      while (!shouldStop()) {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress(host, port), 2_000);
          socket.setSoTimeout(1_000); // wake up now and then to notice the pipeline has ended
          connections++;
          ready = true;
          LOG.info("connected to {}:{} (connection {})", host, port, connections);
          BufferedReader in =
              new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8), 1 << 16);
          while (!shouldStop()) {
            String line;
            try {
              line = in.readLine();
            } catch (SocketTimeoutException idle) {
              continue;
            }
            if (line == null) {
              LOG.info("{}:{} closed the connection; reconnecting", host, port);
              break;
            }
            if (!line.isEmpty()) {
              offer(line);
            }
          }
        } catch (IOException e) {
          LOG.debug("cannot read from {}:{}: {}", host, port, e.toString());
        }
        Thread.sleep(RETRY_MILLIS);
      }
    }
  }
}
