package io.iotbench.pipelines.prepare;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotbench.pipelines.common.BoundedLineReader;
import io.iotbench.pipelines.common.InvalidOptionException;
import io.iotbench.pipelines.common.Json;
import io.iotbench.pipelines.common.RejectedRowsOptions;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * The check that ends a prepare or evaluate run whose input was mostly not rows: when every row read was rejected,
 * or more than {@code --maxRejectedFraction} of them, the run fails with one line naming the likely cause, read
 * from the first dead letter written (binary data, or the parser's reason, e.g. the number of fields).
 */
public final class RejectedRows {
  /** How much of a dead letter's error the failure line quotes. */
  static final int MAX_CAUSE_CHARS = 200;
  /** The longest dead-letter line read back (a payload of {@link InputFiles#MAX_ROW_CHARS}, JSON-escaped). */
  private static final int MAX_DEAD_LETTER_CHARS = 8 * InputFiles.MAX_ROW_CHARS;

  /** A run that rejected too many rows; its message is the one line the command prints. */
  public static final class TooManyRejectedRowsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooManyRejectedRowsException(String message) {
      super(message);
    }
  }

  private RejectedRows() {}

  /** Checks {@code --maxRejectedFraction}; throws {@link InvalidOptionException} naming it. */
  public static void validate(RejectedRowsOptions options) {
    double fraction = options.getMaxRejectedFraction();
    InvalidOptionException.check(fraction >= 0 && fraction <= 1, "maxRejectedFraction", fraction, "must be within [0, 1]");
  }

  /** Whether {@code rejected} of {@code read} rows is a failed run: all of them, or more than {@code maxFraction}. */
  public static boolean tooMany(long read, long rejected, double maxFraction) {
    return rejected > 0 && (rejected == read || (double) rejected / read > maxFraction);
  }

  /**
   * Throws {@link TooManyRejectedRowsException} when {@link #tooMany}: the line names the counts, the likely
   * cause and where the dead letters are.
   */
  public static void check(String input, long read, long rejected, double maxFraction, String rejectedFolder) throws IOException {
    if (!tooMany(read, rejected, maxFraction)) {
      return;
    }
    String counts =
        rejected == read
            ? String.format(Locale.ROOT, "all %d rows of --input=%s were rejected", read, input)
            : String.format(
                Locale.ROOT, "%d of %d rows of --input=%s were rejected, more than --maxRejectedFraction=%s", rejected, read, input,
                Double.toString(maxFraction));
    throw new TooManyRejectedRowsException(
        counts + "; likely cause: " + likelyCause(rejectedFolder) + "; dead letters in " + rejectedFolder);
  }

  /** The likely cause, from the first dead letter in {@code rejectedFolder} (in file-name order). */
  static String likelyCause(String rejectedFolder) throws IOException {
    String glob =
        FileSystems.matchNewResource(rejectedFolder, true).resolve("*", StandardResolveOptions.RESOLVE_FILE).toString();
    List<ResourceId> files = PreparedSet.match(glob);
    files.sort(Comparator.comparing(ResourceId::toString));
    for (ResourceId file : files) {
      try (BoundedLineReader in = BoundedLineReader.utf8(Channels.newInputStream(FileSystems.open(file)), MAX_DEAD_LETTER_CHARS)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (!line.isBlank() && !in.lastLineCut()) {
            JsonNode dead = Json.MAPPER.readTree(line);
            return cause(dead.path("payload").asText(""), dead.path("error").asText(""));
          }
        }
      }
    }
    return "unknown (no dead letter was found)";
  }

  /** The likely cause of a rejected row with {@code payload}, rejected for {@code error}. */
  static String cause(String payload, String error) {
    if (payload.startsWith("PAR1")) {
      return "these files are Parquet, not CSV";
    }
    if (isBinary(payload)) {
      return "these files are not CSV text (binary data; a compressed file needs its extension, e.g. .gz, and a Parquet "
          + "file must be named *" + InputFiles.PARQUET_SUFFIX + " or start with PAR1)";
    }
    String reason = error;
    // The parser's message quotes the offending text after ": '"; the reason is what comes before.
    int quote = reason.startsWith("field '") ? reason.indexOf(": '") : -1;
    if (quote > 0) {
      reason = reason.substring(0, quote);
    }
    if (reason.length() > MAX_CAUSE_CHARS) {
      reason = reason.substring(0, MAX_CAUSE_CHARS) + "...";
    }
    return "rows are not what was expected, e.g. " + reason;
  }

  private static boolean isBinary(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\uFFFD' || (c < 0x20 && c != '\t') || c == 0x7F) {
        return true;
      }
    }
    return false;
  }
}
