package io.iotbench.pipelines.testing;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystem;
import org.apache.beam.sdk.io.FileSystemRegistrar;
import org.apache.beam.sdk.io.fs.CreateOptions;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A Beam file system for tests, under the scheme {@value #SCHEME} ({@code failfs:///tmp/x} is the local file
 * {@code /tmp/x}), that fails on demand: once {@link #failWrites} is armed, a file whose path matches the predicate
 * fails after it has been given the set number of bytes, so a command's output breaks in the middle of a write;
 * {@link #failRenamesTo} makes a rename to a matching path fail.
 * Registered through {@code META-INF/services}, as Beam finds every file system.
 */
public final class FailingFileSystem extends FileSystem<FailingFileSystem.Id> {
  public static final String SCHEME = "failfs";

  private static volatile Predicate<String> failing = path -> false;
  private static volatile long failAfterBytes;
  private static volatile Predicate<String> failingRenames = path -> false;
  private static final AtomicInteger FAILURES = new AtomicInteger();
  private static final AtomicLong CREATED = new AtomicLong();

  /** Makes writes to files whose path matches {@code paths} fail once they got {@code afterBytes} bytes. */
  public static void failWrites(Predicate<String> paths, long afterBytes) {
    failAfterBytes = afterBytes;
    failing = paths;
    FAILURES.set(0);
  }

  /** Makes the next rename whose destination path matches {@code paths} fail (once: a retry succeeds). */
  public static void failRenamesTo(Predicate<String> paths) {
    failingRenames = paths;
    FAILURES.set(0);
  }

  /** Disarms the failures. */
  public static void reset() {
    failing = path -> false;
    failingRenames = path -> false;
    FAILURES.set(0);
  }

  /** How many writes failed since the failure was armed. */
  public static int failures() {
    return FAILURES.get();
  }

  /** The {@value #SCHEME} location of a local path. */
  public static String uri(Path local) {
    return SCHEME + "://" + local.toAbsolutePath();
  }

  /** Registers the file system with Beam. */
  public static final class Registrar implements FileSystemRegistrar {
    @Override
    public Iterable<FileSystem<?>> fromOptions(PipelineOptions options) {
      return List.of(new FailingFileSystem());
    }
  }

  /** A location: a local path and whether it is a folder. */
  public static final class Id implements ResourceId {
    private static final long serialVersionUID = 1L;
    private final String path;
    private final boolean directory;

    Id(String path, boolean directory) {
      this.path = path;
      this.directory = directory;
    }

    Path path() {
      return Paths.get(path);
    }

    @Override
    public ResourceId resolve(String other, ResolveOptions options) {
      boolean dir = options == ResolveOptions.StandardResolveOptions.RESOLVE_DIRECTORY;
      return new Id(Paths.get(path).resolve(other).toString(), dir);
    }

    @Override
    public ResourceId getCurrentDirectory() {
      return directory ? this : new Id(Paths.get(path).getParent().toString(), true);
    }

    @Override
    public String getScheme() {
      return SCHEME;
    }

    @Override
    public String getFilename() {
      Path name = Paths.get(path).getFileName();
      return name == null ? null : name.toString();
    }

    @Override
    public boolean isDirectory() {
      return directory;
    }

    @Override
    public String toString() {
      return SCHEME + "://" + path + (directory && !path.endsWith("/") ? "/" : "");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Id other && other.path.equals(path) && other.directory == directory;
    }

    @Override
    public int hashCode() {
      return path.hashCode();
    }
  }

  private static String localPath(String spec) {
    String rest = spec.substring(SCHEME.length() + "://".length());
    return rest.isEmpty() ? "/" : rest;
  }

  @Override
  protected List<MatchResult> match(List<String> specs) throws IOException {
    List<MatchResult> results = new ArrayList<>();
    for (String spec : specs) {
      results.add(matchOne(localPath(spec)));
    }
    return results;
  }

  private static MatchResult matchOne(String pattern) throws IOException {
    int wildcard = firstWildcard(pattern);
    List<MatchResult.Metadata> found = new ArrayList<>();
    if (wildcard < 0) {
      Path file = Paths.get(pattern);
      // Like HDFS, an exact path matches a folder too (so it can be deleted when empty).
      if (Files.exists(file)) {
        found.add(metadata(file));
      }
    } else {
      Path base = Paths.get(pattern.substring(0, pattern.lastIndexOf('/', wildcard) + 1));
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
      if (Files.isDirectory(base)) {
        try (Stream<Path> walk = Files.walk(base)) {
          for (Path p : (Iterable<Path>) walk::iterator) {
            if (Files.isRegularFile(p) && matcher.matches(p)) {
              found.add(metadata(p));
            }
          }
        }
      }
    }
    return found.isEmpty()
        ? MatchResult.create(MatchResult.Status.NOT_FOUND, new FileNotFoundException(pattern))
        : MatchResult.create(MatchResult.Status.OK, found);
  }

  private static int firstWildcard(String pattern) {
    for (int i = 0; i < pattern.length(); i++) {
      if ("*?[{".indexOf(pattern.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  private static MatchResult.Metadata metadata(Path file) throws IOException {
    return MatchResult.Metadata.builder()
        .setResourceId(new Id(file.toString(), false))
        .setSizeBytes(Files.size(file))
        .setIsReadSeekEfficient(true)
        .setLastModifiedMillis(Files.getLastModifiedTime(file).toMillis())
        .build();
  }

  @Override
  protected WritableByteChannel create(Id id, CreateOptions options) throws IOException {
    CREATED.incrementAndGet();
    Path file = id.path();
    Files.createDirectories(file.getParent());
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    if (!failing.test(file.toString())) {
      return channel;
    }
    long limit = failAfterBytes;
    return new WritableByteChannel() {
      private long written;

      @Override
      public int write(ByteBuffer src) throws IOException {
        if (written + src.remaining() > limit) {
          FAILURES.incrementAndGet();
          throw new IOException("injected failure: no space left writing " + file + " after " + written + " bytes");
        }
        int n = channel.write(src);
        written += n;
        return n;
      }

      @Override
      public boolean isOpen() {
        return channel.isOpen();
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }

  @Override
  protected ReadableByteChannel open(Id id) throws IOException {
    try {
      return FileChannel.open(id.path(), StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new FileNotFoundException(id.toString());
    }
  }

  @Override
  protected void copy(List<Id> srcs, List<Id> dests) throws IOException {
    for (int i = 0; i < srcs.size(); i++) {
      Files.createDirectories(dests.get(i).path().getParent());
      Files.copy(srcs.get(i).path(), dests.get(i).path(), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  protected void rename(List<Id> srcs, List<Id> dests, MoveOptions... options) throws IOException {
    for (int i = 0; i < srcs.size(); i++) {
      if (failingRenames.test(dests.get(i).path().toString())) {
        failingRenames = path -> false;
        FAILURES.incrementAndGet();
        throw new IOException("injected failure: cannot rename " + srcs.get(i) + " to " + dests.get(i));
      }
      Files.createDirectories(dests.get(i).path().getParent());
      try {
        Files.move(srcs.get(i).path(), dests.get(i).path(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (NoSuchFileException e) {
        if (!List.of(options).contains(MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES)) {
          throw new FileNotFoundException(srcs.get(i).toString());
        }
      }
    }
  }

  @Override
  protected void delete(Collection<Id> ids) throws IOException {
    for (Id id : ids) {
      try {
        if (Files.isDirectory(id.path())) {
          // Like an object store's prefix: a folder goes with whatever is left in it (empty folders of Beam's writes).
          io.iotbench.model.support.Folders.deleteRecursively(id.path());
          continue;
        }
        Files.delete(id.path());
      } catch (NoSuchFileException e) {
        throw new FileNotFoundException(id.toString());
      }
    }
  }

  @Override
  protected Id matchNewResource(String singleResourceSpec, boolean isDirectory) {
    return new Id(localPath(singleResourceSpec), isDirectory);
  }

  @Override
  protected String getScheme() {
    return SCHEME;
  }
}
