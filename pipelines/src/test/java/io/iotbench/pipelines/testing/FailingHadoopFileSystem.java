package io.iotbench.pipelines.testing;

import java.net.URI;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Hadoop's local file system under the scheme {@value FailingFileSystem#SCHEME}, so that Spark MLlib can write to
 * the same {@code failfs://} locations as Beam's {@link FailingFileSystem} (the failures are injected on Beam's
 * side). Set {@code fs.failfs.impl} to this class in Spark's Hadoop configuration.
 */
public class FailingHadoopFileSystem extends RawLocalFileSystem {
  private static final URI NAME = URI.create(FailingFileSystem.SCHEME + ":///");

  @Override
  public URI getUri() {
    return NAME;
  }

  @Override
  public String getScheme() {
    return FailingFileSystem.SCHEME;
  }
}
