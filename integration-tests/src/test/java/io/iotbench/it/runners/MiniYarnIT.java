package io.iotbench.it.runners;

import static io.iotbench.it.runners.Launcher.iotbench;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.iotbench.it.storage.PipelineChain;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMApp;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMAppState;
import org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real YARN on 127.0.0.1: an in-process MiniYARNCluster (ResourceManager and one NodeManager, FIFO scheduler,
 * the recipe in docs/design-notes.md, "YARN"). The test writes the cluster's client configuration into a folder and submits {@code generate}
 * exactly as the README tells a user to: {@code HADOOP_CONF_DIR=that-folder iotbench ... --preset=yarn}. The
 * driver runs in the launcher's JVM (client mode); the application master and the executor run in YARN containers.
 * It runs as the portability study's {@code yarn} runner next to {@code direct}: the rows must be equal.
 */
class MiniYarnIT {
  private static final Logger LOG = LoggerFactory.getLogger(MiniYarnIT.class);

  @TempDir static Path temp;
  static MiniYARNCluster yarn;
  static Path hadoopConf;

  @BeforeAll
  static void startYarn() throws Exception {
    long t0 = System.nanoTime();
    YarnConfiguration conf = new YarnConfiguration();
    conf.set(YarnConfiguration.RM_SCHEDULER, FifoScheduler.class.getName());
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
    conf.setInt(YarnConfiguration.NM_PMEM_MB, 6144);
    conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
    conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
    // The shared disk here is often more than 90% full, YARN's default limit for a healthy disk.
    conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 99.5f);
    conf.set(YarnConfiguration.RM_HOSTNAME, "127.0.0.1");
    conf.set(YarnConfiguration.NM_ADDRESS, "127.0.0.1:0");
    conf.set(YarnConfiguration.NM_LOCALIZER_ADDRESS, "127.0.0.1:0");
    conf.set(YarnConfiguration.NM_WEBAPP_ADDRESS, "127.0.0.1:0");
    conf.set("fs.defaultFS", "file:///");
    yarn = new MiniYARNCluster("iotbench", 1, 1, 1);
    yarn.init(conf);
    yarn.start();
    double seconds = (System.nanoTime() - t0) / 1e9;

    // The client configuration a user would put into HADOOP_CONF_DIR (templates in configs/yarn/).
    hadoopConf = temp.resolve("hadoop-conf");
    Files.createDirectories(hadoopConf);
    Configuration client = yarn.getConfig();
    try (OutputStream out = Files.newOutputStream(hadoopConf.resolve("yarn-site.xml"))) {
      client.writeXml(out);
    }
    Files.writeString(
        hadoopConf.resolve("core-site.xml"),
        "<?xml version=\"1.0\"?>\n<configuration><property><name>fs.defaultFS</name><value>file:///</value></property></configuration>\n",
        StandardCharsets.UTF_8);
    LOG.warn("MiniYARNCluster up in {} s, ResourceManager {}, test JVM {}", seconds, client.get(YarnConfiguration.RM_ADDRESS), rss());
  }

  @AfterAll
  static void stopYarn() {
    if (yarn != null) {
      yarn.stop();
    }
  }

  /**
   * generate → prepare → train → evaluate → score, each step {@code iotbench COMMAND --preset=yarn} in its own process
   * and its own YARN application (train: Spark MLlib with the preset's {@code --sparkMaster=yarn}, this project's jar
   * shipped with {@code spark.jars}); every step reads the previous one's output. The same chain on the DirectRunner
   * (train on a local Spark) is the reference: the same generated rows, split rows, evaluation, decisions, and a model
   * within {@link PipelineChain#assertSameModel}'s tolerance. The files are in a local temporary folder, which the
   * driver and the YARN containers share because they run on this one machine.
   */
  @Test
  void everyPipelineOnYarnAnswersAsTheDirectRunner() throws Exception {
    long t0 = System.nanoTime();
    PipelineChain.Result direct = PipelineChain.run(temp.resolve("direct").toString(), PipelineChain.direct(), List.of());
    double directSeconds = (System.nanoTime() - t0) / 1e9;

    String javaHome = System.getProperty("java.home");
    Map<String, String> env =
        Map.of(
            "HADOOP_CONF_DIR", hadoopConf.toString(),
            // Containers start java from JAVA_HOME; the NodeManager passes its own, and this JVM may have none.
            "JAVA_OPTS", "-Dspark.yarn.appMasterEnv.JAVA_HOME=" + javaHome + " -Dspark.executorEnv.JAVA_HOME=" + javaHome,
            "JAVA_HOME", javaHome);
    Map<String, Double> seconds = new LinkedHashMap<>();
    PipelineChain.Steps onYarn =
        (command, args) -> {
          List<String> all = new ArrayList<>(List.of(command));
          all.addAll(args);
          all.add("--preset=yarn");
          if (command.equals("train")) {
            // train is Spark MLlib, not Beam: --filesToStage means nothing to it; its executors get the jar this way.
            all.add("--sparkConf=spark.jars=" + Launcher.ROOT.resolve("runners/target/iotbench-bundled.jar"));
          }
          Set<ApplicationId> before = Set.copyOf(yarn.getResourceManager().getRMContext().getRMApps().keySet());
          Launcher.Run run = iotbench(env, all.toArray(new String[0]));
          seconds.put(command, run.seconds());
          String output = String.join("\n", run.out()) + "\n" + String.join("\n", run.err());
          assertEquals(0, run.code(), command + " on YARN failed:\n" + output);
          assertRanOnYarn(command, before, output);
        };
    t0 = System.nanoTime();
    PipelineChain.Result onYarnResult = PipelineChain.run(temp.resolve("yarn").toString(), onYarn, List.of());
    double yarnSeconds = (System.nanoTime() - t0) / 1e9;
    LOG.warn("chain on the DirectRunner {} s; on YARN {} s, per step {} (test JVM {})", directSeconds, yarnSeconds, seconds, rss());

    PipelineChain.assertSame(direct, onYarnResult);
    LOG.warn("trained on YARN against locally: largest difference of a coefficient or the intercept {}",
        PipelineChain.largestModelDifference(direct, onYarnResult));
  }

  /** The step {@code command} was exactly one new YARN application, which finished and succeeded. */
  private static void assertRanOnYarn(String command, Set<ApplicationId> before, String output) throws InterruptedException {
    List<RMApp> started =
        yarn.getResourceManager().getRMContext().getRMApps().values().stream()
            .filter(app -> !before.contains(app.getApplicationId()))
            .toList();
    assertEquals(1, started.size(), command + " started " + started.size() + " YARN applications:\n" + output);
    RMApp app = started.get(0);
    // The driver has exited; the ResourceManager records the application master's unregistration a moment later.
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (app.getState() != RMAppState.FINISHED && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertEquals(RMAppState.FINISHED, app.getState(), command + ": " + app.getApplicationId() + " " + app.getDiagnostics());
    assertEquals(FinalApplicationStatus.SUCCEEDED, app.getFinalApplicationStatus(), command + ": " + app.getDiagnostics());
  }

  private static String rss() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS")).findFirst().orElse("?").replaceAll("\\s+", " ");
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
