package io.iotbench.pipelines.generate;

import io.iotbench.pipelines.common.InvalidOptionException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.Compression;

/** The {@code --compression} names a user may give, mapped to Beam's {@link Compression}. */
public final class OutputCompression {
  private static final Map<String, Compression> BY_NAME = new TreeMap<>();

  static {
    BY_NAME.put("none", Compression.UNCOMPRESSED);
    BY_NAME.put("gzip", Compression.GZIP);
    BY_NAME.put("bzip2", Compression.BZIP2);
    BY_NAME.put("deflate", Compression.DEFLATE);
    BY_NAME.put("zstd", Compression.ZSTD);
  }

  private OutputCompression() {}

  /** The compression named {@code name} (case-insensitive); a clear error naming the value otherwise. */
  public static Compression parse(String name) {
    Compression compression = name == null ? null : BY_NAME.get(name.toLowerCase(Locale.ROOT));
    if (compression == null) {
      throw new InvalidOptionException(
          "--compression=" + name + ": unknown compression, expected one of " + String.join(", ", BY_NAME.keySet()));
    }
    return compression;
  }
}
