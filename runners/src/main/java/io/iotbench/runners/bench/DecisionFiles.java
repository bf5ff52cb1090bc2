package io.iotbench.runners.bench;

import io.iotbench.pipelines.score.Decision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The decisions a {@code score} run wrote with {@code --decisionsOutput=DIR/NAME}: every finished file
 * {@code NAME*.json} directly in {@code DIR} (Beam's temporary files live in a sub-folder until they are complete),
 * each decision stamped with its file's write time. A streaming run writes a file per pane every few seconds, so
 * the times are those of the panes, not of single decisions.
 */
public final class DecisionFiles {
  private DecisionFiles() {}

  /** Every decision written under {@code prefix}, in the order of their files' write times, then file and line. */
  public static List<WrittenDecision> read(Path prefix) {
    Path dir = prefix.toAbsolutePath().getParent();
    String name = prefix.getFileName().toString();
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> files;
    try (Stream<Path> listed = Files.list(dir)) {
      files = listed
          .filter(p -> Files.isRegularFile(p) && p.getFileName().toString().startsWith(name)
              && p.getFileName().toString().endsWith(".json"))
          .sorted(Comparator.comparingLong(DecisionFiles::written).thenComparing(Path::toString))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the decision files in " + dir, e);
    }
    List<WrittenDecision> decisions = new ArrayList<>();
    for (Path file : files) {
      long written = written(file);
      try {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            decisions.add(new WrittenDecision(Decision.fromJson(line), written, decisions.size()));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the decision file " + file, e);
      }
    }
    return decisions;
  }

  /** Whether any decision file exists under {@code prefix} yet. */
  public static boolean any(Path prefix) {
    Path dir = prefix.toAbsolutePath().getParent();
    String name = prefix.getFileName().toString();
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> listed = Files.list(dir)) {
      return listed.anyMatch(p -> Files.isRegularFile(p) && p.getFileName().toString().startsWith(name)
          && p.getFileName().toString().endsWith(".json"));
    } catch (IOException e) {
      return false;
    }
  }

  private static long written(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the write time of " + file, e);
    }
  }
}
