package io.iotbench.pipelines.score;

import io.iotbench.model.SensorEvent;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * A compact, deterministic coder for {@link SensorEvent}: every parsed event crosses it at least once, and
 * Java serialization would cost several times the bytes and CPU.
 */
public final class SensorEventCoder extends AtomicCoder<SensorEvent> {
  private static final SensorEventCoder INSTANCE = new SensorEventCoder();
  private static final long serialVersionUID = 1L;

  public static SensorEventCoder of() {
    return INSTANCE;
  }

  private SensorEventCoder() {}

  @Override
  public void encode(SensorEvent e, OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeLong(e.eventTime().getEpochSecond());
    data.writeInt(e.eventTime().getNano());
    data.writeInt(e.sensor());
    data.writeDouble(e.value());
    data.flush();
    StringUtf8Coder.of().encode(e.deviceId(), out);
  }

  @Override
  public SensorEvent decode(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    long seconds = data.readLong();
    int nanos = data.readInt();
    int sensor = data.readInt();
    double value = data.readDouble();
    String device = StringUtf8Coder.of().decode(in);
    return new SensorEvent(Instant.ofEpochSecond(seconds, nanos), device, sensor, value);
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
