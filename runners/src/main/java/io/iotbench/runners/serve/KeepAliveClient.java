package io.iotbench.runners.serve;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 connection kept alive for many {@code POST}s, written on a plain socket: the load generator of
 * {@code bench-serve}. A load generator must cost less than the server it drives, and on a shared 2-core machine
 * {@link java.net.http.HttpClient}'s asynchronous machinery (a selector thread, futures per request) costs about as
 * much CPU per request as the server; this client writes the request and reads the answer in the calling thread.
 * It understands what the JDK server answers: a status line, headers, a body of {@code Content-Length} bytes;
 * {@code Connection: close} makes it reconnect before the next request.
 */
final class KeepAliveClient implements Closeable {
  private final String host;
  private final int port;
  private final byte[] head;
  private Socket socket;
  private OutputStream out;
  private InputStream in;
  private byte[] lastBody = new byte[0];
  private final StringBuilder line = new StringBuilder();

  /**
   * @param path the path every request posts to
   * @param accessKey sent as {@code Authorization: Bearer KEY}, or null
   */
  KeepAliveClient(String host, int port, String path, String accessKey) {
    this.host = host;
    this.port = port;
    this.head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Type: application/json\r\n"
        + (accessKey == null ? "" : "Authorization: Bearer " + accessKey + "\r\n")).getBytes(StandardCharsets.US_ASCII);
  }

  /** Posts {@code body} and reads the whole answer; returns its status. */
  int post(byte[] body) throws IOException {
    if (socket == null) {
      connect();
    }
    out.write(head);
    out.write(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    String status = readLine();
    if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
      throw new IOException("not an HTTP/1.1 answer: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    int length = -1;
    boolean close = false;
    for (String header = readLine(); !header.isEmpty(); header = readLine()) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(lower.substring(15).strip());
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        close = true;
      }
    }
    if (length < 0) {
      throw new IOException("an answer without Content-Length");
    }
    if (lastBody.length != length) {
      lastBody = new byte[length];
    }
    int read = in.readNBytes(lastBody, 0, length);
    if (read < length) {
      throw new EOFException("the answer ended after " + read + " of " + length + " bytes");
    }
    if (close) {
      close();
    }
    return code;
  }

  /** The body of the last answer. */
  byte[] lastBody() {
    return lastBody;
  }

  private void connect() throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), 5_000);
    socket.setSoTimeout(30_000);
    out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
  }

  private String readLine() throws IOException {
    line.setLength(0);
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("the server closed the connection");
      }
      if (c == '\n') {
        int n = line.length();
        return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
      }
      line.append((char) c);
    }
  }

  @Override
  public void close() throws IOException {
    if (socket != null) {
      Socket s = socket;
      socket = null;
      s.close();
    }
  }
}
