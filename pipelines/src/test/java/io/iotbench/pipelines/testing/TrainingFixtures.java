package io.iotbench.pipelines.testing;

import io.iotbench.model.LabelingRule;
import io.iotbench.model.TrainingDataGenerator;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.prepare.PrepareTrainingSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Small training data sets for tests: generated rows, the original benchmark's sample, prepared folders. */
public final class TrainingFixtures {
  private TrainingFixtures() {}

  /** {@code rows} generated lines of {@code sensors} values (the generator's rule and default cutoff), no line breaks. */
  public static List<String> generatedLines(int rows, int sensors, long seed) {
    TrainingDataGenerator generator = new TrainingDataGenerator(sensors, LabelingRule.defaultCutoff(sensors), seed, 0);
    byte[] buffer = new byte[TrainingDataGenerator.maxRowBytes(sensors)];
    List<String> lines = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      int end = generator.writeRow(buffer, 0);
      lines.add(new String(buffer, 0, end - 1, StandardCharsets.US_ASCII));
    }
    return lines;
  }

  /** The 20 rows of 10 sensors written by the original benchmark (labels written {@code 1.00000}). */
  public static List<String> originalLines() {
    try (InputStream in = TrainingFixtures.class.getResourceAsStream("/compat/original-training-data.csv")) {
      String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      return Arrays.stream(text.split("\\R")).filter(l -> !l.isEmpty()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code lines} to {@code file}, one per line; returns the file. */
  public static Path writeLines(Path file, List<String> lines) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, lines, StandardCharsets.US_ASCII);
    return file;
  }

  /** Prepares {@code lines} (written to {@code dir/input.csv}) into {@code dir/prepared} on the DirectRunner. */
  public static Path prepare(Path dir, List<String> lines, String... extraArgs) throws IOException {
    Path input = writeLines(dir.resolve("input.csv"), lines);
    Path prepared = dir.resolve("prepared");
    List<String> args = new ArrayList<>(List.of("--input=" + input, "--output=" + prepared));
    args.addAll(List.of(extraArgs));
    PrepareTrainingSet.run(Cli.parse(Runners.args(Runners.DIRECT, args.toArray(new String[0])), PrepareTrainingSet.Options.class));
    return prepared;
  }
}
