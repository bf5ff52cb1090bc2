package io.iotbench.runners.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.model.scoring.Algorithm;
import io.iotbench.model.scoring.PortableModel;
import io.iotbench.model.scoring.Prediction;
import io.iotbench.model.scoring.Scorer;
import io.iotbench.pipelines.decisions.DecisionsTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code iotbench query} over a hand-made Parquet decisions table, through DuckDB. */
class QueryTest {
  @TempDir Path temp;
  private Path table;
  private Path model;

  /** A decision row of a 3-sensor table: device, interval, sensors, probability, decision, revision, seconds written. */
  private static String row(String device, int interval, double[] x, double p, String decision, int revision, int written) {
    return String.format(java.util.Locale.ROOT,
        "('%s', %d, TIMESTAMPTZ '2026-12-08 00:00:%02d+00', TIMESTAMPTZ '2026-12-08 00:00:%02d+00', %s, %s, %s, 10, %s, '%s', "
            + "false, false, %s, 'MODEL', 'abcdef0123456789', %d, TIMESTAMPTZ '2026-12-08 00:01:%02d+00')",
        device, interval, interval - 1, interval, x[0], x[1], x[2], p, decision, revision > 0, revision, written);
  }

  @BeforeEach
  void makeTable() throws Exception {
    model = temp.resolve("model");
    Files.createDirectories(model);
    // margin = 1 x1 - 2 x2 + 3 x3 - 1
    Files.write(model.resolve(PortableModel.FILE_NAME),
        PortableModel.logisticRegression(new double[] {1, -2, 3}, -1, 0.5, Map.of()).toBytes());
    table = temp.resolve("decisions");
    Files.createDirectories(table.resolve("2026-12-08"));
    String create = "CREATE TABLE d AS SELECT * FROM (VALUES "
        + String.join(", ",
            row("m1", 1, new double[] {0.5, 0.5, 0.5}, 0.62, "attention", 0, 1),
            row("m1", 2, new double[] {0.9, 0.1, 0.8}, 0.91, "attention", 0, 2),
            row("m1", 3, new double[] {0.9, 0.1, 0.9}, 0.93, "attention", 0, 3),
            row("m2", 2, new double[] {0.2, 0.9, 0.1}, 0.05, "ok", 0, 2),
            row("m2", 3, new double[] {0.2, 0.9, 0.1}, 0.85, "attention", 0, 4),
            row("m2", 3, new double[] {0.2, 0.9, 0.1}, 0.05, "ok", 1, 5), // the revision wins
            row("m3", 1, new double[] {0.9, 0.9, 0.9}, 0.88, "attention", 0, 1))
        + ") t(" + String.join(", ", DecisionsTable.columns(3)) + ")";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute(create.replace("'MODEL'", "'" + model + "'"));
      s.execute("COPY (SELECT * FROM d WHERE written_at < TIMESTAMPTZ '2026-12-08 00:01:04+00') TO '"
          + table.resolve("part-0.parquet") + "' (FORMAT parquet)");
      s.execute("COPY (SELECT * FROM d WHERE written_at >= TIMESTAMPTZ '2026-12-08 00:01:04+00') TO '"
          + table.resolve("2026-12-08/part-1.parquet") + "' (FORMAT parquet)");
    }
  }

  private record Run(int status, List<String> out, List<String> err) {}

  private static Run query(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Query.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8).lines().toList());
  }

  @Test
  void theViewKeepsTheNewestRevisionOfEachDeviceAndIntervalAcrossFilesAndFolders() {
    Run r = query("--table=" + table, "select device, interval, probability, decision, revision from decisions order by device, interval");
    assertEquals(0, r.status(), r.err().toString());
    assertEquals(List.of(
        "device  interval  probability  decision   revision",
        "------  --------  -----------  ---------  --------",
        "m1             1         0.62  attention         0",
        "m1             2         0.91  attention         0",
        "m1             3         0.93  attention         0",
        "m2             2         0.05  ok                0",
        "m2             3         0.05  ok                1",
        "m3             1         0.88  attention         0",
        "(6 rows)"), r.out());
  }

  @Test
  void csvAndJsonLinesCarryTheSameRows() {
    Run csv = query("--table=" + table, "--format=csv", "select device, window_end, decision from decisions where interval = 3 order by device");
    assertEquals(List.of("device,window_end,decision", "m1,2026-12-08T00:00:03Z,attention", "m2,2026-12-08T00:00:03Z,ok"), csv.out());
    Run json = query("--table=" + table, "--format=json", "select device, interval, late from decisions where interval = 3 order by device");
    assertEquals(List.of("{\"device\":\"m1\",\"interval\":3,\"late\":false}", "{\"device\":\"m2\",\"interval\":3,\"late\":false}"), json.out());
  }

  @Test
  void theAttentionReportListsDevicesOfTheLastIntervalsNewestFirstWithTheSensorsThatMovedTheScore() {
    Run r = query("--table=" + table, "--attention", "--last=2", "--format=csv");
    assertEquals(0, r.status(), r.err().toString());
    // Intervals 2 and 3 (the newest is 3): m1 asked twice; m2's attention at 3 was revised to ok; m3 only at 1.
    // m1 at 3: terms 1*(0.9-0.5)=+0.4, -2*(0.1-0.5)=+0.8, 3*(0.9-0.5)=+1.2.
    assertEquals(List.of(
        "device,interval,window_end,probability,attention,top_sensors",
        "m1,3,2026-12-08T00:00:03Z,0.93,\"2 of 2\",\"sensor_3 +1.200, sensor_2 +0.800, sensor_1 +0.400\""), r.out());
    Run all = query("--table=" + table, "--attention", "--last=10", "--format=csv");
    assertEquals(3, all.out().size(), all.out().toString());
    assertTrue(all.out().get(1).startsWith("m1,3,"), all.out().toString());
    assertTrue(all.out().get(2).startsWith("m3,1,2026-12-08T00:00:01Z,0.88,\"1 of 10\","), all.out().toString());
  }

  @Test
  void aTreeModelsSensorsAreRankedByHowMuchTheProbabilityDropsWithTheSensorBackAtItsStart() {
    Scorer trees = new Scorer() {
      @Override
      public Algorithm algorithm() {
        return Algorithm.RANDOM_FOREST;
      }

      @Override
      public int numFeatures() {
        return 3;
      }

      @Override
      public Prediction score(double[] x) {
        double p = 0.1 + (x[0] > 0.7 ? 0.2 : 0) + (x[2] > 0.7 ? 0.5 : 0);
        return new Prediction(p > 0.5 ? 1 : 0, p);
      }
    };
    double[] x = {0.9, 0.9, 0.8};
    assertArrayEquals(new double[] {0.2, 0, 0.5}, AttentionReport.effects(trees, x), 1e-12);
    assertEquals("sensor_3 +0.500, sensor_1 +0.200, sensor_2 +0.000", AttentionReport.topSensors(trees, x));
  }

  @Test
  void badCommandLinesAndSqlAreOneLineWithStatusTwoAndAMissingTableStatusOne() throws Exception {
    Run both = query("--table=" + table, "--jdbcUrl=jdbc:postgresql://127.0.0.1:1/x", "select 1");
    assertEquals(2, both.status());
    assertEquals(List.of("iotbench query: error: --table=" + table + ": give exactly one of --table=DIR and --jdbcUrl=URL"), both.err());
    Run nothing = query("--table=" + table);
    assertEquals(2, nothing.status());
    assertEquals(1, nothing.err().size(), nothing.err().toString());
    Run syntax = query("--table=" + table, "selec device from decisions");
    assertEquals(2, syntax.status());
    assertEquals(1, syntax.err().size(), syntax.err().toString());
    assertTrue(syntax.err().get(0).startsWith("iotbench query: error: SQL: Parser Error"), syntax.err().toString());
    Run missing = query("--table=" + temp.resolve("nothing"), "select 1");
    assertEquals(1, missing.status());
    assertEquals(List.of("iotbench query: failed: no decisions table at " + temp.resolve("nothing") + " (no such folder)"), missing.err());
    Path other = temp.resolve("other");
    Files.createDirectories(other);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("COPY (SELECT 1 AS device, 2 AS revision, now() AS written_at, 3 AS interval) TO '" + other.resolve("x.parquet") + "' (FORMAT parquet)");
    }
    Run shape = query("--table=" + other, "--attention");
    assertTrue(shape.status() != 0, shape.toString());
    assertEquals(1, shape.err().size(), shape.err().toString());
  }

  @Test
  void helpListsTheOptions() {
    Run r = query("--help");
    assertEquals(0, r.status());
    assertTrue(r.out().stream().anyMatch(l -> l.contains("--attention")), r.out().toString());
  }
}
