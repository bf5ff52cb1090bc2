package io.iotbench.runners.portability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What every run of one study shares: the size and seed of the data, and the input data sets that pipelines other
 * than {@code generate} read. Each shared data set is made once per study, on the DirectRunner, below
 * {@code <output>/inputs/}, so every runner reads byte-identical input.
 *
 * @param dir the study's {@code inputs/} folder
 * @param rows rows of generated data
 * @param sensors sensors per row
 * @param partitions partitions (files) of generated data
 * @param seed the seed of every run
 * @param launcher runs a launcher command to make an input
 */
public record StudyInputs(Path dir, long rows, int sensors, int partitions, long seed, Launcher launcher) {
  /** Runs a launcher command to completion, throwing with its last error line when it fails. */
  @FunctionalInterface
  public interface Launcher {
    void run(String command, List<String> args, Path log) throws IOException, InterruptedException;
  }

  /** The options that make {@code generate} produce this study's data into {@code output}. */
  public List<String> generateArguments(Path output) {
    List<String> args = new ArrayList<>();
    args.add("--rows=" + rows);
    args.add("--sensors=" + sensors);
    args.add("--partitions=" + partitions);
    args.add("--seed=" + seed);
    args.add("--output=" + output);
    return args;
  }

  /**
   * The study's training data ({@code generate}'s output on the DirectRunner), made on first use; the input of
   * {@code prepare} and, through it, of {@code evaluate}.
   */
  public synchronized Path trainingData() throws IOException, InterruptedException {
    Path data = dir.resolve("training");
    Path done = dir.resolve("training.done");
    if (!Files.exists(done)) {
      List<String> args = new ArrayList<>(generateArguments(data));
      args.add("--preset=direct");
      launcher.run("generate", args, dir.resolve("training.log"));
      Files.writeString(done, "");
    }
    return data;
  }
}
