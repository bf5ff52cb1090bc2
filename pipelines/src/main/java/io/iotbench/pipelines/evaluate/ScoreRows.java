package io.iotbench.pipelines.evaluate;

import io.iotbench.model.scoring.Prediction;
import io.iotbench.model.scoring.Scorer;
import io.iotbench.pipelines.train.ModelFolder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Scores labeled rows with a portable model, on any runner and without Spark: each worker opens the model file
 * through Beam's FileSystems (any location the pipeline can read) once per DoFn instance and hands it to the
 * model-side loader. Counters {@code scored} and {@code errors} (wrong predictions) in {@link ScoreRowFn}'s
 * namespace.
 */
public class ScoreRows extends PTransform<PCollection<LabeledRow>, PCollection<ScoredRow>> {
  private final String model;

  /** @param model the model folder or model file */
  public ScoreRows(String model) {
    this.model = model;
  }

  @Override
  public PCollection<ScoredRow> expand(PCollection<LabeledRow> rows) {
    return rows.apply("Score", ParDo.of(new ScoreRowFn(model))).setCoder(ScoredRow.Coder.of());
  }

  /** Scores one row. */
  static class ScoreRowFn extends DoFn<LabeledRow, ScoredRow> {
    private final Counter scored = Metrics.counter(ScoreRowFn.class, "scored");
    private final Counter errors = Metrics.counter(ScoreRowFn.class, "errors");
    private final String model;
    private transient Scorer scorer;

    ScoreRowFn(String model) {
      this.model = model;
    }

    @Setup
    public void setup() throws Exception {
      scorer = ModelFolder.loadPortable(model).scorer();
    }

    @ProcessElement
    public void processElement(@Element LabeledRow row, OutputReceiver<ScoredRow> out) {
      Prediction prediction = scorer.score(row.row().values());
      ScoredRow scoredRow = new ScoredRow(row.producer(), row.row().label(), prediction.label(), prediction.probability());
      scored.inc();
      if (scoredRow.isError()) {
        errors.inc();
      }
      out.output(scoredRow);
    }
  }
}
