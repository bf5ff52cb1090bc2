package io.iotbench.simulator.sink;

import io.iotbench.model.SensorEvent;
import io.iotbench.simulator.cli.Commands;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP server that streams one event per line to every client connected (what the original got from
 * {@code nc -lk PORT}). It binds 127.0.0.1 unless told otherwise, optionally waits for a number of
 * clients before the first event (as {@code nc -l} held the simulator back until Spark connected), and
 * can keep the connections open for a while after the last event. A client that connects later gets
 * the stream from the next whole line on; one that disconnects is dropped and the others go on.
 * Writes block, so the slowest client sets the pace.
 */
public final class TcpSink implements EventSink {

  private static final Logger LOG = LoggerFactory.getLogger(TcpSink.class);

  private final String bindAddress;
  private final int requestedPort;
  private final int waitForClients;
  private final Duration clientWaitTimeout;
  private final Duration keepOpen;
  private final EventEncoder encoder;
  private final Consumer<String> notices;
  private final ByteArrayBuilder buffer = new ByteArrayBuilder(StreamSink.BUFFER_BYTES + 256);
  private final List<SocketChannel> clients = new CopyOnWriteArrayList<>();
  private final Object clientsChanged = new Object();

  private ServerSocketChannel server;
  private Thread acceptor;
  private int port;
  private boolean warnedNoClient;

  /**
   * @param bindAddress the address to listen on, e.g. 127.0.0.1 (0.0.0.0 for every interface)
   * @param port the port; 0 picks a free one (see {@link #port()})
   * @param waitForClients how many clients must connect before the first event (0: do not wait)
   * @param clientWaitTimeout how long to wait for them; zero for no limit
   * @param keepOpen how long to keep the connections open after the last event
   * @param encoder the event format
   * @param notices receives one-line messages for the user (listening, waiting, connected)
   */
  public TcpSink(
      String bindAddress,
      int port,
      int waitForClients,
      Duration clientWaitTimeout,
      Duration keepOpen,
      EventEncoder encoder,
      Consumer<String> notices) {
    this.bindAddress = bindAddress;
    this.requestedPort = port;
    this.waitForClients = waitForClients;
    this.clientWaitTimeout = clientWaitTimeout;
    this.keepOpen = keepOpen;
    this.encoder = encoder;
    this.notices = notices;
  }

  @Override
  public void open() throws IOException {
    String address = bindAddress + ":" + requestedPort;
    try {
      server = ServerSocketChannel.open();
      server.bind(new InetSocketAddress(bindAddress, requestedPort));
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        server.close();
      }
      throw new SinkUnavailableException("cannot listen on " + address + ": " + reason(e), e);
    }
    port = ((InetSocketAddress) server.getLocalAddress()).getPort();
    // Announced before accepting, so "Listening" always precedes "Client ... connected".
    notices.accept(
        "Listening on " + bindAddress + ":" + port
            + (waitForClients > 0 ? ", waiting for " + waitForClients + " client(s)" : ""));
    acceptor = new Thread(this::acceptLoop, "iotbench-tcp-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    awaitClients();
  }

  private void awaitClients() throws IOException {
    long deadline = clientWaitTimeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + clientWaitTimeout.toNanos();
    synchronized (clientsChanged) {
      while (clients.size() < waitForClients) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          close();
          throw new SinkUnavailableException(
              "no client connected to " + bindAddress + ":" + port + " within "
                  + Commands.format(clientWaitTimeout) + " (" + clients.size() + " of " + waitForClients + ")");
        }
        try {
          clientsChanged.wait(Math.max(1, Math.min(left / 1_000_000, 1000)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for clients on " + bindAddress + ":" + port, e);
        }
      }
    }
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      try {
        SocketChannel client = server.accept();
        // Paced streams write a few lines at a time; Nagle would hold them back.
        client.socket().setTcpNoDelay(true);
        synchronized (clientsChanged) {
          clients.add(client);
          clientsChanged.notifyAll();
        }
        notices.accept("Client " + client.getRemoteAddress() + " connected");
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        LOG.warn("accepting a client on {}:{} failed: {}", bindAddress, port, e.toString());
      }
    }
  }

  /** The port listened on (the chosen one when 0 was asked for); valid after {@link #open}. */
  public int port() {
    return port;
  }

  /** Clients connected now. */
  public int clientCount() {
    return clients.size();
  }

  @Override
  public void send(List<SensorEvent> message) throws IOException {
    encoder.encode(message, buffer);
    buffer.append((byte) '\n');
    if (buffer.length() >= StreamSink.BUFFER_BYTES) {
      writeBuffer();
    }
  }

  @Override
  public void idle() throws IOException {
    writeBuffer();
  }

  @Override
  public void flush() throws IOException {
    writeBuffer();
  }

  private void writeBuffer() {
    if (buffer.length() == 0) {
      return;
    }
    if (clients.isEmpty() && !warnedNoClient) {
      warnedNoClient = true;
      notices.accept("No client is connected to " + bindAddress + ":" + port + ": events are dropped until one connects");
    }
    for (SocketChannel client : clients) {
      ByteBuffer bytes = ByteBuffer.wrap(buffer.array(), 0, buffer.length());
      try {
        while (bytes.hasRemaining()) {
          client.write(bytes);
        }
      } catch (IOException e) {
        dropClient(client, e);
      }
    }
    buffer.clear();
  }

  private void dropClient(SocketChannel client, IOException cause) {
    clients.remove(client);
    SocketAddress remote = null;
    try {
      remote = client.getRemoteAddress();
      client.close();
    } catch (IOException e) {
      LOG.debug("closing a failed client: {}", e.toString());
    }
    notices.accept("Client " + (remote == null ? "" : remote + " ") + "disconnected (" + cause.getMessage() + ")");
    if (!clients.isEmpty()) {
      warnedNoClient = false;
    }
  }

  @Override
  public String describe() {
    return "TCP clients of " + bindAddress + ":" + (server == null ? requestedPort : port);
  }

  @Override
  public void close() throws IOException {
    if (server == null) {
      return;
    }
    writeBuffer();
    if (!keepOpen.isZero() && server.isOpen()) {
      notices.accept("Keeping " + bindAddress + ":" + port + " open for " + Commands.format(keepOpen));
      try {
        Thread.sleep(keepOpen.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    server.close();
    for (SocketChannel client : clients) {
      try {
        client.shutdownOutput();
        client.close();
      } catch (IOException e) {
        LOG.debug("closing client: {}", e.toString());
      }
    }
    clients.clear();
    if (acceptor != null) {
      try {
        acceptor.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static String reason(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
