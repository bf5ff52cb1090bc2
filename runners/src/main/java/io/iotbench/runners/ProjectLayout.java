package io.iotbench.runners;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the launcher's files are: the project root (system property {@code iotbench.root}, set by
 * {@code runners/bin/iotbench} and by Failsafe; otherwise the working directory), the Spark "distribution" built by
 * {@code spark-dist}, the bundled jar, the presets and the default cluster folder. One place, so that the cluster
 * command, the presets and the portability study agree on paths.
 */
public final class ProjectLayout {
  /** Environment variable naming the cluster folder ({@code iotbench cluster --clusterDir} overrides it). */
  public static final String CLUSTER_DIR_ENV = "IOTBENCH_CLUSTER_DIR";

  private final Path root;

  public ProjectLayout(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The layout of the project this JVM was started from. */
  public static ProjectLayout current() {
    return new ProjectLayout(Paths.get(System.getProperty("iotbench.root", ".")));
  }

  public Path root() {
    return root;
  }

  /** The launcher script. */
  public Path launcher() {
    return root.resolve("runners/bin/iotbench");
  }

  /** The SPARK_HOME made by the build: {@code spark-dist/target/spark-home}, whose {@code jars/} is Spark's runtime. */
  public Path sparkHome() {
    return root.resolve("spark-dist/target/spark-home");
  }

  /** The jar for {@code spark-submit}: every pipeline, Beam and its runners, without Spark. */
  public Path bundledJar() {
    return root.resolve("runners/target/iotbench-bundled.jar");
  }

  /** The folder of the option presets ({@code <name>.args}). */
  public Path presetsDir() {
    return root.resolve("configs/presets");
  }

  /** Spark properties for spark-submit ({@code --properties-file}) and for the launcher. */
  public Path sparkDefaults() {
    return root.resolve("configs/spark-defaults.conf");
  }

  /** The cluster folder: {@code explicit} when given, else {@code $IOTBENCH_CLUSTER_DIR}, else {@code data/cluster}. */
  public Path clusterDir(String explicit) {
    if (explicit != null && !explicit.isBlank()) {
      return Paths.get(explicit).toAbsolutePath().normalize();
    }
    String env = System.getenv(CLUSTER_DIR_ENV);
    if (env != null && !env.isBlank()) {
      return Paths.get(env).toAbsolutePath().normalize();
    }
    return root.resolve("data/cluster");
  }

  /** Whether {@code dir} looks like a SPARK_HOME: it has a {@code jars/} folder with Spark's core jar. */
  public static boolean isSparkHome(Path dir) {
    Path jars = dir.resolve("jars");
    if (!Files.isDirectory(jars)) {
      return false;
    }
    try (var files = Files.list(jars)) {
      return files.anyMatch(p -> p.getFileName().toString().startsWith("spark-core_"));
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
