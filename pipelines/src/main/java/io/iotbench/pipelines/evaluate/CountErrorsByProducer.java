package io.iotbench.pipelines.evaluate;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Counts prediction errors per producer (the batch error analysis): one {@code KV(producer, errors)} for every
 * producer that has rows, zero included, so a producer without errors is visibly one.
 */
public class CountErrorsByProducer extends PTransform<PCollection<ScoredRow>, PCollection<KV<String, Long>>> {
  @Override
  public PCollection<KV<String, Long>> expand(PCollection<ScoredRow> rows) {
    return rows.apply(
            "KeyByProducer",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                .via((ScoredRow r) -> KV.of(r.producer(), r.isError() ? 1L : 0L)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
        .apply("SumErrors", Sum.longsPerKey());
  }

  /**
   * Gathers every producer's count into one CSV text (without the final line break, which the writer adds). All
   * producers meet in one place to be sorted; there is one per device, so they are few.
   */
  public static final class ToCsvFn extends Combine.CombineFn<KV<String, Long>, List<KV<String, Long>>, String> {
    @Override
    public List<KV<String, Long>> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<KV<String, Long>> addInput(List<KV<String, Long>> accumulator, KV<String, Long> count) {
      accumulator.add(count);
      return accumulator;
    }

    @Override
    public List<KV<String, Long>> mergeAccumulators(Iterable<List<KV<String, Long>>> accumulators) {
      List<KV<String, Long>> merged = new ArrayList<>();
      accumulators.forEach(merged::addAll);
      return merged;
    }

    @Override
    public String extractOutput(List<KV<String, Long>> accumulator) {
      return csv(accumulator).strip();
    }

    @Override
    public Coder<List<KV<String, Long>>> getAccumulatorCoder(CoderRegistry registry, Coder<KV<String, Long>> inputCoder) {
      return ListCoder.of(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    }
  }

  /** The CSV of the counts, header {@code producer,total_errors}, most errors first, then by producer. */
  public static String csv(Iterable<KV<String, Long>> counts) {
    List<KV<String, Long>> sorted = new ArrayList<>();
    counts.forEach(sorted::add);
    sorted.sort((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey()) : Long.compare(b.getValue(), a.getValue()));
    StringBuilder sb = new StringBuilder("producer,total_errors\n");
    for (KV<String, Long> kv : sorted) {
      sb.append(kv.getKey()).append(',').append(kv.getValue()).append('\n');
    }
    return sb.toString();
  }
}
