package io.iotbench.pipelines.common.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.testing.FailingFileSystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicOutputTest {
  private static final List<String> OWNED = List.of("part-*", "sets/", "info.json");

  @TempDir Path temp;
  Path out;

  @BeforeEach
  void previousSet() throws IOException {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    out = temp.resolve("out");
    write(out.resolve("part-00000"), "old 0");
    write(out.resolve("part-00001"), "old 1");
    write(out.resolve("sets/a/part-00000.parquet"), "old a");
    write(out.resolve("info.json"), "{\"old\":true}");
    write(out.resolve(AtomicOutput.MARKER), "");
    write(out.resolve("notes.txt"), "the user's own file");
  }

  @AfterEach
  void disarm() {
    FailingFileSystem.reset();
  }

  @Test
  void aCommittedSetReplacesTheOwnedFilesKeepsOthersAndLeavesNoSibling() throws IOException {
    try (AtomicOutput output = AtomicOutput.begin(out.toString(), OWNED)) {
      assertEquals(out + "/", output.output());
      assertTrue(output.temp().startsWith(out + AtomicOutput.TEMPORARY), output.temp());
      write(Path.of(output.temp(), "part-00000"), "new 0");
      write(Path.of(output.temp(), "sets/b/.hidden.crc"), "crc");
      write(Path.of(output.temp(), "sets/b/part-00000.parquet"), "new b");
      write(Path.of(output.temp(), "info.json"), "{\"new\":true}");
      // Nothing is visible before the commit.
      assertEquals("old 0", read(out.resolve("part-00000")));
      output.commit();
    }
    Map<String, String> files = tree(out);
    assertEquals(List.of(AtomicOutput.MARKER, "info.json", "notes.txt", "part-00000", "sets/b/.hidden.crc", "sets/b/part-00000.parquet"),
        List.copyOf(files.keySet()));
    assertEquals("new 0", files.get("part-00000"));
    assertEquals("the user's own file", files.get("notes.txt"));
    assertTrue(files.get(AtomicOutput.MARKER).contains("\"files\":4"), files.get(AtomicOutput.MARKER));
    assertEquals(List.of("out"), siblings());
    assertTrue(AtomicOutput.isComplete(out.toString()));
  }

  @Test
  void aFirstSetIsPublishedIntoAFolderThatDidNotExist() throws IOException {
    Path fresh = temp.resolve("fresh/deeper");
    try (AtomicOutput output = AtomicOutput.begin(fresh.toString(), OWNED)) {
      write(Path.of(output.temp(), "part-00000"), "first");
      output.commit();
    }
    assertEquals(List.of(AtomicOutput.MARKER, "part-00000"), List.copyOf(tree(fresh).keySet()));
    assertEquals(List.of("deeper"), names(temp.resolve("fresh")));
  }

  @Test
  void aRunThatFailsBeforeItsCommitLeavesThePreviousSetAndNoSibling() throws IOException {
    Map<String, String> before = tree(out);
    try (AtomicOutput output = AtomicOutput.begin(out.toString(), OWNED)) {
      write(Path.of(output.temp(), "part-00000"), "half");
      // the run fails here: no commit
    }
    assertEquals(before, tree(out));
    assertEquals(List.of("out"), siblings());
  }

  @Test
  void aFailedMarkerWriteLeavesThePreviousSet() throws IOException {
    Map<String, String> before = tree(out);
    String location = FailingFileSystem.uri(out);
    FailingFileSystem.failWrites(path -> path.contains(AtomicOutput.TEMPORARY) && path.endsWith(AtomicOutput.MARKER), 0);
    try (AtomicOutput output = AtomicOutput.begin(location, OWNED)) {
      write(Path.of(output.temp().substring((FailingFileSystem.SCHEME + "://").length()), "part-00000"), "new");
      IOException e = assertThrows(IOException.class, output::commit);
      assertTrue(e.getMessage().startsWith("injected failure"), e.getMessage());
    }
    assertEquals(1, FailingFileSystem.failures());
    assertEquals(before, tree(out));
    assertEquals(List.of("out"), siblings());
  }

  @Test
  void aMoveThatFailsDuringTheSwapPutsThePreviousSetBack() throws IOException {
    Map<String, String> before = tree(out);
    String location = FailingFileSystem.uri(out);
    // The last move of the swap: the new marker into the output folder.
    FailingFileSystem.failRenamesTo(path -> path.equals(out.resolve(AtomicOutput.MARKER).toString()) && !path.contains("_backup"));
    try (AtomicOutput output = AtomicOutput.begin(location, OWNED)) {
      String local = output.temp().substring((FailingFileSystem.SCHEME + "://").length());
      write(Path.of(local, "part-00000"), "new 0");
      write(Path.of(local, "sets/b/part-00000.parquet"), "new b");
      IOException e = assertThrows(IOException.class, output::commit);
      assertTrue(e.getMessage().contains("the previous set was put back"), e.getMessage());
    }
    assertTrue(FailingFileSystem.failures() >= 1);
    assertEquals(before.keySet(), tree(out).keySet());
    assertEquals(before, tree(out));
    assertEquals(List.of("out"), siblings());
  }

  @Test
  void aFolderWithoutItsMarkerIsRefusedInOneLineNamingTheOption() throws IOException {
    Files.delete(out.resolve(AtomicOutput.MARKER));
    InvalidOptionException e =
        assertThrows(InvalidOptionException.class, () -> AtomicOutput.requireComplete("input", "given/out", out.toString()));
    assertEquals(
        "--input=given/out: not a complete output (no _SUCCESS in " + out + "/): the run that wrote it failed or has not "
            + "finished; to read files without the marker, name the files",
        e.getMessage());
    assertFalse(AtomicOutput.isComplete(out.toString()));
  }

  @Test
  void aRootFolderHasNoSiblingAndIsRefused() {
    assertThrows(InvalidOptionException.class, () -> AtomicOutput.begin("s3://bucket/", OWNED));
    assertThrows(InvalidOptionException.class, () -> AtomicOutput.begin("s3://bucket", OWNED));
    assertThrows(InvalidOptionException.class, () -> AtomicOutput.begin("/", OWNED));
    assertEquals("s3://bucket/data._temporary-", AtomicOutput.begin("s3://bucket/data", OWNED).temp().substring(0, 28));
  }

  @Test
  void aKeptTemporaryFolderStaysWithoutAMarker() throws IOException {
    String kept;
    try (AtomicOutput output = AtomicOutput.begin(out.toString(), OWNED)) {
      write(Path.of(output.temp(), "rejected/part-0"), "dead letters");
      output.keepTemporary();
      kept = output.temp();
    }
    assertEquals(List.of("rejected/part-0"), List.copyOf(tree(Path.of(kept)).keySet()));
    assertFalse(AtomicOutput.isComplete(kept));
  }

  private List<String> siblings() throws IOException {
    return names(temp);
  }

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> list = Files.list(folder)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Every file below {@code root} by relative path, with its text. */
  static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p)) {
          files.put(root.relativize(p).toString(), read(p));
        }
      }
    }
    return files;
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
