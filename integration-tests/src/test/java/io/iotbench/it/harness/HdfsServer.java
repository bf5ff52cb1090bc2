package io.iotbench.it.harness;

import io.iotbench.model.support.Folders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A real HDFS for integration tests: an in-process MiniDFSCluster (one namenode, one datanode) from the shaded
 * {@code hadoop-client-minicluster} 3.3.4 that matches Spark's Hadoop client, on 127.0.0.1 and free ports, its
 * storage under a temporary folder that {@link #close()} deletes. Pipelines reach it through
 * {@link #hdfsConfigurationOption()}, exactly as users pass {@code --hdfsConfiguration}.
 */
public final class HdfsServer extends ManagedServer {

  private MiniDFSCluster cluster;
  private Path baseDir;

  @Override
  public String name() {
    return "HDFS (MiniDFSCluster)";
  }

  @Override
  protected void startServer() throws IOException {
    baseDir = Files.createTempDirectory("it-hdfs");
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.toString());
    // Loopback only, any free port: the defaults would bind every interface on fixed ports.
    conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    conf.setInt("dfs.replication", 1);
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).format(true).build();
    cluster.waitActive();
  }

  @Override
  protected void stopServer() throws IOException {
    if (cluster != null) {
      cluster.shutdown(true);
      cluster = null;
    }
    if (baseDir != null) {
      Folders.deleteRecursively(baseDir);
      baseDir = null;
    }
  }

  /** {@code hdfs://127.0.0.1:<namenode port>}. */
  public String uri() {
    checkRunning();
    return "hdfs://127.0.0.1:" + cluster.getNameNodePort();
  }

  /** The namenode's port (tests stop nothing, but point others at a closed port next to it). */
  public int nameNodePort() {
    checkRunning();
    return cluster.getNameNodePort();
  }

  /** The Beam option that makes {@code hdfs://} reach this cluster, as a user passes it. */
  public String hdfsConfigurationOption() {
    return "--hdfsConfiguration=[{\"fs.defaultFS\":\"" + uri() + "\",\"dfs.replication\":\"1\"}]";
  }

  /** A Hadoop client of this cluster, for checks independent of Beam. */
  public FileSystem fileSystem() throws IOException {
    checkRunning();
    return cluster.getFileSystem();
  }
}
