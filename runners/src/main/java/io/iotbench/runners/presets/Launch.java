package io.iotbench.runners.presets;

import io.iotbench.model.support.ErrorText;
import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.ConsoleReport;
import io.iotbench.runners.ProjectLayout;
import io.iotbench.runners.cluster.StandaloneCluster;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;

/**
 * The entry point {@code runners/bin/iotbench} starts every command through: {@code Launch COMMAND MAIN_CLASS
 * [args]}. It applies {@code configs/spark-defaults.conf} (the same file spark-submit takes with
 * {@code --properties-file}) as system properties, so a SparkConf made by the SparkRunner sees them; expands
 * {@code --preset=NAME}; then calls {@code MAIN_CLASS.main} with the result. Settings already given as
 * {@code -D} (JAVA_OPTS) win over both files.
 */
public final class Launch {
  private Launch() {}

  public static void main(String[] args) throws Throwable {
    if (args.length < 2) {
      ConsoleReport.error("usage: Launch COMMAND MAIN_CLASS [args]");
      System.exit(Cli.EXIT_USAGE);
    }
    String command = args[0];
    ProjectLayout layout = ProjectLayout.current();
    Presets.Expanded expanded;
    try {
      applySparkDefaults(layout.sparkDefaults());
      expanded = presets(layout).expand(Arrays.asList(args).subList(2, args.length));
    } catch (IllegalArgumentException | IOException e) {
      ConsoleReport.error("iotbench " + command + ": error: " + ErrorText.oneLine(e));
      System.exit(Cli.EXIT_USAGE);
      return;
    }
    for (Map.Entry<String, String> property : expanded.systemProperties().entrySet()) {
      if (System.getProperty(property.getKey()) == null) {
        System.setProperty(property.getKey(), property.getValue());
      }
    }
    Method main = Class.forName(args[1]).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) expanded.args().toArray(new String[0]));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** The presets of {@code layout}, with {@code IOTBENCH_HOME}, {@code SPARK_MASTER} and the environment as variables. */
  public static Presets presets(ProjectLayout layout) {
    return new Presets(
        layout.presetsDir(),
        name -> switch (name) {
          case "IOTBENCH_HOME" -> layout.root().toString();
          case "SPARK_MASTER" -> System.getenv("SPARK_MASTER") != null
              ? System.getenv("SPARK_MASTER")
              : StandaloneCluster.runningMasterUrl(layout.clusterDir(null)).orElse(null);
          default -> System.getenv(name);
        });
  }

  /** Sets each property of the file that is not set yet; a missing file is no error (nothing to apply). */
  static void applySparkDefaults(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return;
    }
    Properties defaults = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      defaults.load(reader);
    }
    for (String key : defaults.stringPropertyNames()) {
      if (System.getProperty(key) == null) {
        System.setProperty(key, defaults.getProperty(key).strip());
      }
    }
  }
}
