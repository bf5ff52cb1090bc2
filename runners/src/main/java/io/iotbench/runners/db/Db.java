package io.iotbench.runners.db;

import static io.iotbench.simulator.cli.Commands.VALUE;

import io.iotbench.runners.ProjectLayout;
import io.iotbench.simulator.cli.Commands;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code iotbench db start|stop|status}: PostgreSQL (Debian's package) on 127.0.0.1 for the decisions table
 * ({@link PostgresServer}). {@code start} creates the cluster on first use with a generated password, written once
 * to an owner-only file and never printed, starts the server in the background and prints the JDBC URL and the
 * options that point {@code score} and {@code query} at it; {@code stop} stops it; {@code status} prints whether it
 * runs (exit 0) or not (exit 1).
 *
 * <pre>{@code
 * iotbench db start [--dataDir=data/db --port=0 --user=iotbench --database=iotbench]
 * iotbench db status
 * iotbench db stop
 * }</pre>
 */
@Command(name = "db", subcommands = {Db.Start.class, Db.Stop.class, Db.Status.class}, synopsisHeading = "", customSynopsis = Db.USAGE)
public final class Db implements Callable<Integer> {
  static final String USAGE = "usage: iotbench db start|stop|status [--option=value ...]";
  /** The folder unless {@code --dataDir} names one. */
  public static final String DIR_ENV = "IOTBENCH_DB_DIR";
  private static final String USER_NAME = "[a-z_][a-z0-9_]{0,62}";

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, description = "print this help and exit")
  boolean help;

  @Parameters(arity = "0..1", paramLabel = "start|stop|status", description = "what to do")
  String action;

  private final PrintStream out;

  Db(PrintStream out) {
    this.out = out;
  }

  /** The options every action takes. */
  static final class Where {
    @Option(names = "--dataDir", paramLabel = VALUE,
        description = "folder of the server: its cluster (pgdata/), password file and settings; kept between starts "
            + "[$IOTBENCH_DB_DIR, else data/db in the project]")
    String dataDir;

    @Option(names = "--pgBin", paramLabel = VALUE,
        description = "folder of PostgreSQL's initdb and pg_ctl [$IOTBENCH_PG_BIN, else pg_ctl's folder on the PATH, else /usr/lib/postgresql/N/bin]")
    String pgBin;

    PostgresServer server() throws DbException {
      Path folder;
      if (dataDir != null && !dataDir.isBlank()) {
        folder = Paths.get(dataDir);
      } else if (System.getenv(DIR_ENV) != null && !System.getenv(DIR_ENV).isBlank()) {
        folder = Paths.get(System.getenv(DIR_ENV));
      } else {
        folder = ProjectLayout.current().root().resolve("data/db");
      }
      return new PostgresServer(folder, PostgresServer.findBin(pgBin));
    }
  }

  @Command(name = "start", synopsisHeading = "", customSynopsis = "usage: iotbench db start [--option=value ...]",
      description = "Starts PostgreSQL on 127.0.0.1 in the background (creating its cluster, user and database on first use).",
      optionListHeading = Commands.OPTION_LIST_HEADING, sortOptions = false)
  static final class Start implements Callable<Integer>, Commands.Action {
    @ParentCommand Db parent;
    @Spec CommandSpec spec;
    @Mixin Commands.HelpOption help;
    @Mixin Where where;

    @Option(names = "--port", paramLabel = VALUE, defaultValue = "0", description = "port on 127.0.0.1 (0 = a free port) [${DEFAULT-VALUE}]")
    int port;

    @Option(names = "--user", paramLabel = VALUE, defaultValue = "iotbench",
        description = "the user created with the cluster (its superuser) [${DEFAULT-VALUE}]")
    String user;

    @Option(names = "--database", paramLabel = VALUE, defaultValue = "iotbench", description = "database to create if missing [${DEFAULT-VALUE}]")
    String database;

    @Override
    public Integer call() throws Exception {
      Commands.range(spec, "port", port, 0, 65535);
      Commands.check(spec, user.matches(USER_NAME), "user", "must be lower-case letters, digits and underscores");
      Commands.check(spec, database.matches(USER_NAME), "database", "must be lower-case letters, digits and underscores");
      return failsAsDb(spec, () -> {
        PostgresServer server = where.server();
        boolean created = !server.initialized();
        long start = System.nanoTime();
        PostgresServer.Endpoint e = server.start(port, user, database);
        long millis = (System.nanoTime() - start) / 1_000_000;
        parent.out.println("PostgreSQL listening on 127.0.0.1:" + e.port() + " in " + millis + " ms" + (created ? " (new cluster)" : "")
            + ", database '" + e.database() + "', user '" + e.user() + "', data in " + server.folder() + "; stop with 'iotbench db stop"
            + (where.dataDir != null ? " --dataDir=" + where.dataDir : "") + "'");
        parent.out.println("Password (readable by you only) in " + e.passwordFile() + ". Use it with:");
        parent.out.println("  iotbench query --jdbcUrl=" + e.jdbcUrl() + " --user=" + e.user() + " --passwordFile=" + e.passwordFile()
            + " \"select count(*) from decisions\"");
        return 0;
      });
    }
  }

  @Command(name = "stop", synopsisHeading = "", customSynopsis = "usage: iotbench db stop [--option=value ...]",
      description = "Stops the server (its data stays in the folder).", optionListHeading = Commands.OPTION_LIST_HEADING)
  static final class Stop implements Callable<Integer>, Commands.Action {
    @ParentCommand Db parent;
    @Spec CommandSpec spec;
    @Mixin Commands.HelpOption help;
    @Mixin Where where;

    @Override
    public Integer call() throws Exception {
      return failsAsDb(spec, () -> {
        PostgresServer server = where.server();
        PostgresServer.Endpoint e = server.stop();
        parent.out.println("stopped PostgreSQL on 127.0.0.1:" + e.port() + " (data kept in " + server.folder() + ")");
        return 0;
      });
    }
  }

  @Command(name = "status", synopsisHeading = "", customSynopsis = "usage: iotbench db status [--option=value ...]",
      description = "Prints whether the server runs and its JDBC URL; exits 1 unless it runs.", optionListHeading = Commands.OPTION_LIST_HEADING)
  static final class Status implements Callable<Integer>, Commands.Action {
    @ParentCommand Db parent;
    @Spec CommandSpec spec;
    @Mixin Commands.HelpOption help;
    @Mixin Where where;

    @Override
    public Integer call() throws Exception {
      return failsAsDb(spec, () -> {
        PostgresServer server = where.server();
        Optional<Long> pid = server.status();
        if (pid.isEmpty()) {
          parent.out.println("not running (" + (server.initialized() ? "cluster in " : "no cluster yet in ") + server.folder() + ")");
          return Commands.EXIT_FAILED;
        }
        parent.out.println("running " + server.endpoint().jdbcUrl() + " (pid " + pid.get() + "), data in " + server.folder());
        return 0;
      });
    }
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    return Commands.execute(new Db(out), args, out, err);
  }

  @Override
  public Integer call() {
    if (help) {
      out.println(USAGE);
      for (CommandLine a : spec.subcommands().values()) {
        out.println();
        a.usage(out);
      }
      return 0;
    }
    throw Commands.usage(spec, (action == null ? "missing action; " : "unknown action '" + action + "'; ") + USAGE);
  }

  /** A {@link DbException} as one error line naming the cause and exit status 1. */
  private static int failsAsDb(CommandSpec spec, Callable<Integer> action) throws Exception {
    try {
      return action.call();
    } catch (DbException e) {
      spec.commandLine().getErr().println(Commands.errorPrefix(spec.commandLine()) + "error: " + e.getMessage());
      return Commands.EXIT_FAILED;
    }
  }
}
