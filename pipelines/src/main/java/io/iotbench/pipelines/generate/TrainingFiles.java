package io.iotbench.pipelines.generate;

import io.iotbench.pipelines.common.storage.StorageCheck;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Where the generator's files go. Like Spark's {@code saveAsTextFile}, the output is a folder (any Beam
 * FileSystems location) holding one {@code part-PPPPP-of-NNNNN.csv[.gz]} file per partition, so a reader takes
 * {@code <output>/part-*}.
 */
public final class TrainingFiles {
  /** The glob, relative to the output folder, that matches every part file. */
  public static final String PART_GLOB = "part-*";

  private TrainingFiles() {}

  /**
   * The output location as a URI-like string that FileSystems accepts: a plain local path is made absolute,
   * so the same location means the same folder to every worker; anything with a scheme is left as it is.
   */
  public static String normalize(String output) {
    return StorageCheck.normalize(output);
  }

  /** The output folder. */
  public static ResourceId directory(String output) {
    return FileSystems.matchNewResource(normalize(output), true);
  }

  /** The name of partition {@code partition}'s file. */
  public static String partFileName(int partition, int partitions, Compression compression) {
    return String.format(Locale.ROOT, "part-%05d-of-%05d.csv%s", partition, partitions, compression.getSuggestedSuffix());
  }

  /** Partition {@code partition}'s file in the output folder. */
  public static ResourceId partFile(String output, int partition, int partitions, Compression compression) {
    return directory(output).resolve(partFileName(partition, partitions, compression), StandardResolveOptions.RESOLVE_FILE);
  }

  /** The glob matching every part file of {@code output}, for readers such as {@code prepare}. */
  public static String partGlob(String output) {
    return directory(output).resolve(PART_GLOB, StandardResolveOptions.RESOLVE_FILE).toString();
  }

  /** The part files now in the output folder (none when the folder does not exist). */
  public static List<MatchResult.Metadata> listParts(String output) throws IOException {
    MatchResult match = FileSystems.match(partGlob(output), EmptyMatchTreatment.ALLOW);
    if (match.status() != MatchResult.Status.OK) {
      return List.of();
    }
    return match.metadata();
  }

  /** Total size in bytes of the part files now in the output folder. */
  public static long totalBytes(String output) throws IOException {
    long total = 0;
    for (MatchResult.Metadata metadata : listParts(output)) {
      total += metadata.sizeBytes();
    }
    return total;
  }
}
