package io.iotbench.pipelines.common.storage;

import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;

/**
 * Registers {@link StorageOptions} through {@code META-INF/services}, as Beam's own IO modules register theirs, so
 * {@code --s3PathStyleAccess} is accepted by every command and on every worker without each pipeline naming it.
 */
public final class StorageOptionsRegistrar implements PipelineOptionsRegistrar {
  @Override
  public Iterable<Class<? extends PipelineOptions>> getPipelineOptions() {
    return List.of(StorageOptions.class);
  }
}
