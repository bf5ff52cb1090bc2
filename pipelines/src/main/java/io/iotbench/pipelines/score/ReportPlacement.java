package io.iotbench.pipelines.score;

import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where the scorer's DoFns run, and so who prints the report: a DoFn's line reaches the user's console only when it
 * runs in the launching JVM. It does on the DirectRunner, on the SparkRunner with a {@code local[...]} master and on
 * the FlinkRunner's mini cluster ({@code [local]}, {@code [auto]}, {@code [collection]}). It does not on a Spark
 * Standalone, YARN, Kubernetes or {@code local-cluster} master (executors are JVMs of their own) nor on a remote
 * Flink cluster: there the driver follows the decision files and prints them ({@link FollowDecisionFiles}). The
 * Spark master of {@code spark-submit} ({@code spark.master}) wins over {@code --sparkMaster}, as in the SparkRunner.
 */
final class ReportPlacement {
  private static final Set<String> FLINK_IN_THIS_JVM = Set.of("[local]", "[auto]", "[collection]");

  private ReportPlacement() {}

  /** Whether the DoFns of a run with options {@code o} print on this JVM's console. */
  static boolean inThisJvm(PipelineOptions o) {
    String runner = o.getRunner().getSimpleName();
    if (runner.contains("SparkRunner")) {
      String submitted = System.getProperty("spark.master");
      return inThisJvm(runner, submitted != null ? submitted : master(o, "org.apache.beam.runners.spark.SparkPipelineOptions", "getSparkMaster"));
    }
    if (runner.contains("FlinkRunner")) {
      return inThisJvm(runner, master(o, "org.apache.beam.runners.flink.FlinkPipelineOptions", "getFlinkMaster"));
    }
    return inThisJvm(runner, null);
  }

  /** The rule: {@code runner}'s simple class name and its master ({@code --sparkMaster}, {@code --flinkMaster}). */
  static boolean inThisJvm(String runner, String master) {
    if (runner.contains("SparkRunner")) {
      return master == null || master.equals("local") || master.startsWith("local[");
    }
    if (runner.contains("FlinkRunner")) {
      return master == null || FLINK_IN_THIS_JVM.contains(master);
    }
    return true;
  }

  /** The option {@code getter} of the runner's options interface {@code optionsClass} (not on every classpath). */
  @SuppressWarnings("unchecked")
  private static String master(PipelineOptions o, String optionsClass, String getter) {
    try {
      Class<? extends PipelineOptions> cls = (Class<? extends PipelineOptions>) Class.forName(optionsClass);
      return (String) cls.getMethod(getter).invoke(o.as(cls));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + getter + " of " + optionsClass, e);
    }
  }
}
