package io.iotbench.model.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Recursive delete of a folder tree. Logs nothing, because it also runs in shutdown hooks, when logging may be gone. */
public final class Folders {

  private Folders() {}

  /**
   * Deletes {@code dir} and everything in it; a missing (or null) folder is no error. Symbolic links are deleted, not
   * followed.
   *
   * @throws IOException if something could not be deleted
   */
  public static void deleteRecursively(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    for (Path p : deepestFirst(dir)) {
      Files.deleteIfExists(p);
    }
  }

  /**
   * Best effort {@link #deleteRecursively}: deletes what it can, never throws, and returns false if something is
   * left. For temporary folders, where a leftover is harmless.
   */
  public static boolean deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return true;
    }
    boolean all = true;
    try {
      for (Path p : deepestFirst(dir)) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          all = false;
        }
      }
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
    return all;
  }

  private static List<Path> deepestFirst(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths.sorted(Comparator.reverseOrder()).toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
