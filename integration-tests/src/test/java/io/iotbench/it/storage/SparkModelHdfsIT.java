package io.iotbench.it.storage;

import io.iotbench.it.harness.HdfsServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Spark SQL Parquet and an MLlib model on a real HDFS, at the same hdfs:// URI Beam uses (see SparkModelRoundTrip). */
class SparkModelHdfsIT {
  @RegisterExtension static final HdfsServer HDFS = new HdfsServer();

  @TempDir Path temp;

  @Test
  void parquetAndModelRoundTripLikeOnLocalDisk() throws Exception {
    SparkModelRoundTrip.Result local = SparkModelRoundTrip.run(temp.resolve("local").toString(), List.of());
    SparkModelRoundTrip.Result remote =
        SparkModelRoundTrip.run(HDFS.uri() + "/it/spark", List.of(HDFS.hdfsConfigurationOption()));
    SparkModelRoundTrip.assertSame(local, remote);
  }
}
