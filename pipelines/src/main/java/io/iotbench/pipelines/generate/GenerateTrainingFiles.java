package io.iotbench.pipelines.generate;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Generates labeled training rows in independent seeded streams, one per partition, and writes one file per
 * partition into the spec's output folder; emits what each partition wrote. The same seed gives byte-identical files on
 * every runner and every run.
 */
public class GenerateTrainingFiles extends PTransform<PBegin, PCollection<PartitionFile>> {
  private final GenerateSpec spec;

  public GenerateTrainingFiles(GenerateSpec spec) {
    this.spec = spec;
  }

  @Override
  public PCollection<PartitionFile> expand(PBegin input) {
    List<Integer> partitionIds = IntStream.range(0, spec.partitions()).boxed().collect(Collectors.toList());
    return input
        .apply("ListPartitions", Create.of(partitionIds))
        // Spreads the partitions over the workers: a Create's few elements would otherwise sit in one bundle.
        .apply("SpreadPartitions", Reshuffle.viaRandomKey())
        .apply("WritePartitionFiles", ParDo.of(new WritePartitionFileFn(spec)));
  }
}
