package io.iotbench.pipelines.score;

import io.iotbench.model.scoring.Algorithm;
import io.iotbench.model.scoring.PortableModel;
import io.iotbench.model.support.ErrorText;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.common.storage.StorageCheck;
import io.iotbench.pipelines.train.ModelFolder;
import java.io.IOException;
import org.apache.beam.sdk.io.FileSystems;

/**
 * What the scorer checks before it builds a pipeline, beyond the option values themselves: that every storage
 * location it reads or writes can be reached, and that the model is complete, can be read and fits
 * {@code --sensors}. A failed check is an invalid option: one error line and exit code 2, with nothing started.
 */
final class StartChecks {
  private StartChecks() {}

  /**
   * Checks every storage location the run reads or writes (see {@link StorageCheck}): the model, the recorded
   * stream, the decision and dead-letter file prefixes.
   */
  static void checkLocations(ScoreSensorStream.Options o) {
    StorageCheck.checkReachable(o, "model", o.getModel());
    if ("file".equals(o.getSource())) {
      StorageCheck.checkReachable(o, "inputFile", o.getInputFile());
    }
    if (o.getDecisionsOutput() != null) {
      StorageCheck.checkOutputPrefix(o, "decisionsOutput", o.getDecisionsOutput());
    }
    if (o.getDeadLetterOutput() != null) {
      StorageCheck.checkOutputPrefix(o, "deadLetterOutput", o.getDeadLetterOutput());
    }
  }

  /**
   * Checks that the live source can be reached (Kafka, MQTT, the socket server; see {@link SourceCheck}); the file
   * source is checked by {@link #checkLocations}.
   */
  static void checkSource(ScoreSensorStream.Options o) {
    SourceCheck.check(o);
  }

  /**
   * Checks that a model folder is complete (its marker; {@link ModelFolder#requireComplete}), loads the model and
   * checks it fits {@code --sensors}; an incomplete, missing, corrupt or mismatched model is an invalid option. Also
   * points FileSystems at the run's options. Returns the model's algorithm.
   */
  static Algorithm checkModel(ScoreSensorStream.Options o) throws IOException {
    FileSystems.setDefaultPipelineOptions(o);
    ModelFolder.requireComplete(o.getModel());
    PortableModel model;
    try {
      model = ModelLoader.load(o.getModel());
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException("--model=" + o.getModel() + ": " + ErrorText.oneLine(e));
    }
    if (model.numFeatures() != o.getSensors()) {
      throw new InvalidOptionException(ModelLoader.featureMismatch(o.getModel(), model.numFeatures(), o.getSensors()));
    }
    return model.algorithm();
  }
}
