package io.iotbench.pipelines.score;

import io.iotbench.model.scoring.PortableModel;
import io.iotbench.model.scoring.PortableModelException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Loads the portable model named by {@code --model} from any Beam FileSystems location: a model folder
 * (its {@value PortableModel#FILE_NAME} is read) or the JSON file itself. Used on the driver to check the
 * model before starting and in the scoring DoFn's {@code @Setup}, so every worker reads it once. It does not ask
 * for the folder's marker: the driver checks that first ({@code StartChecks.checkModel}).
 */
public final class ModelLoader {
  private ModelLoader() {}

  /** The model file {@code location} designates: itself if it names a .json file, else its model.json. */
  public static String modelFile(String location) {
    if (location.endsWith(".json")) {
      return location;
    }
    return location.endsWith("/") ? location + PortableModel.FILE_NAME : location + "/" + PortableModel.FILE_NAME;
  }

  /**
   * Reads and checks the model.
   *
   * @throws PortableModelException if the file is missing or not a usable model (one-line message)
   */
  public static PortableModel load(String location) throws IOException {
    String file = modelFile(location);
    MatchResult match = FileSystems.match(file);
    if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
      throw new PortableModelException("model file " + file + " does not exist (train a model first, or give --model a model folder)");
    }
    ResourceId id = match.metadata().get(0).resourceId();
    try (InputStream in = Channels.newInputStream(FileSystems.open(id))) {
      return PortableModel.read(in, file);
    } catch (FileNotFoundException e) {
      throw new PortableModelException("model file " + file + " does not exist");
    }
  }

  /**
   * Reads the model and checks it scores vectors of {@code sensors} values.
   *
   * @throws PortableModelException if it cannot be read or has another number of features (one-line message)
   */
  public static PortableModel loadFor(String location, int sensors) throws IOException {
    PortableModel model = load(location);
    if (model.numFeatures() != sensors) {
      throw new PortableModelException(featureMismatch(location, model.numFeatures(), sensors));
    }
    return model;
  }

  /** The one-line error for a model that does not fit the stream. */
  static String featureMismatch(String location, int features, int sensors) {
    return "--model=" + location + ": the model has " + features + " features but --sensors=" + sensors
        + " (train it with --sensors=" + sensors + ", or score with --sensors=" + features + ")";
  }
}
