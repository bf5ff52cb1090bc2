package io.iotbench.runners.serve;

import io.iotbench.model.scoring.PortableModel;
import io.iotbench.model.scoring.PortableModelException;
import io.iotbench.model.scoring.Scorer;
import io.iotbench.pipelines.score.ModelLoader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * One loaded model as the server answers with it: its scorer, its V2 name and its version, the first 16 hex digits
 * of the SHA-256 of its {@code model.json} bytes. The version is a content hash rather than a time or a counter so
 * that the same file always has the same version, on every server and after every restart, and a client can tell
 * which model gave an answer.
 */
record ServedModel(String name, String version, PortableModel model, String file) {
  Scorer scorer() {
    return model.scorer();
  }

  int numFeatures() {
    return model.numFeatures();
  }

  /** The bytes of the model file of {@code location} (a model folder or its .json), read once. */
  static byte[] read(String location) throws IOException {
    String file = ModelLoader.modelFile(location);
    MatchResult match = FileSystems.match(file);
    if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
      throw new PortableModelException("model file " + file + " does not exist (train a model first, or give --model a model folder)");
    }
    try (InputStream in = Channels.newInputStream(FileSystems.open(match.metadata().get(0).resourceId()))) {
      return in.readAllBytes();
    } catch (FileNotFoundException e) {
      throw new PortableModelException("model file " + file + " does not exist");
    }
  }

  /**
   * The model in {@code bytes}, read from {@code location}.
   *
   * @throws PortableModelException if the bytes are not a usable portable model (one-line message)
   */
  static ServedModel of(String name, String location, byte[] bytes) {
    String file = ModelLoader.modelFile(location);
    return new ServedModel(name, version(bytes), PortableModel.parse(bytes, file), file);
  }

  /** The version of a model file's content. */
  static String version(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
