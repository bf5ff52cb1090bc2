package io.iotbench.it.runners;

import static io.iotbench.it.runners.Launcher.iotbench;
import static io.iotbench.it.runners.Launcher.sortedLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
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

  @Test
  void portabilityStudyOnYarnEqualsTheDirectRunner() throws Exception {
    Path study = temp.resolve("study");
    String javaHome = System.getProperty("java.home");
    Launcher.Run run =
        iotbench(
            Map.of(
                "HADOOP_CONF_DIR", hadoopConf.toString(),
                // Containers start java from JAVA_HOME; the NodeManager passes its own, and this JVM may have none.
                "JAVA_OPTS", "-Dspark.yarn.appMasterEnv.JAVA_HOME=" + javaHome + " -Dspark.executorEnv.JAVA_HOME=" + javaHome,
                "JAVA_HOME", javaHome),
            "portability", "--runners=direct,yarn", "--pipelines=generate", "--rows=2000", "--sensors=10", "--output=" + study);
    LOG.warn("portability study direct,yarn took {} s (test JVM {}):\n{}", run.seconds(), rss(), String.join("\n", run.out()));
    assertEquals("RESULT runs=2 equal=2 mismatches=0 failed=0 skipped=0", run.lastOut(), String.join("\n", run.out()) + run.err());
    assertEquals(0, run.code());
    // The YARN run's own report: the driver ran generate to the end and wrote every row.
    String log = Files.readString(study.resolve("generate/yarn/run.log"));
    assertTrue(log.contains("Created file " + study.resolve("generate/yarn/output")), log);
    assertEquals(
        sortedLines(study.resolve("generate/direct/output")), sortedLines(study.resolve("generate/yarn/output")));
  }

  private static String rss() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS")).findFirst().orElse("?").replaceAll("\\s+", " ");
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
