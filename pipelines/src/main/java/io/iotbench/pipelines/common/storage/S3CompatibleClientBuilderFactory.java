package io.iotbench.pipelines.common.storage;

import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The S3 client of Beam's {@code s3://} file system, with path-style access for S3-compatible stores. Beam 2.62 has
 * no option for it, only {@code --s3ClientFactoryClass}; {@link StorageSetup} installs this factory for every command
 * unless another one is given. Without {@code --s3PathStyleAccess} it builds exactly Beam's default client (region,
 * endpoint, credentials provider, HTTP settings from the options). With it, buckets are addressed path-style, chunked
 * (aws-chunked) uploads are off and the {@code x-amz-server-side-encryption-bucket-key-enabled} header is removed:
 * s3proxy answers 501 to that header and mis-stores chunked bodies (docs/design-notes.md, "Hadoop").
 */
public class S3CompatibleClientBuilderFactory implements S3ClientBuilderFactory {

  static final String BUCKET_KEY_HEADER = "x-amz-server-side-encryption-bucket-key-enabled";

  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    S3ClientBuilder builder = new DefaultS3ClientBuilderFactory().createBuilder(options);
    if (!options.as(StorageOptions.class).getS3PathStyleAccess()) {
      return builder;
    }
    ClientOverrideConfiguration current = builder.overrideConfiguration();
    ClientOverrideConfiguration.Builder override =
        current == null ? ClientOverrideConfiguration.builder() : current.toBuilder();
    return builder
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).chunkedEncodingEnabled(false).build())
        .overrideConfiguration(override.addExecutionInterceptor(new DropBucketKeyHeader()).build());
  }

  /** Removes the SSE bucket-key header, which Beam sends on every upload even when it is false. */
  static final class DropBucketKeyHeader implements ExecutionInterceptor {
    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
      SdkHttpRequest request = context.httpRequest();
      if (request.firstMatchingHeader(BUCKET_KEY_HEADER).isEmpty()) {
        return request;
      }
      return request.toBuilder().removeHeader(BUCKET_KEY_HEADER).build();
    }
  }
}
