package io.iotbench.model.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FoldersTest {
  @TempDir Path temp;

  @Test
  void deletesATreeAndToleratesAMissingFolder() throws Exception {
    Path root = temp.resolve("root");
    Files.createDirectories(root.resolve("a/b"));
    Files.writeString(root.resolve("a/b/file"), "x");
    Files.writeString(root.resolve("top"), "y");
    Folders.deleteRecursively(root);
    assertFalse(Files.exists(root));
    Folders.deleteRecursively(root);
    Folders.deleteRecursively(null);
  }

  @Test
  void quietDeleteReportsSuccess() throws Exception {
    Path root = temp.resolve("quiet");
    Files.createDirectories(root.resolve("sub"));
    Files.writeString(root.resolve("sub/file"), "x");
    assertTrue(Folders.deleteQuietly(root));
    assertFalse(Files.exists(root));
    assertTrue(Folders.deleteQuietly(root));
  }
}
