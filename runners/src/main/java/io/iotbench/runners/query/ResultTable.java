package io.iotbench.runners.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.PrintStream;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A query's rows, read once and printed as an aligned table (the default), CSV with a header (RFC 4180, Jackson's
 * CSV writer) or JSON lines (one object per row, Jackson). Timestamps print as ISO-8601 instants in UTC, numbers as
 * the driver gives them, SQL NULL as an empty cell, {@code null} in JSON.
 */
final class ResultTable {
  enum Format { table, csv, json }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<String> columns;
  private final List<Object[]> rows;

  ResultTable(List<String> columns, List<Object[]> rows) {
    this.columns = List.copyOf(columns);
    this.rows = rows;
  }

  List<String> columns() {
    return columns;
  }

  List<Object[]> rows() {
    return rows;
  }

  /** Reads every row of {@code rs}. */
  static ResultTable read(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    List<String> columns = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      columns.add(md.getColumnLabel(i));
    }
    List<Object[]> rows = new ArrayList<>();
    while (rs.next()) {
      Object[] row = new Object[n];
      for (int i = 1; i <= n; i++) {
        row[i - 1] = value(rs, md.getColumnType(i), i);
      }
      rows.add(row);
    }
    return new ResultTable(columns, rows);
  }

  private static Object value(ResultSet rs, int type, int i) throws SQLException {
    switch (type) {
      case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> {
        Object o = rs.getObject(i);
        if (o instanceof OffsetDateTime t) {
          return t.toInstant();
        }
        Timestamp t = rs.getTimestamp(i, java.util.Calendar.getInstance(java.util.TimeZone.getTimeZone(ZoneOffset.UTC)));
        return t == null ? null : t.toInstant();
      }
      default -> {
        return rs.getObject(i);
      }
    }
  }

  /** The index of {@code column}, or -1. */
  int indexOf(String column) {
    return columns.indexOf(column);
  }

  void print(Format format, PrintStream out) {
    switch (format) {
      case csv -> printCsv(out);
      case json -> printJson(out);
      default -> printTable(out);
    }
    out.flush();
  }

  static String text(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Double d) {
      return d.isNaN() || d.isInfinite() ? d.toString() : String.format(Locale.ROOT, "%s", d);
    }
    return v.toString();
  }

  private void printTable(PrintStream out) {
    int[] widths = new int[columns.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = columns.get(c).length();
      for (Object[] row : rows) {
        widths[c] = Math.max(widths[c], text(row[c]).length());
      }
    }
    out.println(line(columns.toArray(), widths));
    StringBuilder rule = new StringBuilder();
    for (int c = 0; c < widths.length; c++) {
      rule.append(c == 0 ? "" : "  ").append("-".repeat(widths[c]));
    }
    out.println(rule);
    for (Object[] row : rows) {
      out.println(line(row, widths));
    }
    out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
  }

  private static String line(Object[] cells, int[] widths) {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < cells.length; c++) {
      String t = text(cells[c]);
      boolean number = cells[c] instanceof Number;
      if (c > 0) {
        sb.append("  ");
      }
      String pad = " ".repeat(widths[c] - t.length());
      sb.append(number ? pad + t : (c == cells.length - 1 ? t : t + pad));
    }
    return sb.toString();
  }

  private void printCsv(PrintStream out) {
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    columns.forEach(schema::addColumn);
    List<List<String>> cells = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      List<String> r = new ArrayList<>(row.length);
      for (Object v : row) {
        r.add(text(v));
      }
      cells.add(r);
    }
    try {
      out.print(new CsvMapper().writer(schema.build()).writeValueAsString(cells));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void printJson(PrintStream out) {
    for (Object[] row : rows) {
      ObjectNode o = JSON.createObjectNode();
      for (int c = 0; c < columns.size(); c++) {
        Object v = row[c];
        if (v == null) {
          o.putNull(columns.get(c));
        } else if (v instanceof Number || v instanceof Boolean) {
          o.set(columns.get(c), JSON.valueToTree(v));
        } else {
          o.put(columns.get(c), text(v));
        }
      }
      out.println(o.toString());
    }
  }
}
