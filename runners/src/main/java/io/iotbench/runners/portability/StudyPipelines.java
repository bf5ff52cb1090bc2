package io.iotbench.runners.portability;

import io.iotbench.pipelines.common.InvalidOptionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipelines the portability study knows, by name. Adding one is one adapter class and one line here (see
 * runners/README.md, "Adding a pipeline to the study").
 */
public final class StudyPipelines {
  private static final Map<String, StudyPipeline> ALL = new LinkedHashMap<>();

  static {
    register(new GenerateStudyPipeline());
    register(new PrepareStudyPipeline());
    register(new EvaluateStudyPipeline());
    register(new ScoreStudyPipeline());
    register(new ScoreReplayStudyPipeline());
  }

  private StudyPipelines() {}

  private static void register(StudyPipeline pipeline) {
    ALL.put(pipeline.name(), pipeline);
  }

  /** The known names, in registration order. */
  public static List<String> names() {
    return List.copyOf(ALL.keySet());
  }

  /** The adapters for a comma-separated list of names; an unknown name is an invalid {@code --pipelines}. */
  public static List<StudyPipeline> parse(String list) {
    List<StudyPipeline> chosen = new ArrayList<>();
    for (String name : list.split(",")) {
      String trimmed = name.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      StudyPipeline pipeline = ALL.get(trimmed);
      if (pipeline == null) {
        throw new InvalidOptionException(
            "--pipelines=" + list + ": unknown pipeline '" + trimmed + "' (known: " + String.join(", ", names()) + ")");
      }
      if (!chosen.contains(pipeline)) {
        chosen.add(pipeline);
      }
    }
    if (chosen.isEmpty()) {
      throw new InvalidOptionException("--pipelines=" + list + ": names no pipeline");
    }
    return chosen;
  }
}
