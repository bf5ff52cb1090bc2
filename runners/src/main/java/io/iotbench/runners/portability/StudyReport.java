package io.iotbench.runners.portability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The study's tables: a pipeline × runner matrix of ✓/✗ with wall seconds, and one detail row per run (wall
 * seconds, records/s, checksum, verdict, note), as Markdown ({@code table.md}, also printed) and CSV
 * ({@code table.csv}, one row per run), plus the final {@code RESULT} line.
 */
public final class StudyReport {
  /** Header of {@code table.csv}. */
  public static final String CSV_HEADER = "pipeline,runner,outcome,wall_seconds,records,records_per_second,sha256,equal,note";

  private final List<StudyResult> results;
  private final String referenceNote;

  /**
   * @param results the cells, in run order
   * @param referenceNote one sentence on what was compared with what
   */
  public StudyReport(List<StudyResult> results, String referenceNote) {
    this.results = List.copyOf(results);
    this.referenceNote = referenceNote;
  }

  /** The Markdown tables. */
  public String markdown() {
    Set<String> pipelines = new LinkedHashSet<>();
    Set<String> runners = new LinkedHashSet<>();
    for (StudyResult r : results) {
      pipelines.add(r.pipeline());
      runners.add(r.runner());
    }
    StringBuilder md = new StringBuilder();
    md.append("| pipeline |");
    runners.forEach(r -> md.append(' ').append(r).append(" |"));
    md.append("\n|---|");
    runners.forEach(r -> md.append("---|"));
    md.append('\n');
    for (String pipeline : pipelines) {
      md.append("| ").append(pipeline).append(" |");
      for (String runner : runners) {
        Optional<StudyResult> cell = find(pipeline, runner);
        md.append(' ').append(cell.map(StudyReport::matrixCell).orElse(" ")).append(" |");
      }
      md.append('\n');
    }
    md.append('\n').append(referenceNote).append("\n\n");
    md.append("| pipeline | runner | wall s | records | records/s | checksum (sha256, first 16) | equal | note |\n");
    md.append("|---|---|---:|---:|---:|---|:---:|---|\n");
    for (StudyResult r : results) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %s | %s | %s | %s |%n",
              r.pipeline(),
              r.runner(),
              r.outcome() == StudyResult.Outcome.SKIPPED ? "" : String.format(Locale.ROOT, "%.2f", r.wallSeconds()),
              r.outcome() == StudyResult.Outcome.RAN ? Long.toString(r.records()) : "",
              r.outcome() == StudyResult.Outcome.RAN ? String.format(Locale.ROOT, "%.0f", r.recordsPerSecond()) : "",
              r.shortChecksum().isEmpty() ? "" : "`" + r.shortChecksum() + "`",
              r.mark(),
              r.note().replace("|", "\\|")));
    }
    return md.toString();
  }

  /** The CSV, one row per run, full checksums. */
  public String csv() {
    List<String> lines = new ArrayList<>();
    lines.add(CSV_HEADER);
    for (StudyResult r : results) {
      lines.add(
          String.join(
              ",",
              csvField(r.pipeline()),
              csvField(r.runner()),
              r.outcome().name().toLowerCase(Locale.ROOT),
              String.format(Locale.ROOT, "%.3f", r.wallSeconds()),
              Long.toString(r.records()),
              String.format(Locale.ROOT, "%.1f", r.recordsPerSecond()),
              r.sha256(),
              r.outcome() == StudyResult.Outcome.RAN ? Boolean.toString(r.equal()) : "",
              csvField(r.note())));
    }
    return String.join("\n", lines) + "\n";
  }

  /** {@code RESULT runs=.. equal=.. mismatches=.. failed=.. skipped=..}. */
  public String resultLine() {
    long ran = results.stream().filter(r -> r.outcome() == StudyResult.Outcome.RAN).count();
    long failed = results.stream().filter(r -> r.outcome() == StudyResult.Outcome.FAILED).count();
    long skipped = results.stream().filter(r -> r.outcome() == StudyResult.Outcome.SKIPPED).count();
    long equal = results.stream().filter(r -> r.outcome() == StudyResult.Outcome.RAN && r.equal()).count();
    long mismatches = results.stream().filter(StudyResult::isMismatch).count();
    return String.format(
        Locale.ROOT, "RESULT runs=%d equal=%d mismatches=%d failed=%d skipped=%d", ran + failed, equal, mismatches, failed, skipped);
  }

  /** Whether every run that ran gave the reference's answer and none failed. */
  public boolean allEqual() {
    return results.stream().noneMatch(StudyResult::isMismatch);
  }

  /** Writes {@code table.md} and {@code table.csv} into {@code dir}. */
  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("table.md"), markdown(), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("table.csv"), csv(), StandardCharsets.UTF_8);
  }

  private Optional<StudyResult> find(String pipeline, String runner) {
    return results.stream().filter(r -> r.pipeline().equals(pipeline) && r.runner().equals(runner)).findFirst();
  }

  private static String matrixCell(StudyResult r) {
    return switch (r.outcome()) {
      case RAN -> String.format(Locale.ROOT, "%s %.1f s", r.mark(), r.wallSeconds());
      case FAILED -> r.mark() + " failed";
      case SKIPPED -> r.mark() + " skipped";
    };
  }

  static String csvField(String value) {
    if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
      return "\"" + value.replace("\"", "\"\"") + "\"";
    }
    return value;
  }
}
