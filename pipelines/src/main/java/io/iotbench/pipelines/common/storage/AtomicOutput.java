package io.iotbench.pipelines.common.storage;

import io.iotbench.model.support.Folders;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.common.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a command's output set (a folder on any Beam FileSystems location) so that readers see the previous set
 * or the new one, never a part of one. The run writes into a temporary sibling {@code <out>._temporary-<runId>/};
 * {@link #commit} writes the marker {@value #MARKER} there last, moves the files of the previous set that this
 * command owns into {@code <out>._backup-<runId>/} (the old marker first), moves the new files into {@code <out>/}
 * (the marker last) and deletes the backup. A run that fails before {@code commit} only deletes its temporary
 * sibling ({@link #close}); the previous set is not touched. Readers accept a folder only with its marker
 * ({@link #requireComplete}). Files in the output folder that the command does not own are left alone.
 *
 * <p>Only Beam's FileSystems calls are used (match, create, rename, delete), so the same code runs on local disk,
 * HDFS and S3. Every file is renamed on its own: on local disk and HDFS each rename is atomic, on S3 a rename is a
 * copy and a delete. What makes the set appear at once on every store is the marker, written last and required by
 * readers; the swap of the old set for the new one is not atomic anywhere (docs/atomic-outputs.md names the crash
 * windows and what they leave).
 *
 * <pre>{@code
 * try (AtomicOutput out = AtomicOutput.begin(options.getOutput(), List.of("part-*", "rejected/"))) {
 *   write(out.temp());
 *   out.commit();
 * }
 * }</pre>
 */
public final class AtomicOutput implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AtomicOutput.class);

  /** The marker of a complete set, as Hadoop's and Spark's jobs write it. */
  public static final String MARKER = "_SUCCESS";
  /** What follows the output folder's name in the temporary sibling's name. */
  public static final String TEMPORARY = "._temporary-";
  /** What follows the output folder's name in the backup sibling's name. */
  public static final String BACKUP = "._backup-";

  private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

  private final String output;
  private final String runId;
  private final List<String> owned;
  private final String temp;
  private final String backup;
  private boolean committed;
  private boolean kept;

  private AtomicOutput(String output, String runId, List<String> owned) {
    this.output = folderString(output);
    this.runId = runId;
    this.owned = List.copyOf(owned);
    String base = this.output.substring(0, this.output.length() - 1);
    this.temp = base + TEMPORARY + runId + "/";
    this.backup = base + BACKUP + runId + "/";
  }

  /**
   * Starts writing the set {@code output}. Nothing is created yet: writers create files under {@link #temp()}.
   *
   * @param output the output folder (a plain local path or any FileSystems URI)
   * @param owned what the command writes in the folder, which a new set replaces: file names or globs
   *     ({@code part-*}) directly in it, and sub-folders ending in {@code /} (everything below them). The marker
   *     is always owned.
   * @throws InvalidOptionException if {@code output} is a file system's or bucket's root, which has no sibling
   */
  public static AtomicOutput begin(String output, List<String> owned) {
    String folder = folderString(output);
    String path = folder.contains("://") ? folder.substring(folder.indexOf("://") + 3) : folder;
    // s3://bucket/ or hdfs://host:port/ or /: no parent folder to hold the sibling.
    if (path.indexOf('/') == path.length() - 1 || path.equals("/")) {
      throw new InvalidOptionException(
          "--output=" + output + ": a root folder cannot be written atomically (its temporary sibling needs a parent); give a sub-folder");
    }
    String runId = RUN_TIME.format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 8);
    return new AtomicOutput(output, runId, owned);
  }

  /** The output folder, normalized, ending in {@code /}. */
  public String output() {
    return output;
  }

  /** The temporary folder to write into, ending in {@code /}: a sibling of the output folder. */
  public String temp() {
    return temp;
  }

  /** The folder that holds the previous set during {@link #commit}, ending in {@code /}. */
  public String backup() {
    return backup;
  }

  /** This run's id, part of the sibling folders' names. */
  public String runId() {
    return runId;
  }

  /**
   * Leaves the temporary folder in place on {@link #close} (without a marker, so no reader takes it): for a
   * failed run whose output explains the failure, such as its dead letters.
   */
  public void keepTemporary() {
    kept = true;
  }

  /**
   * Publishes the temporary folder's set as the output: marker written into it, previous owned files moved to the
   * backup (old marker first), new files moved in (marker last), backup deleted. If a move fails, the previous set
   * is moved back when possible; the exception's message says where the previous set is otherwise.
   */
  public void commit() throws IOException {
    List<String> fresh = relativeFiles(temp);
    fresh.remove(MARKER);
    writeMarker(fresh.size());
    List<String> previous = new ArrayList<>();
    for (String pattern : owned) {
      previous.addAll(ownedFiles(pattern));
    }
    boolean hadMarker = previous.remove(MARKER) || exists(output + MARKER);
    List<String> movedOld = new ArrayList<>();
    List<String> movedNew = new ArrayList<>();
    try {
      // The old marker goes first: from then on readers refuse the folder until the new marker is in.
      if (hadMarker) {
        move(output, backup, MARKER);
        movedOld.add(MARKER);
      }
      for (String name : previous) {
        move(output, backup, name);
        movedOld.add(name);
      }
      for (String name : fresh) {
        move(temp, output, name);
        movedNew.add(name);
      }
      move(temp, output, MARKER);
    } catch (IOException | RuntimeException e) {
      throw new IOException(rollBack(e, movedOld, movedNew), e);
    }
    committed = true;
    LOG.info("Committed {} files to {} (run {}); {} files of the previous set replaced", fresh.size(), output, runId, previous.size());
    // The names tell the sub-folders to remove where the store has folders; the files are gone or about to be.
    deleteTree(backup, withMarker(previous));
    deleteTree(temp, withMarker(fresh));
  }

  private static List<String> withMarker(List<String> names) {
    List<String> all = new ArrayList<>(names);
    all.add(MARKER);
    return all;
  }

  /** Undoes a failed swap: new files back to the temporary folder, old ones back in place (marker last). */
  private String rollBack(Exception cause, List<String> movedOld, List<String> movedNew) {
    try {
      for (String name : movedNew) {
        move(output, temp, name);
      }
      List<String> back = new ArrayList<>(movedOld);
      boolean marker = back.remove(MARKER);
      for (String name : back) {
        move(backup, output, name);
      }
      if (marker) {
        move(backup, output, MARKER);
      }
      deleteTree(temp, List.of());
      deleteTree(backup, withMarker(movedOld));
      return "could not move the new set into " + output + " (" + cause.getMessage() + "); the previous set was put back";
    } catch (IOException | RuntimeException again) {
      LOG.warn("Rolling back {} failed too", output, again);
      return "could not move the new set into " + output + " (" + cause.getMessage() + "); the folder has no "
          + MARKER + " now, so readers refuse it; the previous set is in " + backup + " and the new one in " + temp;
    }
  }

  /** Unless committed (or kept), deletes the temporary folder. Never throws: a leftover sibling is never read. */
  @Override
  public void close() {
    if (committed) {
      return;
    }
    if (kept) {
      // The command's failure line names the folder; no second console line.
      LOG.info("The failed run's output is kept in {} (no {}: never read as a set)", temp, MARKER);
      return;
    }
    try {
      deleteTree(temp, List.of());
      // A runner reports a failure as soon as one bundle fails, while bundles on other threads may still be
      // writing (the DirectRunner does): their files appear after the first delete. Delete again until the
      // folder has stayed empty for a while, within a bound.
      long deadline = System.nanoTime() + SETTLE_LIMIT_NANOS;
      int quiet = 0;
      while (quiet < SETTLE_QUIET_CHECKS && System.nanoTime() < deadline) {
        Thread.sleep(SETTLE_POLL_MILLIS);
        if (relativeFiles(temp).isEmpty()) {
          quiet++;
        } else {
          quiet = 0;
          deleteTree(temp, List.of());
        }
      }
      deleteTree(temp, List.of());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not delete the temporary folder {} of a failed run: {}", temp, e.toString());
    }
  }

  private static final long SETTLE_LIMIT_NANOS = 10_000_000_000L;
  private static final int SETTLE_QUIET_CHECKS = 5;
  private static final long SETTLE_POLL_MILLIS = 100;

  /** Whether {@code folder} holds a complete set (its marker). */
  public static boolean isComplete(String folder) throws IOException {
    return exists(folderString(folder) + MARKER);
  }

  /**
   * Checks that {@code folder} holds a complete set.
   *
   * @param option the option that named it, for the error line
   * @param given the option's value as given
   * @throws InvalidOptionException naming the option and the missing marker
   */
  public static void requireComplete(String option, String given, String folder) throws IOException {
    if (!isComplete(folder)) {
      throw new InvalidOptionException(
          "--" + option + "=" + given + ": not a complete output (no " + MARKER + " in " + folderString(folder)
              + "): the run that wrote it failed or has not finished; to read files without the marker, name the files");
    }
  }

  /** The folder as a FileSystems location string ending in {@code /}; plain local paths made absolute. */
  static String folderString(String location) {
    String normalized = StorageCheck.normalize(location);
    return normalized.endsWith("/") ? normalized : normalized + "/";
  }

  private void writeMarker(int files) throws IOException {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("runId", runId);
    info.put("files", files);
    info.put("committedAt", Instant.now().toString());
    ResourceId marker = FileSystems.matchNewResource(temp + MARKER, false);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(marker, MimeTypes.TEXT))) {
      out.write((Json.MAPPER.writeValueAsString(info) + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The files of the previous set matching {@code pattern}, relative to the output folder. */
  private List<String> ownedFiles(String pattern) throws IOException {
    if (pattern.endsWith("/")) {
      List<String> files = new ArrayList<>();
      for (String name : relativeFiles(output + pattern)) {
        files.add(pattern + name);
      }
      return files;
    }
    List<String> files = new ArrayList<>();
    for (ResourceId file : match(output + pattern)) {
      files.add(relative(output, file.toString()));
    }
    return files;
  }

  private static void move(String fromFolder, String toFolder, String name) throws IOException {
    ResourceId from = FileSystems.matchNewResource(fromFolder + name, false);
    ResourceId to = FileSystems.matchNewResource(toFolder + name, false);
    FileSystems.rename(List.of(from), List.of(to));
  }

  /**
   * Deletes the files {@code names} (relative; every file when empty) under {@code folder}, then its sub-folders
   * and the folder itself where the store has folders (local disk, HDFS; object stores have none). Missing files
   * are no error. Files that were never listed (written while this runs) keep their folders.
   */
  static void deleteTree(String folder, List<String> names) throws IOException {
    List<String> files = names.isEmpty() ? relativeFiles(folder) : names;
    List<ResourceId> ids = new ArrayList<>();
    TreeSet<String> folders = new TreeSet<>(Comparator.comparingInt(String::length).reversed().thenComparing(s -> s));
    for (String name : files) {
      ids.add(FileSystems.matchNewResource(folder + name, false));
      for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
        folders.add(folder + name.substring(0, slash + 1));
      }
    }
    if (!ids.isEmpty()) {
      FileSystems.delete(ids, StandardMoveOptions.IGNORE_MISSING_FILES);
    }
    if (!folder.contains("://") || folder.startsWith("file:")) {
      Path root = Paths.get(folder.startsWith("file:") ? URI.create(folder).getPath() : folder);
      Folders.deleteRecursively(root);
    } else {
      // Beam's Hadoop delete is not recursive: sub-folders deepest first, then the folder. Object stores have no
      // folders: the match that IGNORE_MISSING_FILES makes finds none, and nothing is deleted.
      folders.add(folder);
      for (String f : folders) {
        try {
          FileSystems.delete(List.of(FileSystems.matchNewResource(f, true)), StandardMoveOptions.IGNORE_MISSING_FILES);
        } catch (IOException e) {
          LOG.debug("Could not delete folder {}: {}", f, e.toString());
        }
      }
    }
  }

  /**
   * Every file below {@code folder} (recursively), relative to it, sorted. Local disk and S3 answer {@code **}
   * recursively; Hadoop's glob does not cross {@code /} and lists sub-folders as entries, so on HDFS a listed
   * entry that has entries of its own is followed (an empty sub-folder is listed like a file: renaming or deleting
   * it works the same).
   */
  static List<String> relativeFiles(String folder) throws IOException {
    List<String> files = new ArrayList<>();
    collect(folder, folder, files);
    files.sort(Comparator.naturalOrder());
    return files;
  }

  private static void collect(String root, String folder, List<String> files) throws IOException {
    boolean hdfs = folder.startsWith("hdfs://");
    for (ResourceId entry : match(folder + (hdfs ? "*" : "**"))) {
      String location = entry.toString();
      if (hdfs && !match(location + "/*").isEmpty()) {
        collect(root, location + "/", files);
      } else {
        files.add(relative(root, location));
      }
    }
  }

  private static String relative(String root, String location) {
    if (location.startsWith(root)) {
      return location.substring(root.length());
    }
    // The store may spell the scheme or authority differently (file: or none, a host name or its address):
    // compare on the path.
    String path = location.contains(":") ? URI.create(location).getPath() : location;
    String rootPath = root.contains(":") ? URI.create(root).getPath() : root;
    if (path.startsWith(rootPath)) {
      return path.substring(rootPath.length());
    }
    throw new IllegalStateException(location + " is not under " + root);
  }

  private static boolean exists(String location) throws IOException {
    return !match(location).isEmpty();
  }

  private static List<ResourceId> match(String glob) throws IOException {
    MatchResult match = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
    List<ResourceId> files = new ArrayList<>();
    if (match.status() == MatchResult.Status.OK) {
      for (MatchResult.Metadata m : match.metadata()) {
        files.add(m.resourceId());
      }
    }
    return files;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "AtomicOutput[%s, run %s]", output, runId);
  }
}
