package io.iotbench.simulator.sink;

import io.iotbench.model.SensorEvent;
import java.io.IOException;
import java.util.List;
import java.io.OutputStream;

/**
 * Writes one event per line to an output stream, standard output for {@code --sink=stdout}. Lines are
 * collected in a 64 KiB buffer and written when it fills or the simulator goes idle, so a paced
 * stream shows each event at once and a max-rate stream costs one write per ~1,300 events.
 */
public final class StreamSink implements EventSink {

  static final int BUFFER_BYTES = 64 * 1024;

  private final OutputStream out;
  private final EventEncoder encoder;
  private final String description;
  private final ByteArrayBuilder buffer = new ByteArrayBuilder(BUFFER_BYTES + 256);

  /**
   * @param out the stream; closed by {@link #close()}
   * @param encoder the event format
   * @param description for messages, e.g. {@code stdout}
   */
  public StreamSink(OutputStream out, EventEncoder encoder, String description) {
    this.out = out;
    this.encoder = encoder;
    this.description = description;
  }

  @Override
  public void open() {}

  @Override
  public void send(List<SensorEvent> message) throws IOException {
    encoder.encode(message, buffer);
    buffer.append((byte) '\n');
    if (buffer.length() >= BUFFER_BYTES) {
      writeBuffer();
    }
  }

  @Override
  public void idle() throws IOException {
    flush();
  }

  @Override
  public void flush() throws IOException {
    writeBuffer();
    out.flush();
  }

  private void writeBuffer() throws IOException {
    if (buffer.length() > 0) {
      out.write(buffer.array(), 0, buffer.length());
      buffer.clear();
    }
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      out.close();
    }
  }
}
