package io.iotbench.pipelines.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * Encodes a {@link DeadLetter} as its four strings (payload, stage, reason, error); deterministic, so dead letters
 * can be grouped and compared.
 */
public final class DeadLetterCoder extends AtomicCoder<DeadLetter> {
  private static final DeadLetterCoder INSTANCE = new DeadLetterCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();

  private DeadLetterCoder() {}

  public static DeadLetterCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(DeadLetter value, OutputStream out) throws IOException {
    STRING.encode(value.payload(), out);
    STRING.encode(value.stage(), out);
    STRING.encode(value.reason(), out);
    STRING.encode(value.error(), out);
  }

  @Override
  public DeadLetter decode(InputStream in) throws IOException {
    return new DeadLetter(STRING.decode(in), STRING.decode(in), STRING.decode(in), STRING.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
