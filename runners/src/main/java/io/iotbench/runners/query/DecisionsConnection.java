package io.iotbench.runners.query;

import io.iotbench.model.support.Folders;
import io.iotbench.pipelines.decisions.DecisionsTable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * A connection on which the decisions table is {@code decisions}: DuckDB in memory with the view
 * {@link DecisionsTable#duckDbView} over a folder of Parquet files, or a JDBC database (PostgreSQL) holding the
 * table. A folder on another file system than the local one (hdfs://, s3://) is copied to a temporary folder
 * through Beam's FileSystems first (with default options: credentials and endpoints from the environment).
 */
final class DecisionsConnection implements AutoCloseable {
  /** Seconds a JDBC connection attempt may take before the command gives up. */
  static final int CONNECT_TIMEOUT_SECONDS = 10;

  private final Connection connection;
  private final Path copied;

  private DecisionsConnection(Connection connection, Path copied) {
    this.connection = connection;
    this.copied = copied;
  }

  Connection connection() {
    return connection;
  }

  /** DuckDB over the Parquet files under {@code table} (a folder, local or any FileSystems URI). */
  static DecisionsConnection parquet(String table) throws IOException, SQLException, QueryException {
    Path copied = null;
    Path local;
    if (table.contains("://") && !table.startsWith("file://")) {
      copied = Files.createTempDirectory("iotbench-query");
      local = copyParquet(table, copied);
    } else {
      local = Paths.get(table.replaceFirst("^file://", ""));
      if (!Files.isDirectory(local)) {
        throw new QueryException("no decisions table at " + table + " (no such folder)");
      }
    }
    try (var files = Files.walk(local)) {
      if (files.noneMatch(f -> f.getFileName().toString().endsWith(".parquet"))) {
        throw new QueryException("no decisions table at " + table + " (no .parquet file in it yet)");
      }
    }
    Connection c = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = c.createStatement()) {
      s.execute(DecisionsTable.duckDbView(local.toAbsolutePath() + "/**/*.parquet"));
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return new DecisionsConnection(c, copied);
  }

  /** A JDBC database at {@code url}, as {@code user} with the password in the first line of {@code passwordFile}. */
  static DecisionsConnection jdbc(String url, String user, Path passwordFile) throws IOException, SQLException {
    Properties p = new Properties();
    if (user != null) {
      p.setProperty("user", user);
    }
    if (passwordFile != null) {
      try (var lines = Files.lines(passwordFile)) {
        p.setProperty("password", lines.findFirst().orElse("").strip());
      }
    }
    p.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    p.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    DriverManager.setLoginTimeout(CONNECT_TIMEOUT_SECONDS);
    return new DecisionsConnection(DriverManager.getConnection(url, p), null);
  }

  /** Copies the Parquet files under {@code uri} into {@code into}; returns {@code into}. */
  private static Path copyParquet(String uri, Path into) throws IOException, QueryException {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    String glob = uri.endsWith("/") ? uri + "**.parquet" : uri + "/**.parquet";
    List<MatchResult> matches = FileSystems.match(List.of(glob));
    int n = 0;
    for (MatchResult.Metadata m : matches.get(0).metadata()) {
      Path target = into.resolve(String.format("%06d-", n++) + m.resourceId().getFilename());
      try (InputStream in = Channels.newInputStream(FileSystems.open(m.resourceId()))) {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (n == 0) {
      throw new QueryException("no decisions table at " + uri + " (no .parquet file under it)");
    }
    return into;
  }

  @Override
  public void close() throws SQLException {
    try {
      connection.close();
    } finally {
      if (copied != null) {
        Folders.deleteQuietly(copied);
      }
    }
  }
}
