package io.iotbench.runners.query;

import static io.iotbench.simulator.cli.Commands.VALUE;

import io.iotbench.model.scoring.PortableModelException;
import io.iotbench.pipelines.decisions.DecisionsTable;
import io.iotbench.simulator.cli.Commands;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code iotbench query}: SQL over the decisions table, embedded (DuckDB over the Parquet files of
 * {@code --table=DIR}, where the view {@code decisions} keeps each (device, interval)'s newest revision) or in a
 * database ({@code --jdbcUrl}, PostgreSQL). {@code --attention} is the operators' question as a ready report
 * ({@link AttentionReport}).
 *
 * <pre>{@code
 * iotbench query --table=data/decisions "select device, window_end from decisions where decision = 'attention'"
 * iotbench query --jdbcUrl=jdbc:postgresql://127.0.0.1:5432/iotbench --passwordFile=data/db/password --attention --last=10
 * }</pre>
 *
 * <p>Exit status: 0; 2 for options that cannot run and SQL the engine refuses to parse or plan (nothing ran);
 * 1 for a failure while running (an unreachable database, a wrong password, a table of another shape).
 */
@Command(
    name = "query",
    synopsisHeading = "",
    customSynopsis = "usage: iotbench query (--table=DIR | --jdbcUrl=URL) [--option=value ...] (\"SQL\" | --attention)",
    description = "Runs SQL over the scorer's decisions table: Parquet files through DuckDB, or PostgreSQL through JDBC.",
    optionListHeading = Commands.OPTION_LIST_HEADING,
    sortOptions = false)
public final class Query implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin Commands.HelpOption help;

  @Option(names = "--table", paramLabel = VALUE,
      description = "folder of the decisions table's Parquet files (local, hdfs://, s3://); queried with DuckDB as view 'decisions' [none]")
  String table;

  @Option(names = "--jdbcUrl", paramLabel = VALUE, description = "JDBC URL of a database holding the table 'decisions' [none]")
  String jdbcUrl;

  @Option(names = "--user", paramLabel = VALUE, defaultValue = "iotbench", description = "database user, with --jdbcUrl [${DEFAULT-VALUE}]")
  String user;

  @Option(names = "--passwordFile", paramLabel = VALUE,
      description = "file whose first line is the database password, with --jdbcUrl (iotbench db start writes one) [none]")
  Path passwordFile;

  @Option(names = "--format", paramLabel = VALUE, defaultValue = "table", description = "table, csv or json (one object per line) [${DEFAULT-VALUE}]")
  ResultTable.Format format;

  @Option(names = "--attention", description = "report the devices with an attention decision in the newest --last intervals [false]")
  boolean attention;

  @Option(names = "--last", paramLabel = VALUE, defaultValue = "10", description = "intervals the attention report looks back [${DEFAULT-VALUE}]")
  int last;

  @Option(names = "--model", paramLabel = VALUE, description = "model for the attention report's top sensors [each row's model]")
  String model;

  @Option(names = "--tableName", paramLabel = VALUE, defaultValue = DecisionsTable.NAME,
      description = "the table's name in the database, with --jdbcUrl [${DEFAULT-VALUE}]")
  String tableName;

  @Parameters(arity = "0..1", paramLabel = "SQL", description = "the statement to run")
  String sql;

  private final PrintStream out;

  Query(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    return Commands.execute(new Query(out), args, out, err);
  }

  @Override
  public Integer call() throws Exception {
    Commands.check(spec, (table == null) != (jdbcUrl == null), "table", "give exactly one of --table=DIR and --jdbcUrl=URL");
    Commands.check(spec, attention != (sql != null), "attention", "give either SQL or --attention");
    Commands.range(spec, "last", last, 1, Integer.MAX_VALUE);
    if (jdbcUrl != null) {
      Commands.check(spec, jdbcUrl.startsWith("jdbc:"), "jdbcUrl", "must start with jdbc: (e.g. jdbc:postgresql://127.0.0.1:5432/iotbench)");
      if (passwordFile != null) {
        Commands.check(spec, Files.isReadable(passwordFile), "passwordFile", "cannot read " + passwordFile);
      }
    }
    String name = table != null ? DecisionsTable.NAME : tableName;
    try {
      DecisionsTable.identifier(name);
    } catch (IllegalArgumentException e) {
      throw Commands.bad(spec, "tableName", e.getMessage());
    }
    DecisionsConnection c;
    try {
      c = table != null ? DecisionsConnection.parquet(table) : DecisionsConnection.jdbc(jdbcUrl, user, passwordFile);
    } catch (QueryException | SQLException | IOException e) {
      return failed(e);
    }
    try (c) {
      ResultTable result;
      if (attention) {
        result = AttentionReport.run(c.connection(), name, last, model);
      } else {
        try (Statement s = c.connection().createStatement()) {
          if (!s.execute(sql)) {
            out.println("OK (" + Math.max(0, s.getUpdateCount()) + " rows affected)");
            return 0;
          }
          result = ResultTable.read(s.getResultSet());
        }
      }
      result.print(format, out);
      return 0;
    } catch (SQLException e) {
      if (isSyntaxError(e)) {
        spec.commandLine().getErr().println(Commands.errorPrefix(spec.commandLine()) + "error: SQL: " + oneLine(e));
        return Commands.EXIT_USAGE;
      }
      return failed(e);
    } catch (QueryException | IOException | PortableModelException e) {
      return failed(e);
    }
  }

  /**
   * Whether the engine refused the statement before running it: SQLSTATE class 42 (syntax error or access rule
   * violation: unknown table or column) in PostgreSQL; DuckDB's Parser and Binder errors.
   */
  static boolean isSyntaxError(SQLException e) {
    String state = e.getSQLState();
    if (state != null && state.startsWith("42")) {
      return true;
    }
    String m = String.valueOf(e.getMessage());
    return m.startsWith("Parser Error") || m.startsWith("Binder Error") || m.startsWith("Catalog Error");
  }

  private int failed(Exception e) {
    spec.commandLine().getErr().println(Commands.errorPrefix(spec.commandLine()) + "failed: " + oneLine(e));
    return Commands.EXIT_FAILED;
  }

  private static String oneLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
