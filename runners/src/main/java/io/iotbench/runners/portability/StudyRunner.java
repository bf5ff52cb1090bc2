package io.iotbench.runners.portability;

import io.iotbench.pipelines.common.InvalidOptionException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A runner of the study: its name in {@code --runners}, the preset ({@code configs/presets/<preset>.args}) that
 * selects it, and what it needs from the environment.
 */
public enum StudyRunner {
  DIRECT("direct", "direct"),
  SPARK_LOCAL("spark-local", "spark-local"),
  /** Uses the running {@code iotbench cluster}, or starts one for the study and stops it afterwards. */
  SPARK_STANDALONE("spark-standalone", "spark-standalone"),
  FLINK("flink", "flink"),
  /** Needs a YARN cluster's configuration in {@code HADOOP_CONF_DIR} or {@code YARN_CONF_DIR}. */
  YARN("yarn", "yarn");

  private final String label;
  private final String preset;

  StudyRunner(String label, String preset) {
    this.label = label;
    this.preset = preset;
  }

  public String label() {
    return label;
  }

  public String preset() {
    return preset;
  }

  /** Why this runner cannot run here, or null when it can. */
  public String unavailableReason(Map<String, String> env) {
    if (this == YARN && env.get("HADOOP_CONF_DIR") == null && env.get("YARN_CONF_DIR") == null) {
      return "set HADOOP_CONF_DIR to a YARN cluster's configuration (see configs/yarn/)";
    }
    return null;
  }

  /** The runners of a comma-separated list, in the order given; the first is the reference. */
  public static List<StudyRunner> parse(String list) {
    List<StudyRunner> chosen = new ArrayList<>();
    for (String name : list.split(",")) {
      String trimmed = name.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      StudyRunner runner =
          Arrays.stream(values())
              .filter(r -> r.label.equals(trimmed))
              .findFirst()
              .orElseThrow(
                  () ->
                      new InvalidOptionException(
                          "--runners=" + list + ": unknown runner '" + trimmed + "' (known: "
                              + String.join(", ", Arrays.stream(values()).map(StudyRunner::label).toList()) + ")"));
      if (!chosen.contains(runner)) {
        chosen.add(runner);
      }
    }
    if (chosen.isEmpty()) {
      throw new InvalidOptionException("--runners=" + list + ": names no runner");
    }
    return chosen;
  }
}
