package io.iotbench.it.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.it.harness.HdfsServer;
import io.iotbench.pipelines.generate.GenerateTrainingData;
import io.iotbench.pipelines.prepare.PrepareTrainingSet;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.protocol.HdfsConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failures in writes against a real HDFS: a namespace quota on the output's parent folder makes {@code generate}
 * fail in the middle of writing its partitions (HDFS refuses the next file). The previous set must be intact and
 * still read by {@code prepare}; no temporary sibling may be left. Then the quota is lifted and a run with another
 * number of partitions, and a prepare run over an earlier one, replace their sets on HDFS (nested folders, where
 * Beam's Hadoop glob does not recurse) with nothing stale and no sibling left.
 */
@Timeout(300)
class FailedWritesHdfsIT {
  @RegisterExtension static final HdfsServer HDFS = new HdfsServer();

  private static StoredFiles.Outcome generate(String output, String... data) {
    return StoredFiles.execute("generate", StoredFiles.args(StoredFiles.DIRECT, List.of(HDFS.hdfsConfigurationOption()),
        StoredFiles.args(data, List.of(), "--output=" + output)),
        GenerateTrainingData.Options.class, o -> GenerateTrainingData.run(o).getState().isTerminal() ? 0 : 1);
  }

  private static StoredFiles.Outcome prepare(String input, String output) {
    return StoredFiles.execute("prepare", StoredFiles.args(StoredFiles.DIRECT, List.of(HDFS.hdfsConfigurationOption()),
        "--input=" + input, "--output=" + output, "--sensors=5"),
        PrepareTrainingSet.Options.class, o -> PrepareTrainingSet.run(o).getState().isTerminal() ? 0 : 1);
  }

  @Test
  void generateStoppedByAQuotaLeavesThePreviousSetAndNoSibling() throws Exception {
    DistributedFileSystem fs = (DistributedFileSystem) HDFS.fileSystem();
    Path parent = new Path("/quota");
    fs.mkdirs(parent);
    String out = HDFS.uri() + "/quota/training";
    StoredFiles.Outcome first = generate(out, "--rows=400", "--sensors=5", "--partitions=2", "--seed=1");
    assertEquals(0, first.code(), first.err().toString());
    Map<String, String> before = tree(fs, new Path("/quota/training"));
    assertEquals(List.of("_SUCCESS", "part-00000-of-00002.csv", "part-00001-of-00002.csv"), List.copyOf(before.keySet()));

    // Room for three more names under /quota: the temporary folder and two part files; the run needs six.
    long used = fs.getContentSummary(parent).getFileCount() + fs.getContentSummary(parent).getDirectoryCount();
    fs.setQuota(parent, used + 3, HdfsConstants.QUOTA_DONT_SET);
    StoredFiles.Outcome failed;
    try {
      failed = generate(out, "--rows=800", "--sensors=5", "--partitions=4", "--seed=2");
    } finally {
      fs.setQuota(parent, HdfsConstants.QUOTA_RESET, HdfsConstants.QUOTA_DONT_SET);
    }
    assertNotEquals(0, failed.code());
    assertTrue(String.join("\n", failed.err()).toLowerCase(java.util.Locale.ROOT).contains("quota"), failed.err().toString());
    assertEquals(before, tree(fs, new Path("/quota/training")), "the previous set is untouched");
    // Known gap (docs/atomic-outputs.md): on HDFS the failed run's temporary sibling may be left behind; it has no
    // marker, so no reader takes it. Asserted: nothing beside the output is a complete set.
    for (String name : names(fs, parent)) {
      if (!name.equals("training")) {
        assertTrue(name.startsWith("training._temporary-"), name);
        assertTrue(!fs.exists(new Path(parent, name + "/_SUCCESS")), name + " has a marker");
      }
    }
    StoredFiles.Outcome read = prepare(out, HDFS.uri() + "/prepared/a");
    assertEquals(0, read.code(), read.err().toString());

    // Without the quota: three partitions replace two, and a second prepare replaces the first one's nested sets.
    StoredFiles.Outcome again = generate(out, "--rows=600", "--sensors=5", "--partitions=3", "--seed=3");
    assertEquals(0, again.code(), again.err().toString());
    assertEquals(List.of("_SUCCESS", "part-00000-of-00003.csv", "part-00001-of-00003.csv", "part-00002-of-00003.csv"),
        List.copyOf(tree(fs, new Path("/quota/training")).keySet()));
    assertEquals(List.of("training"), names(fs, parent));
    Map<String, String> firstPrepared = tree(fs, new Path("/prepared/a"));
    StoredFiles.Outcome reprepared = prepare(out, HDFS.uri() + "/prepared/a");
    assertEquals(0, reprepared.code(), reprepared.err().toString());
    Map<String, String> secondPrepared = tree(fs, new Path("/prepared/a"));
    assertTrue(secondPrepared.containsKey("_SUCCESS") && secondPrepared.containsKey("dataset.json"), secondPrepared.toString());
    assertNotEquals(firstPrepared.get("dataset.json"), secondPrepared.get("dataset.json"));
    assertEquals(List.of("a"), names(fs, new Path("/prepared")), "no temporary or backup sibling is left");
    for (String name : secondPrepared.keySet()) {
      assertTrue(name.equals("_SUCCESS") || name.equals("dataset.json") || name.startsWith("train/")
          || name.startsWith("test/") || name.startsWith("rejected/"), name);
    }
  }

  /** Every file below {@code root}, by relative path, with its length and a hash of its bytes. */
  private static Map<String, String> tree(FileSystem fs, Path root) throws Exception {
    Map<String, String> files = new TreeMap<>();
    String prefix = fs.getFileStatus(root).getPath().toUri().getPath() + "/";
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
    while (it.hasNext()) {
      LocatedFileStatus status = it.next();
      byte[] bytes;
      try (var in = fs.open(status.getPath())) {
        bytes = in.readAllBytes();
      }
      files.put(status.getPath().toUri().getPath().substring(prefix.length()), bytes.length + ":" + Arrays.hashCode(bytes));
    }
    return files;
  }

  private static List<String> names(FileSystem fs, Path folder) throws Exception {
    return Arrays.stream(fs.listStatus(folder)).map(FileStatus::getPath).map(Path::getName).sorted().toList();
  }
}
