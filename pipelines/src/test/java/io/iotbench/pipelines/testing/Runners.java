package io.iotbench.pipelines.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The runner flags tests use, exactly as a user would pass them. */
public final class Runners {
  /** The DirectRunner. */
  public static final String[] DIRECT = {"--runner=DirectRunner"};
  /** The SparkRunner in local mode with two cores (the UI is off through a Surefire system property). */
  public static final String[] SPARK_LOCAL = {"--runner=SparkRunner", "--sparkMaster=local[2]"};

  private Runners() {}

  /** {@code runner} flags followed by {@code args}. */
  public static String[] args(String[] runner, String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(runner));
    all.addAll(Arrays.asList(args));
    return all.toArray(new String[0]);
  }
}
