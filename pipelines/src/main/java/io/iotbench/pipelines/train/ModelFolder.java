package io.iotbench.pipelines.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.iotbench.model.scoring.Algorithm;
import io.iotbench.model.scoring.PortableModel;
import io.iotbench.model.scoring.PortableModelException;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.common.storage.AtomicOutput;
import io.iotbench.pipelines.common.storage.HadoopStorage;
import io.iotbench.pipelines.generate.TrainingFiles;
import io.iotbench.pipelines.prepare.PreparedSet;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.spark.ml.util.MLWritable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The layout of a model folder (any FileSystems location): {@value #MLLIB} holds the model in MLlib's own
 * format (Spark users load it with {@code XxxModel.load}), {@value PortableModel#FILE_NAME} the portable
 * model, {@value #METRICS} the test-set metrics, {@value #ROC} the ROC curve, {@value #LEADERBOARD_CSV} and
 * {@value #LEADERBOARD_MD} every training run of the command, and the marker {@value AtomicOutput#MARKER} that it
 * is complete (a folder without it is refused). Writes it for {@code train} and reads the portable
 * model for scoring.
 */
public final class ModelFolder {
  private static final Logger LOG = LoggerFactory.getLogger(ModelFolder.class);
  public static final String MLLIB = "mllib";
  public static final String METRICS = "metrics.json";
  public static final String ROC = "roc.png";
  public static final String LEADERBOARD_CSV = "leaderboard.csv";
  public static final String LEADERBOARD_MD = "leaderboard.md";

  static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.INDENT_OUTPUT, true)
      .configure(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);

  private ModelFolder() {}

  /** A file of the model folder. */
  public static ResourceId file(String model, String name) {
    return TrainingFiles.directory(model).resolve(name, StandardResolveOptions.RESOLVE_FILE);
  }

  /** The MLlib sub-folder as a path Spark understands (local paths stay plain paths). */
  static String mllibPath(String model) {
    return TrainingFiles.directory(model).resolve(MLLIB, StandardResolveOptions.RESOLVE_DIRECTORY).toString();
  }

  /** A stream that writes {@code name} in the model folder. */
  static OutputStream create(String model, String name, String mimeType) throws IOException {
    return Channels.newOutputStream(FileSystems.create(file(model, name), mimeType));
  }

  static void writeText(String model, String name, String text) throws IOException {
    try (OutputStream out = create(model, name, MimeTypes.TEXT)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  static void writeJson(String model, String name, Map<String, Object> json) throws IOException {
    try (OutputStream out = create(model, name, MimeTypes.TEXT)) {
      JSON.writeValue(out, json);
    }
  }

  /** What train owns in a model folder: a new model replaces these, and leaves other files alone. */
  public static final List<String> OWNED =
      List.of(MLLIB + "/", PortableModel.FILE_NAME, METRICS, ROC, LEADERBOARD_CSV, LEADERBOARD_MD);

  /**
   * Writes the model folder {@code model} for the best run of {@code search}: the MLlib model, the portable model
   * (with {@code training} as its provenance), the best run's test-set metrics and ROC curve, and the leaderboard
   * of every run. Everything, MLlib's own folder included, is written into a temporary sibling of the folder and
   * published with a {@value AtomicOutput#MARKER} marker when complete ({@link AtomicOutput}): the files of an
   * earlier training are replaced only then, and a failed save leaves them as they were.
   */
  static void save(String model, Algorithm algorithm, GridSearch.Result search, Map<String, Object> training)
      throws IOException {
    // Convert before writing anything, so a model the portable format cannot hold leaves no half-written folder.
    PortableModel portable = PortableExport.of(search.model(), training);
    try (AtomicOutput out = AtomicOutput.begin(model, OWNED)) {
      write(out.temp(), algorithm, search, portable, training);
      out.commit();
    }
    LOG.info("Saved {} model to {}", algorithm, model);
  }

  /**
   * Publishes a model folder that holds only the portable model {@code portable} (no MLlib model, metrics or
   * leaderboard): a hand-made model, as benchmarks and tests use. Written like {@link #save}: into a temporary
   * sibling, published with the {@value AtomicOutput#MARKER} marker, replacing what {@code train} owns there.
   *
   * @return {@code model}
   */
  public static String writePortable(String model, PortableModel portable) throws IOException {
    try (AtomicOutput out = AtomicOutput.begin(model, OWNED)) {
      try (OutputStream stream = create(out.temp(), PortableModel.FILE_NAME, "application/json")) {
        portable.write(stream);
      }
      out.commit();
    }
    return model;
  }

  /** Writes every file of the model folder into {@code folder}. */
  static void write(String folder, Algorithm algorithm, GridSearch.Result search, PortableModel portable, Map<String, Object> training)
      throws IOException {
    TrainModel.Run best = search.best();
    ((MLWritable) search.model()).write().overwrite().save(HadoopStorage.hadoopPath(mllibPath(folder)));
    try (OutputStream out = create(folder, PortableModel.FILE_NAME, "application/json")) {
      portable.write(out);
    }
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("algorithm", algorithm.id());
    header.put("params", best.params());
    header.put("set", "test");
    header.put("trainRows", training.get("trainRows"));
    header.put("fitSeconds", best.fitSeconds());
    writeJson(folder, METRICS, best.metrics().toJsonMap(header));
    try (OutputStream out = create(folder, ROC, "image/png")) {
      RocChart.writePng(
          out, search.roc(), algorithm + " " + Hyperparameters.describe(best.params()) + " on the test set", best.metrics().auroc());
    }
    Leaderboard leaderboard = new Leaderboard(search.runs());
    writeText(folder, LEADERBOARD_CSV, leaderboard.csv());
    writeText(folder, LEADERBOARD_MD, leaderboard.markdown("Leaderboard: " + algorithm + " by test AUROC"));
  }

  /**
   * Loads the portable model of {@code model} (a model folder, or the model file itself) through FileSystems.
   *
   * @throws InvalidOptionException naming {@code --model} if there is no model or it is corrupt
   */
  public static PortableModel loadPortable(String model) throws IOException {
    InvalidOptionException.check(model != null && !model.isBlank(), "model", model, "must name a model folder");
    ResourceId file = portableFile(model);
    requireComplete(model);
    // Ask first: S3 answers a missing object with a bare 404 from open(), not a FileNotFoundException.
    if (FileSystems.match(file.toString(), EmptyMatchTreatment.ALLOW).metadata().isEmpty()) {
      throw new InvalidOptionException(
          "--model=" + model + ": no model there (" + file + " does not exist); train one with iotbench train");
    }
    try (InputStream in = Channels.newInputStream(FileSystems.open(file))) {
      return PortableModel.read(in, file.toString());
    } catch (FileNotFoundException | NoSuchFileException e) {
      throw new InvalidOptionException(
          "--model=" + model + ": no model there (" + file + " does not exist); train one with iotbench train");
    } catch (PortableModelException e) {
      throw new InvalidOptionException("--model=" + model + ": " + e.getMessage());
    }
  }

  /**
   * Checks that the model folder {@code model} (a {@code --model} value) is complete: its
   * {@value AtomicOutput#MARKER} marker is there. A model file named by itself ({@code .../model.json}, any name
   * ending in {@code .json}) is read as it is, as files named explicitly are elsewhere; a folder that does not exist
   * or is empty is left to the caller's "no model there". Every command that reads {@code --model} calls this on
   * the driver before its pipeline starts; workers then read the model file without asking again.
   *
   * @throws InvalidOptionException naming {@code --model} and the missing marker
   */
  public static void requireComplete(String model) throws IOException {
    if (isFile(model)) {
      return;
    }
    if (!PreparedSet.match(file(model, "*").toString()).isEmpty()) {
      AtomicOutput.requireComplete("model", model, TrainingFiles.normalize(model));
    }
  }

  /** Whether {@code model} names the portable model file itself rather than a model folder. */
  static boolean isFile(String model) {
    return TrainingFiles.normalize(model).endsWith(".json");
  }

  /** The portable model file of {@code model}: the location itself if it names a .json file. */
  public static ResourceId portableFile(String model) {
    String normalized = TrainingFiles.normalize(model);
    if (isFile(normalized)) {
      return FileSystems.matchNewResource(normalized, false);
    }
    return file(normalized, PortableModel.FILE_NAME);
  }
}
