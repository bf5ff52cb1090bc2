package io.iotbench.pipelines.evaluate;

import io.iotbench.pipelines.common.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Writes an evaluation into its output folder: {@value #METRICS} (the metrics, with the model and input named),
 * {@value #CONFUSION} (the confusion matrix), {@value #ERRORS} ({@code producer,total_errors}) and
 * {@code predictions/part-*.csv} ({@code producer,label,prediction,probability} per row).
 */
public class WriteEvaluation extends PTransform<PCollection<ScoredRow>, PDone> {
  public static final String METRICS = "metrics.json";
  public static final String CONFUSION = "confusion-matrix.csv";
  public static final String ERRORS = "errors-by-producer.csv";
  public static final String PREDICTIONS = "predictions";

  private final String output;
  private final Map<String, Object> header;

  /**
   * @param output the output folder
   * @param header entries that go first in {@value #METRICS} (model, input, algorithm)
   */
  public WriteEvaluation(String output, Map<String, Object> header) {
    this.output = output;
    this.header = new LinkedHashMap<>(header);
  }

  @Override
  public PDone expand(PCollection<ScoredRow> scored) {
    PCollection<BinaryMetrics> metrics = scored.apply("ComputeBinaryMetrics", new ComputeBinaryMetrics());
    Map<String, Object> head = header;
    metrics
        .apply("MetricsToJson", MapElements.into(TypeDescriptors.strings()).via((BinaryMetrics m) -> Json.pretty(m.toJsonMap(head))))
        .apply("WriteMetrics", TextIO.write().to(file(METRICS)).withoutSharding());
    metrics
        .apply("ConfusionToCsv", MapElements.into(TypeDescriptors.strings()).via((BinaryMetrics m) -> m.confusionCsv().strip()))
        .apply("WriteConfusionMatrix", TextIO.write().to(file(CONFUSION)).withoutSharding());
    scored
        .apply("CountErrorsByProducer", new CountErrorsByProducer())
        // All producers in one sorted file: their number is small (one line per device).
        .apply("ErrorsToCsv", Combine.globally(new CountErrorsByProducer.ToCsvFn()))
        .apply("WriteErrorsByProducer", TextIO.write().to(file(ERRORS)).withoutSharding());
    scored
        .apply("PredictionsToCsv", MapElements.into(TypeDescriptors.strings()).via(ScoredRow::toCsv))
        .apply(
            "WritePredictions",
            TextIO.write()
                .to(FileSystems.matchNewResource(output, true)
                    .resolve(PREDICTIONS, StandardResolveOptions.RESOLVE_DIRECTORY)
                    .resolve("part", StandardResolveOptions.RESOLVE_FILE)
                    .toString())
                .withSuffix(".csv")
                .withHeader(ScoredRow.CSV_HEADER));
    return PDone.in(scored.getPipeline());
  }

  private String file(String name) {
    return FileSystems.matchNewResource(output, true).resolve(name, StandardResolveOptions.RESOLVE_FILE).toString();
  }
}
