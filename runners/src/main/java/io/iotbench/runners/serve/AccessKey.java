package io.iotbench.runners.serve;

import io.iotbench.runners.store.OwnerOnlyFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The access key of {@code iotbench serve}: read from the first line of a file, or generated (32 random bytes from
 * {@link SecureRandom}, as 64 hex digits) and written to an owner-only file. Never taken from the command line,
 * where {@code ps} would show it to every user of the machine.
 */
final class AccessKey {
  // Printable ASCII without blanks: it travels in an HTTP header.
  private static final Pattern USABLE = Pattern.compile("[\\x21-\\x7e]{8,512}");

  private AccessKey() {}

  /**
   * The key in the first line of {@code file}.
   *
   * @throws IllegalArgumentException naming the file (never its content) if it cannot be read or holds no usable key
   */
  static String read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the access key file " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    String key = lines.isEmpty() ? "" : lines.get(0).strip();
    if (!USABLE.matcher(key).matches()) {
      throw new IllegalArgumentException("the first line of " + file
          + " is not a usable access key (8-512 printable ASCII characters without blanks)");
    }
    return key;
  }

  /** A new random key. */
  static String generate() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Writes {@code key} and a newline to a new owner-only (0600) file at {@code file}, replacing any. */
  static Path write(Path file, String key) throws IOException {
    return OwnerOnlyFile.write(file, key + "\n");
  }
}
