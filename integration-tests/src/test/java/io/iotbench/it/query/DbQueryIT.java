package io.iotbench.it.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.it.harness.Iotbench;
import io.iotbench.model.scoring.PortableModel;
import io.iotbench.pipelines.decisions.DecisionsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iotbench db start|status|stop} runs a real PostgreSQL (Debian's package) and {@code iotbench query} reads
 * the decisions table from it and from the same rows as Parquet through DuckDB, with the same answers; a wrong
 * password, a closed port, bad SQL and a table of another shape are one line each, fast.
 */
class DbQueryIT {
  private static final Duration COMMAND = Duration.ofSeconds(120);
  private static final Pattern URL = Pattern.compile("--jdbcUrl=(jdbc:postgresql://127\\.0\\.0\\.1:\\d+/iotbench)");

  @TempDir Path temp;
  private Path dataDir;

  @AfterEach
  void stopServer() throws Exception {
    if (dataDir != null && Files.isDirectory(dataDir.resolve("pgdata"))) {
      Iotbench.run(COMMAND, "db", "stop", "--dataDir=" + dataDir);
    }
  }

  private static String insert(String device, int interval, double[] x, double p, String decision, int revision, Path model) {
    return String.format(Locale.ROOT,
        "('%s', %d, TIMESTAMPTZ '2026-12-08 00:00:%02d+00', TIMESTAMPTZ '2026-12-08 00:00:%02d+00', %s, %s, %s, 10, %s, '%s', "
            + "false, false, %s, '%s', '0123456789abcdef', %d, TIMESTAMPTZ '2026-12-08 00:01:00+00')",
        device, interval, interval - 1, interval, x[0], x[1], x[2], p, decision, revision > 0, model, revision);
  }

  @Test
  void theDatabaseAndTheParquetTableAnswerAlikeAndFailuresAreOneLine() throws Exception {
    // The server runs as the postgres user when the tests run as root: it must reach the folder.
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    dataDir = temp.resolve("db");
    Iotbench.Result started = Iotbench.run(COMMAND, "db", "start", "--dataDir=" + dataDir);
    assertEquals(0, started.status(), started.err().toString());
    assertTrue(started.out().get(0).matches("PostgreSQL listening on 127\\.0\\.0\\.1:\\d+ in \\d+ ms \\(new cluster\\), .*"), started.out().toString());
    Path passwordFile = dataDir.resolve("password");
    String password = Files.readAllLines(passwordFile).get(0);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
    assertFalse(String.join("\n", started.out()).contains(password), "the password is never printed");
    Matcher m = URL.matcher(String.join("\n", started.out()));
    assertTrue(m.find(), started.out().toString());
    String url = m.group(1);
    assertEquals(0, Iotbench.run(COMMAND, "db", "status", "--dataDir=" + dataDir).status());

    Path model = temp.resolve("model");
    Files.createDirectories(model);
    Files.write(model.resolve(PortableModel.FILE_NAME),
        PortableModel.logisticRegression(new double[] {1, -2, 3}, -1, 0.5, Map.of()).toBytes());
    String rows = String.join(", ",
        insert("m1", 2, new double[] {0.9, 0.1, 0.8}, 0.91, "attention", 0, model),
        insert("m1", 3, new double[] {0.9, 0.1, 0.9}, 0.93, "attention", 0, model),
        insert("m2", 3, new double[] {0.2, 0.9, 0.1}, 0.05, "ok", 1, model),
        insert("m3", 1, new double[] {0.9, 0.9, 0.9}, 0.88, "attention", 0, model));
    try (Connection c = DriverManager.getConnection(url, "iotbench", password); Statement s = c.createStatement()) {
      s.execute(DecisionsTable.postgresDdl(DecisionsTable.NAME, 3));
      s.execute("INSERT INTO decisions VALUES " + rows);
    }
    Path table = temp.resolve("decisions");
    Files.createDirectories(table);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE d AS SELECT * FROM (VALUES " + rows + ") t(" + String.join(", ", DecisionsTable.columns(3)) + ")");
      s.execute("COPY d TO '" + table.resolve("part-0.parquet") + "' (FORMAT parquet)");
    }

    String[] db = {"query", "--jdbcUrl=" + url, "--passwordFile=" + passwordFile};
    String[] parquet = {"query", "--table=" + table};
    String select = "select device, interval, window_start, window_end, sensor_1, probability, decision, revised from decisions order by device, interval";
    Iotbench.Result attention = null;
    for (String[] extra : List.of(new String[] {select}, new String[] {"--format=json", select},
        new String[] {"--attention", "--last=2", "--format=csv"})) {
      Iotbench.Result fromDb = Iotbench.run(COMMAND, concat(db, extra));
      Iotbench.Result fromParquet = Iotbench.run(COMMAND, concat(parquet, extra));
      assertEquals(0, fromDb.status(), fromDb.err().toString());
      assertEquals(0, fromParquet.status(), fromParquet.err().toString());
      assertEquals(fromParquet.out(), fromDb.out(), String.join(" ", extra));
      attention = fromDb;
    }
    assertEquals(List.of("device,interval,window_end,probability,attention,top_sensors",
        "m1,3,2026-12-08T00:00:03Z,0.93,\"2 of 2\",\"sensor_3 +1.200, sensor_2 +0.800, sensor_1 +0.400\""), attention.out());

    // Failures: one line each, within 15 s.
    Path wrong = temp.resolve("wrong");
    Files.writeString(wrong, "not-the-password\n");
    assertOneLine(Iotbench.run(COMMAND, "query", "--jdbcUrl=" + url, "--passwordFile=" + wrong, "select 1"), 1, "password authentication failed");
    assertOneLine(Iotbench.run(COMMAND, "query", "--jdbcUrl=jdbc:postgresql://127.0.0.1:1/iotbench", "--passwordFile=" + passwordFile,
        "select 1"), 1, "Connection to 127.0.0.1:1 refused");
    assertOneLine(Iotbench.run(COMMAND, concat(db, new String[] {"selec 1"})), 2, "syntax error");
    try (Connection c = DriverManager.getConnection(url, "iotbench", password); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE other (device TEXT, interval BIGINT, decision TEXT)");
      s.execute("INSERT INTO other VALUES ('m1', 1, 'attention')");
    }
    assertOneLine(Iotbench.run(COMMAND, concat(db, new String[] {"--tableName=other", "--attention"})), 1, "not a decisions table");

    // Stopped and started again: the same cluster, password and rows.
    assertEquals(0, Iotbench.run(COMMAND, "db", "stop", "--dataDir=" + dataDir).status());
    assertEquals(1, Iotbench.run(COMMAND, "db", "status", "--dataDir=" + dataDir).status());
    Iotbench.Result again = Iotbench.run(COMMAND, "db", "start", "--dataDir=" + dataDir);
    assertEquals(0, again.status(), again.err().toString());
    assertFalse(again.out().get(0).contains("new cluster"), again.out().toString());
    assertEquals(password, Files.readAllLines(passwordFile).get(0));
    Matcher m2 = URL.matcher(String.join("\n", again.out()));
    assertTrue(m2.find());
    Iotbench.Result count = Iotbench.run(COMMAND, "query", "--jdbcUrl=" + m2.group(1), "--passwordFile=" + passwordFile,
        "--format=csv", "select count(*) as n from decisions");
    assertEquals(List.of("n", "4"), count.out());
  }

  private static void assertOneLine(Iotbench.Result r, int status, String cause) {
    assertEquals(status, r.status(), r.err().toString());
    assertEquals(1, r.err().size(), r.err().toString());
    assertTrue(r.err().get(0).startsWith("iotbench query: ") && r.err().get(0).contains(cause), r.err().toString());
    assertTrue(r.millis() < 15_000, "took " + r.millis() + " ms");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
