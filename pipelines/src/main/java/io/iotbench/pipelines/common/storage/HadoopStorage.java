package io.iotbench.pipelines.common.storage;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.io.hdfs.HadoopFileSystemOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.hadoop.conf.Configuration;
import software.amazon.awssdk.regions.Region;

/**
 * The same locations for code that uses Hadoop's file systems instead of Beam's: Spark MLlib's
 * {@code save}/{@code load} and Spark SQL readers in {@code train}. Beam's {@code s3://} becomes Hadoop's
 * {@code s3a://} with the same endpoint, region, path-style setting and credential sources (the AWS default chain:
 * environment, system properties, profile, instance role; never keys in the configuration); {@code hdfs://} and
 * local paths stay as they are, and {@code --hdfsConfiguration} is copied so {@code hdfs://} resolves the same
 * namenode. Call {@link #configure} on {@code sparkContext().hadoopConfiguration()} before the first read or write,
 * and pass every location through {@link #hadoopPath}.
 *
 * <pre>{@code
 * HadoopStorage.configure(spark.sparkContext().hadoopConfiguration(), options);
 * model.write().overwrite().save(HadoopStorage.hadoopPath(options.getModel()));
 * }</pre>
 *
 * <p>{@code s3a://} needs {@code org.apache.hadoop:hadoop-aws:3.3.4} (the version of Spark's Hadoop client) and its
 * {@code com.amazonaws:aws-java-sdk-bundle:1.12.262} on the Spark classpath; see docs/storage.md.
 */
public final class HadoopStorage {

  /** The AWS SDK v1 chain hadoop-aws 3.3.4 understands; the same sources as the v2 default chain Beam uses. */
  static final String DEFAULT_CREDENTIALS_CHAIN = "com.amazonaws.auth.DefaultAWSCredentialsProviderChain";

  private HadoopStorage() {}

  /**
   * {@code location} for Hadoop: {@code s3://} becomes {@code s3a://}; a plain local path becomes an absolute
   * {@code file://} URI, because to Hadoop a path without a scheme is on {@code fs.defaultFS} (HDFS, once
   * {@code --hdfsConfiguration} is applied), while to Beam it is on local disk. Other URIs stay as they are.
   */
  public static String hadoopPath(String location) {
    if (location.startsWith("s3://")) {
      return "s3a://" + location.substring("s3://".length());
    }
    if (!location.contains("://")) {
      return "file://" + StorageCheck.normalize(location);
    }
    return location;
  }

  /** Beam's location for a Hadoop one ({@code s3a://} back to {@code s3://}), e.g. for files Spark wrote. */
  public static String beamPath(String location) {
    return location.startsWith("s3a://") ? "s3://" + location.substring("s3a://".length()) : location;
  }

  /** Sets {@code conf} up so that {@link #hadoopPath} locations mean what they mean to Beam under {@code options}. */
  public static void configure(Configuration conf, PipelineOptions options) {
    for (Map.Entry<String, String> entry : settings(options).entrySet()) {
      conf.set(entry.getKey(), entry.getValue());
    }
  }

  /** The Hadoop settings {@link #configure} applies, e.g. to pass as {@code spark.hadoop.*} properties. */
  public static Map<String, String> settings(PipelineOptions options) {
    Map<String, String> settings = new TreeMap<>();
    List<Configuration> hdfs = options.as(HadoopFileSystemOptions.class).getHdfsConfiguration();
    if (hdfs != null) {
      // Beam builds these without Hadoop's defaults (new Configuration(false)): they hold only what the user set.
      for (Configuration configuration : hdfs) {
        for (Map.Entry<String, String> entry : configuration) {
          settings.put(entry.getKey(), entry.getValue());
        }
      }
    }
    AwsOptions aws = options.as(AwsOptions.class);
    settings.put("fs.s3a.aws.credentials.provider", DEFAULT_CREDENTIALS_CHAIN);
    URI endpoint = aws.getEndpoint();
    if (endpoint != null) {
      settings.put("fs.s3a.endpoint", endpoint.toString());
      settings.put("fs.s3a.connection.ssl.enabled", String.valueOf("https".equalsIgnoreCase(endpoint.getScheme())));
    }
    Region region = aws.getAwsRegion();
    if (region != null) {
      settings.put("fs.s3a.endpoint.region", region.id());
    }
    settings.put("fs.s3a.path.style.access", String.valueOf(options.as(StorageOptions.class).getS3PathStyleAccess()));
    return settings;
  }
}
