package io.iotbench.pipelines.common.storage;

import io.iotbench.pipelines.common.InvalidOptionException;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import org.apache.beam.sdk.io.hdfs.HadoopFileSystemOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Applies the storage settings to freshly parsed options of any command, so that {@code hdfs://} and
 * {@code s3://bucket/...} locations work everywhere with no code path per store. Called by {@code Cli.parse}.
 */
public final class StorageSetup {

  private StorageSetup() {}

  /**
   * Installs {@link S3CompatibleClientBuilderFactory} unless {@code --s3ClientFactoryClass} names another factory,
   * and refuses credentials given as an option: they would be printed with the options, logged by runners and
   * shipped to every worker inside the serialized pipeline.
   */
  public static void configure(PipelineOptions options) {
    dropLocalHadoopConfigurations(options.as(HadoopFileSystemOptions.class));
    S3Options s3 = options.as(S3Options.class);
    if (s3.getS3ClientFactoryClass() == DefaultS3ClientBuilderFactory.class) {
      s3.setS3ClientFactoryClass(S3CompatibleClientBuilderFactory.class);
    }
    if (s3.getAwsCredentialsProvider() instanceof StaticCredentialsProvider) {
      // The message must not repeat the value: it holds the secret key.
      throw new InvalidOptionException(
          "--awsCredentialsProvider: keys given as an option end up in logs and in the serialized pipeline; "
              + "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, instead");
    }
  }

  /**
   * Leaves out Hadoop configurations whose default file system is the local one. Beam registers a Hadoop file
   * system for the default scheme of every configuration, which it also reads from {@code HADOOP_CONF_DIR}; a
   * YARN or Spark configuration with {@code fs.defaultFS=file:///} (a single-machine cluster) would then claim
   * {@code file}, which Beam's own LocalFileSystem serves, and every pipeline would fail with "Scheme: [file] has
   * conflicting filesystems".
   */
  static void dropLocalHadoopConfigurations(HadoopFileSystemOptions hdfs) {
    List<Configuration> configurations = hdfs.getHdfsConfiguration();
    if (configurations == null) {
      return;
    }
    List<Configuration> remote =
        configurations.stream()
            .filter(c -> !"file".equals(FileSystem.getDefaultUri(c).getScheme()))
            .collect(Collectors.toList());
    if (remote.size() != configurations.size()) {
      // null, not an empty list: Beam's registrar rejects an empty list but treats null as "no Hadoop".
      hdfs.setHdfsConfiguration(remote.isEmpty() ? null : remote);
    }
  }
}
