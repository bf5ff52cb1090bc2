package io.iotbench.runners.portability;

import io.iotbench.model.EventCsvCodec;
import io.iotbench.model.SensorEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

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

  /** Devices in the study's recorded sensor stream. */
  public static final int STREAM_DEVICES = 4;

  /** Milliseconds between two events of the recorded stream. */
  public static final long STREAM_STEP_MILLIS = 10;

  /** The prepared (validated, split) training data: {@code prepare} of {@link #trainingData} on the DirectRunner. */
  public synchronized Path preparedData() throws IOException, InterruptedException {
    Path training = trainingData();
    Path prepared = dir.resolve("prepared");
    Path done = dir.resolve("prepared.done");
    if (!Files.exists(done)) {
      launcher.run("prepare", List.of("--input=" + training, "--output=" + prepared, "--sensors=" + sensors,
          "--seed=" + seed, "--preset=direct"), dir.resolve("prepared.log"));
      Files.writeString(done, "");
    }
    return prepared;
  }

  /**
   * A logistic-regression model trained once on {@link #preparedData} with Spark {@code local[2]} (training is
   * Spark's, not a Beam pipeline, so it is not part of the comparison); the pipelines read its portable model.
   */
  public synchronized Path model() throws IOException, InterruptedException {
    Path prepared = preparedData();
    Path model = dir.resolve("model");
    Path done = dir.resolve("model.done");
    if (!Files.exists(done)) {
      launcher.run("train", List.of("--input=" + prepared, "--model=" + model, "--algorithm=logistic-regression",
          "--maxIter=50", "--seed=" + seed, "--sparkMaster=local[2]"), dir.resolve("model.log"));
      Files.writeString(done, "");
    }
    return model;
  }

  /**
   * A recorded sensor stream of {@code rows} events for {@code score}: every {@value #STREAM_STEP_MILLIS} ms one
   * event of a seeded random device (of {@value #STREAM_DEVICES}) and sensor, in the simulator's CSV with the
   * device field, from 2026-01-01T00:00:00Z.
   */
  public synchronized Path eventStream() throws IOException {
    Path events = dir.resolve("events.csv");
    if (!Files.exists(events)) {
      SplittableRandom random = new SplittableRandom(seed);
      Instant start = Instant.parse("2026-01-01T00:00:00Z");
      StringBuilder text = new StringBuilder();
      for (long i = 0; i < rows; i++) {
        SensorEvent event = new SensorEvent(start.plusMillis(STREAM_STEP_MILLIS * i),
            String.valueOf(1 + random.nextInt(STREAM_DEVICES)), 1 + random.nextInt(sensors), random.nextDouble());
        EventCsvCodec.append(text, event, true);
        text.append('\n');
      }
      Files.createDirectories(dir);
      Path partial = dir.resolve("events.csv.partial");
      Files.writeString(partial, text, StandardCharsets.UTF_8);
      Files.move(partial, events, StandardCopyOption.ATOMIC_MOVE);
    }
    return events;
  }
}

