package io.iotbench.simulator.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removes the brokers' temporary folders. It logs nothing, because it also runs in shutdown hooks,
 * when the logging system may already be gone.
 */
final class Folders {

  private Folders() {}

  /** Deletes {@code dir} and everything in it; returns false if something could not be deleted. */
  static boolean deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return true;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
      return true;
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }
}
