package io.iotbench.runners.portability;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The adapter that plugs one pipeline into the portability study: which launcher command runs it, its options for
 * one run on the study's shared inputs (never runner options: those come from the runner's preset), and its
 * canonical output as records. One small class per pipeline; register it in {@link StudyPipelines}.
 *
 * <p>Records may come back in any order: the study sorts them before the checksum, because runners shard and
 * order output differently while the answer is the same. A record must therefore be self-contained (for a scorer:
 * one per-interval decision with its interval and sensor, not a line that depends on its neighbours).
 */
public interface StudyPipeline {
  /** The name used in {@code --pipelines} and in the table. */
  String name();

  /** The {@code runners/bin/iotbench} command that runs the pipeline. */
  String command();

  /**
   * The pipeline's own options for one run: read what it needs from {@code inputs} (which may create shared
   * inputs on first use) and write below {@code runDir}.
   */
  List<String> arguments(StudyInputs inputs, Path runDir) throws IOException, InterruptedException;

  /** The records of the run's canonical output, any order, one string per record. */
  List<String> records(Path runDir) throws IOException;
}
