package io.iotbench.runners.portability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CanonicalRecordsTest {
  @TempDir Path dir;

  @Test
  void checksumIgnoresOrderButNotContent() {
    CanonicalRecords.Canonical a = CanonicalRecords.of(List.of("b", "a", "c"));
    CanonicalRecords.Canonical b = CanonicalRecords.of(List.of("c", "b", "a"));
    assertEquals(a.sha256(), b.sha256());
    assertEquals(List.of("a", "b", "c"), a.sorted());
    assertEquals(3, a.count());
    assertNotEquals(a.sha256(), CanonicalRecords.of(List.of("a", "b", "C")).sha256());
    // Record boundaries count: "ab" is not "a" + "b".
    assertNotEquals(CanonicalRecords.of(List.of("ab")).sha256(), CanonicalRecords.of(List.of("a", "b")).sha256());
  }

  @Test
  void checksumIsSha256OfSortedRecordsEachEndedByNewline() {
    // printf 'a\nb\n' | sha256sum
    assertEquals("911169ddaaf146aff539f58c26c489af3b892dff0fe283c1c264c65ae5aa59a2", CanonicalRecords.of(List.of("b", "a")).sha256());
  }

  @Test
  void firstDifferenceIsTheFirstSortedPositionThatDiffers() {
    assertEquals(Optional.empty(), CanonicalRecords.firstDifference(List.of("a", "b"), List.of("a", "b")));
    assertEquals(
        Optional.of(new CanonicalRecords.Difference(1, "b", "c")),
        CanonicalRecords.firstDifference(List.of("a", "b", "d"), List.of("a", "c", "d")));
    assertEquals(
        Optional.of(new CanonicalRecords.Difference(2, "x", null)),
        CanonicalRecords.firstDifference(List.of("a", "b", "x"), List.of("a", "b")));
    assertEquals(
        Optional.of(new CanonicalRecords.Difference(1, null, "z")),
        CanonicalRecords.firstDifference(List.of("a"), List.of("a", "z")));
  }

  @Test
  void differenceDescribesBothRecordsShortened() {
    CanonicalRecords.Difference d = new CanonicalRecords.Difference(4, "0,0.12345,0.5", null);
    assertEquals("sorted record 5: direct has '0,0.12...', this run has no record", d.describe("direct", 6));
  }

  @Test
  void readsEveryPartFileIncludingGzipAndIgnoresOthers() throws IOException {
    Files.writeString(dir.resolve("part-00000-of-00002.csv"), "1,0.5\n0,0.1\n");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("part-00001-of-00002.csv.gz")))) {
      out.write("1,0.9\n".getBytes(StandardCharsets.UTF_8));
    }
    Files.writeString(dir.resolve(".part-00002-of-00002.csv.x.inprogress"), "junk\n");
    Files.writeString(dir.resolve("_SUCCESS"), "junk\n");
    assertEquals(List.of("1,0.5", "0,0.1", "1,0.9"), CanonicalRecords.linesOfPartFiles(dir));
  }

  @Test
  void missingOutputFolderIsAnError() {
    assertThrows(IOException.class, () -> CanonicalRecords.linesOfPartFiles(dir.resolve("none")));
  }
}
