package io.iotbench.runners.bench;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Where a command run inside a benchmark prints its console report: only its last few lines are kept, without
 * colours, to explain a failure. Nothing is read from them.
 */
final class ConsoleTail extends OutputStream {
  private final int keep;
  private final Deque<String> lines = new ArrayDeque<>();
  private final ByteArrayOutputStream current = new ByteArrayOutputStream();

  ConsoleTail(int keep) {
    this.keep = keep;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      lines.addLast(current.toString(StandardCharsets.UTF_8).replaceAll("\u001B\\[[0-9;]*m", ""));
      current.reset();
      if (lines.size() > keep) {
        lines.removeFirst();
      }
    } else {
      current.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      write(b[i]);
    }
  }

  /** The last complete lines, oldest first. */
  synchronized List<String> lines() {
    return List.copyOf(lines);
  }
}
