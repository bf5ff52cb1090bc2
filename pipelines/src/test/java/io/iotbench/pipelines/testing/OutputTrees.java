package io.iotbench.pipelines.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Snapshots of output folders on local disk, to show that a failed run changed nothing. */
public final class OutputTrees {
  private OutputTrees() {}

  /** Every file below {@code root} by relative path, with a digest of its bytes (compared, not printed). */
  public static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p)) {
          byte[] bytes = Files.readAllBytes(p);
          files.put(root.relativize(p).toString(), bytes.length + ":" + Arrays.hashCode(bytes));
        }
      }
    }
    return files;
  }

  /** The names in {@code folder}: a failed run must leave no temporary or backup sibling beside its output. */
  public static List<String> names(Path folder) throws IOException {
    try (Stream<Path> list = Files.list(folder)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
