package io.iotbench.pipelines.decisions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The decisions table: one row per (device, interval), holding what the scorer decided and what it saw. The same
 * columns in PostgreSQL (written through JdbcIO, upserted by key) and in Parquet files (read by DuckDB through
 * the view {@code decisions}, where the newest revision of each key wins). docs/decisions-table.md describes it.
 *
 * <p>Columns: {@code device}, {@code interval} (1 = the interval at the scorer's origin), {@code window_start} and
 * {@code window_end} (timestamps, UTC), {@code sensor_1..sensor_n} (the vector the model scored: the last value of
 * each sensor), {@code events} (sensor events in the interval), {@code probability}, {@code decision}
 * ({@code ok} or {@code attention}), the flags {@code late}, {@code out_of_order}, {@code revised}, the model
 * ({@code model}: its folder; {@code model_hash}: 16 hex digits of its content's SHA-256), {@code revision} (0 for
 * a key's first decision, one more for each revision) and {@code written_at} (when the row was produced).
 */
public final class DecisionsTable {
  /** The table's (and DuckDB view's) name. */
  public static final String NAME = "decisions";
  /** The SQL identifiers a user may give for a table: letters, digits, underscores, optionally schema-qualified. */
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

  private DecisionsTable() {}

  /** The column of sensor {@code i} (1-based). */
  public static String sensorColumn(int i) {
    return "sensor_" + i;
  }

  /** The key and non-sensor columns, in table order around the sensors. */
  public static final List<String> HEAD = List.of("device", "interval", "window_start", "window_end");
  public static final List<String> TAIL = List.of(
      "events", "probability", "decision", "late", "out_of_order", "revised", "model", "model_hash", "revision", "written_at");

  /** Every column of a table for {@code sensors} sensors, in order. */
  public static List<String> columns(int sensors) {
    List<String> columns = new ArrayList<>(HEAD);
    for (int i = 1; i <= sensors; i++) {
      columns.add(sensorColumn(i));
    }
    columns.addAll(TAIL);
    return columns;
  }

  /** {@code table}, checked to be a plain (optionally schema-qualified) SQL identifier. */
  public static String identifier(String table) {
    if (table == null || !IDENTIFIER.matcher(table).matches()) {
      throw new IllegalArgumentException("table name '" + table + "': must be letters, digits and underscores (schema.table allowed)");
    }
    return table;
  }

  /**
   * The PostgreSQL DDL: the table with its primary key (device, interval) and an index on {@code window_end}, both
   * created only if missing.
   */
  public static String postgresDdl(String table, int sensors) {
    String t = identifier(table);
    StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(t).append(" (\n")
        .append("  device TEXT NOT NULL,\n  interval BIGINT NOT NULL,\n")
        .append("  window_start TIMESTAMPTZ NOT NULL,\n  window_end TIMESTAMPTZ NOT NULL,\n");
    for (int i = 1; i <= sensors; i++) {
      sql.append("  ").append(sensorColumn(i)).append(" DOUBLE PRECISION,\n");
    }
    sql.append("  events BIGINT NOT NULL,\n  probability DOUBLE PRECISION NOT NULL,\n")
        .append("  decision TEXT NOT NULL CHECK (decision IN ('ok', 'attention')),\n")
        .append("  late BOOLEAN NOT NULL,\n  out_of_order BOOLEAN NOT NULL,\n  revised BOOLEAN NOT NULL,\n")
        .append("  model TEXT NOT NULL,\n  model_hash TEXT NOT NULL,\n  revision INTEGER NOT NULL,\n")
        .append("  written_at TIMESTAMPTZ NOT NULL,\n")
        .append("  PRIMARY KEY (device, interval)\n);\n")
        .append("CREATE INDEX IF NOT EXISTS ").append(t.replace('.', '_')).append("_window_end ON ").append(t)
        .append(" (window_end);\n");
    return sql.toString();
  }

  /**
   * The DuckDB view {@code decisions} over the Parquet files {@code glob} (a path DuckDB reads, {@code *} and
   * {@code **} allowed): the newest revision of each (device, interval); of equal revisions the last written.
   */
  public static String duckDbView(String glob) {
    return "CREATE OR REPLACE VIEW " + NAME + " AS SELECT * EXCLUDE (newest) FROM ("
        + "SELECT *, row_number() OVER (PARTITION BY device, interval ORDER BY revision DESC, written_at DESC) AS newest "
        + "FROM read_parquet('" + glob.replace("'", "''") + "', union_by_name = true)) WHERE newest = 1";
  }

  /**
   * The attention report's rows: for each device with an {@code attention} decision in the table's newest
   * {@code last} intervals (the intervals up to the newest interval any device has), newest first: how many of
   * the {@code last} intervals asked for attention ({@code attention_intervals}), then every column of the
   * device's newest row asking for attention.
   */
  public static String attentionQuery(String table, int last) {
    if (last < 1) {
      throw new IllegalArgumentException("last must be >= 1, not " + last);
    }
    String t = identifier(table);
    return String.format(Locale.ROOT,
        "WITH recent AS (SELECT * FROM %1$s WHERE interval > (SELECT max(interval) FROM %1$s) - %2$d), "
            + "asked AS (SELECT device, count(*) AS attention_intervals, max(interval) AS newest_interval "
            + "FROM recent WHERE decision = 'attention' GROUP BY device) "
            + "SELECT a.attention_intervals, r.* "
            + "FROM asked a JOIN recent r ON r.device = a.device AND r.interval = a.newest_interval "
            + "ORDER BY a.newest_interval DESC, a.device",
        t, last);
  }
}
