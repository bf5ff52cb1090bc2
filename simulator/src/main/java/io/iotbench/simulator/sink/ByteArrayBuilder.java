package io.iotbench.simulator.sink;

import java.util.Arrays;

/**
 * A growable byte array that encoders append to and sinks write from, so events are formatted
 * straight into the bytes that go out instead of through a String per event.
 */
public final class ByteArrayBuilder {

  private byte[] bytes;
  private int length;

  public ByteArrayBuilder(int capacity) {
    this.bytes = new byte[Math.max(16, capacity)];
  }

  /** The backing array; valid bytes are {@code [0, length())}. */
  public byte[] array() {
    return bytes;
  }

  public int length() {
    return length;
  }

  public void clear() {
    length = 0;
  }

  /** Makes room for {@code extra} more bytes and returns the offset to write them at. */
  public int reserve(int extra) {
    int needed = length + extra;
    if (needed > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
    }
    return length;
  }

  /** Declares {@code n} bytes written at {@link #reserve}'s offset. */
  public void advance(int n) {
    length += n;
  }

  public void append(byte b) {
    reserve(1);
    bytes[length++] = b;
  }

  public void append(byte[] b) {
    int at = reserve(b.length);
    System.arraycopy(b, 0, bytes, at, b.length);
    length += b.length;
  }

  /** A copy of the valid bytes. */
  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, length);
  }
}
