package io.iotbench.pipelines.common.storage;

import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * The one storage option iotbench adds to Beam's own. Every other storage setting is Beam's: {@code --awsRegion},
 * {@code --endpoint} (S3Options/AwsOptions) and {@code --hdfsConfiguration} (HadoopFileSystemOptions); AWS
 * credentials come only from the AWS default provider chain (environment, profile), never from an option, so they
 * cannot end up in logs or in the serialized pipeline. It extends {@link S3Options} because Beam registers only
 * {@code AwsOptions} by itself: through this interface {@code --s3ClientFactoryClass} and the other S3 options are
 * accepted by every command, and no pipeline's own options interface has to extend either.
 */
public interface StorageOptions extends S3Options {

  @Description(
      "Address S3 buckets path-style (http://endpoint/bucket/key) instead of as virtual hosts, for S3-compatible "
          + "stores such as s3proxy or MinIO given with --endpoint; it also turns off chunked uploads and the "
          + "SSE bucket-key header, which such stores reject.")
  @Default.Boolean(false)
  boolean getS3PathStyleAccess();

  void setS3PathStyleAccess(boolean s3PathStyleAccess);
}
