package io.iotbench.pipelines.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.model.scoring.PortableModel;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.common.storage.AtomicOutput;
import io.iotbench.pipelines.testing.OutputTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hand-made model folder is published with its marker; a model folder without it is refused, its file read. */
class ModelFolderTest {
  @TempDir Path temp;

  private static PortableModel model(int features) {
    return PortableModel.logisticRegression(new double[features], -1.0, 0.5, Map.of("note", "hand-made"));
  }

  @Test
  void writePortablePublishesTheModelWithItsMarkerAndReplacesWhatTrainOwns() throws Exception {
    Path folder = temp.resolve("runs/model");
    Files.createDirectories(folder.resolve(ModelFolder.MLLIB + "/metadata"));
    Files.writeString(folder.resolve(ModelFolder.MLLIB + "/metadata/part-00000"), "an older MLlib model");
    Files.writeString(folder.resolve(ModelFolder.METRICS), "{}");
    Files.writeString(folder.resolve("notes.txt"), "not train's");

    assertEquals(folder.toString(), ModelFolder.writePortable(folder.toString(), model(4)));

    assertEquals(List.of(AtomicOutput.MARKER, "model.json", "notes.txt"), List.copyOf(OutputTrees.snapshot(folder).keySet()));
    assertEquals(model(4).toBytes().length, Files.size(folder.resolve(PortableModel.FILE_NAME)));
    assertEquals(List.of("model"), OutputTrees.names(temp.resolve("runs")), "no temporary sibling is left");
    assertEquals(4, ModelFolder.loadPortable(folder.toString()).numFeatures());
  }

  @Test
  void aModelFolderWithoutItsMarkerIsRefusedWithOneLine() throws Exception {
    Path folder = Path.of(ModelFolder.writePortable(temp.resolve("model").toString(), model(3)));
    ModelFolder.requireComplete(folder.toString());
    Files.delete(folder.resolve(AtomicOutput.MARKER));

    InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> ModelFolder.requireComplete(folder.toString()));
    String line = "--model=" + folder + ": not a complete output (no _SUCCESS in " + folder + "/): the run that wrote it "
        + "failed or has not finished; to read files without the marker, name the files";
    assertEquals(line, e.getMessage());
    assertEquals(line, assertThrows(InvalidOptionException.class, () -> ModelFolder.loadPortable(folder.toString())).getMessage());
    assertEquals(line.replace("--model=" + folder, "--model=" + folder + "/"),
        assertThrows(InvalidOptionException.class, () -> ModelFolder.requireComplete(folder + "/")).getMessage());
  }

  @Test
  void aModelFileNamedByItselfIsReadWithoutAMarker() throws Exception {
    Path folder = Path.of(ModelFolder.writePortable(temp.resolve("model").toString(), model(3)));
    Files.delete(folder.resolve(AtomicOutput.MARKER));
    Path file = folder.resolve(PortableModel.FILE_NAME);

    ModelFolder.requireComplete(file.toString());
    assertEquals(3, ModelFolder.loadPortable(file.toString()).numFeatures());
    // Any .json file: a model copied out of its folder under another name.
    Path copy = Files.copy(file, temp.resolve("lr-3.json"));
    assertEquals(3, ModelFolder.loadPortable(copy.toString()).numFeatures());
  }

  @Test
  void aMissingOrEmptyFolderIsLeftToNoModelThere() throws Exception {
    Path missing = temp.resolve("missing");
    Path empty = Files.createDirectories(temp.resolve("empty"));
    ModelFolder.requireComplete(missing.toString());
    ModelFolder.requireComplete(empty.toString());
    InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> ModelFolder.loadPortable(empty.toString()));
    assertTrue(e.getMessage().startsWith("--model=" + empty + ": no model there (" + empty + "/model.json does not exist)"), e.getMessage());
  }
}
