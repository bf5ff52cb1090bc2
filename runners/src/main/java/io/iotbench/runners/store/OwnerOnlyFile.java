package io.iotbench.runners.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold a secret (a store's credentials): created readable and writable by their owner only (mode 0600)
 * before anything is written into them, so the secret is never readable by others, not even for a moment. An
 * existing file is replaced rather than rewritten, since its old permissions may be wider.
 */
public final class OwnerOnlyFile {
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private OwnerOnlyFile() {}

  /** A new empty file at {@code file} (replacing any), mode 0600 where the file system has POSIX permissions. */
  public static Path create(Path file) throws IOException {
    Files.deleteIfExists(file);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    }
    Path created = Files.createFile(file);
    java.io.File f = created.toFile();
    f.setReadable(false, false);
    f.setWritable(false, false);
    f.setReadable(true, true);
    f.setWritable(true, true);
    return created;
  }

  /** {@code text} into a new owner-only file at {@code file}. */
  public static Path write(Path file, String text) throws IOException {
    return Files.writeString(create(file), text, StandardCharsets.UTF_8);
  }
}
