package io.iotbench.runners.db;

import io.iotbench.runners.store.OwnerOnlyFile;
import io.iotbench.simulator.broker.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of Debian's {@code postgresql} package on 127.0.0.1, for the decisions table: created with
 * {@code initdb} in a folder of ours, started and stopped with {@code pg_ctl} (which runs it in the background), with
 * one user and one database, password authentication (SCRAM) and no Unix socket. The folder holds:
 * {@code pgdata/} (the cluster, with the server's log {@code postgres.log}), {@code password} (the generated
 * password, mode 0600) and {@code server.properties} (port, user, database).
 *
 * <p>PostgreSQL refuses to run as root; started by root, its programs run as the package's {@code postgres} user
 * (through {@code runuser}), which then owns {@code pgdata/} and must be able to reach the folder.
 */
public final class PostgresServer {
  /** The binaries' folder unless {@code --pgBin} or this variable names one. */
  public static final String BIN_ENV = "IOTBENCH_PG_BIN";
  static final String SERVICE_USER = "postgres";
  private static final long START_TIMEOUT_SECONDS = 60;

  private final Path folder;
  private final Path bin;

  /** What a started server answers on. */
  public record Endpoint(int port, String user, String database, Path passwordFile) {
    public String jdbcUrl() {
      return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }
  }

  public PostgresServer(Path folder, Path bin) {
    this.folder = folder.toAbsolutePath().normalize();
    this.bin = bin;
  }

  public Path folder() {
    return folder;
  }

  Path pgdata() {
    return folder.resolve("pgdata");
  }

  Path passwordFile() {
    return folder.resolve("password");
  }

  Path propertiesFile() {
    return folder.resolve("server.properties");
  }

  Path logFile() {
    return pgdata().resolve("postgres.log");
  }

  /**
   * PostgreSQL's binaries: {@code explicit}, else {@code $IOTBENCH_PG_BIN}, else the folder of {@code pg_ctl} on the
   * PATH, else Debian's newest {@code /usr/lib/postgresql/N/bin}.
   */
  public static Path findBin(String explicit) throws DbException {
    List<Path> candidates = new ArrayList<>();
    if (explicit != null && !explicit.isBlank()) {
      candidates.add(Paths.get(explicit));
    } else {
      String env = System.getenv(BIN_ENV);
      if (env != null && !env.isBlank()) {
        candidates.add(Paths.get(env));
      } else {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
          Path pgCtl = Paths.get(dir.isEmpty() ? "." : dir, "pg_ctl");
          if (Files.isExecutable(pgCtl)) {
            candidates.add(resolved(pgCtl).getParent());
          }
        }
        candidates.addAll(debianBins());
      }
    }
    for (Path dir : candidates) {
      if (Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"))) {
        return dir;
      }
    }
    throw new DbException("PostgreSQL is not installed (no initdb and pg_ctl in "
        + (candidates.isEmpty() ? "the PATH or /usr/lib/postgresql/*/bin" : candidates)
        + "): install Debian's package with 'sudo apt-get install -y postgresql', or give --pgBin=DIR");
  }

  private static Path resolved(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p.toAbsolutePath();
    }
  }

  private static List<Path> debianBins() {
    Path root = Paths.get("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
          .sorted(Comparator.comparingInt((Path v) -> Integer.parseInt(v.getFileName().toString())).reversed())
          .map(v -> v.resolve("bin"))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Whether the folder holds a cluster made by {@link #start}. */
  public boolean initialized() {
    return Files.isRegularFile(pgdata().resolve("PG_VERSION"));
  }

  /**
   * Creates the cluster when the folder has none (a new password, written once to {@code password}), starts the
   * server on {@code port} (0: a free port), and creates {@code database} when missing.
   */
  public Endpoint start(int port, String user, String database) throws DbException, IOException, InterruptedException {
    if (status().isPresent()) {
      throw new DbException("a server already runs from " + folder + " (" + endpoint().jdbcUrl() + "); stop it with 'iotbench db stop'");
    }
    Files.createDirectories(folder);
    if (!initialized()) {
      initdb(user);
    } else if (!Files.isRegularFile(passwordFile())) {
      throw new DbException(folder + " has a cluster but no password file; start it with the folder it was made with");
    }
    String existingUser = properties().getProperty("user", user);
    int chosen = port != 0 ? port : FreePorts.find();
    Files.deleteIfExists(logFile());
    run(List.of(tool("pg_ctl"), "-D", pgdata().toString(), "-l", logFile().toString(), "-w", "-t",
        Long.toString(START_TIMEOUT_SECONDS), "-o",
        "-c listen_addresses=127.0.0.1 -c port=" + chosen + " -c unix_socket_directories=''", "start"),
        START_TIMEOUT_SECONDS + 10, "start the server (its log: " + logFile() + ")");
    Endpoint endpoint = new Endpoint(chosen, existingUser, database, passwordFile());
    try {
      createDatabase(endpoint);
    } catch (SQLException e) {
      stop();
      throw new DbException("the server started but creating database '" + database + "' failed: " + e.getMessage());
    }
    Properties p = new Properties();
    p.setProperty("port", Integer.toString(chosen));
    p.setProperty("user", existingUser);
    p.setProperty("database", database);
    try (OutputStream out = Files.newOutputStream(propertiesFile())) {
      p.store(out, "iotbench db start");
    }
    return endpoint;
  }

  /** Stops the server (fast shutdown: open sessions are ended, nothing written is lost). */
  public Endpoint stop() throws DbException, IOException, InterruptedException {
    if (status().isEmpty()) {
      throw new DbException("no server runs from " + folder);
    }
    Endpoint endpoint = endpoint();
    run(List.of(tool("pg_ctl"), "-D", pgdata().toString(), "-w", "-t", "60", "-m", "fast", "stop"), 70, "stop the server");
    return endpoint;
  }

  /** The running server's process id, when one runs from the folder. */
  public Optional<Long> status() throws IOException, InterruptedException {
    if (!initialized()) {
      return Optional.empty();
    }
    Process p = new ProcessBuilder(command(List.of(tool("pg_ctl"), "-D", pgdata().toString(), "status")))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return Optional.empty();
    }
    if (p.exitValue() != 0) {
      return Optional.empty();
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("PID: (\\d+)").matcher(out);
    return Optional.of(m.find() ? Long.parseLong(m.group(1)) : -1L);
  }

  /** The endpoint recorded by the last start. */
  public Endpoint endpoint() throws IOException {
    Properties p = properties();
    return new Endpoint(Integer.parseInt(p.getProperty("port", "5432")), p.getProperty("user", "iotbench"),
        p.getProperty("database", "iotbench"), passwordFile());
  }

  private Properties properties() throws IOException {
    Properties p = new Properties();
    if (Files.isRegularFile(propertiesFile())) {
      try (InputStream in = Files.newInputStream(propertiesFile())) {
        p.load(in);
      }
    }
    return p;
  }

  private void initdb(String user) throws DbException, IOException, InterruptedException {
    String password = newPassword();
    OwnerOnlyFile.write(passwordFile(), password + "\n");
    // initdb reads the password from a file of its own, readable by the user it runs as, removed right after.
    Path pwfile = OwnerOnlyFile.write(folder.resolve(".initdb-password"), password + "\n");
    try {
      if (asServiceUser()) {
        UserPrincipal postgres = folder.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SERVICE_USER);
        Files.createDirectories(pgdata());
        Files.setOwner(pgdata(), postgres);
        Files.setOwner(pwfile, postgres);
        Process check = new ProcessBuilder(command(List.of("test", "-w", pgdata().toString()))).start();
        if (check.waitFor() != 0) {
          throw new DbException("PostgreSQL does not run as root, and its user '" + SERVICE_USER + "' cannot reach " + pgdata()
              + ": give a --dataDir that user can reach (every parent folder searchable, e.g. under /var/tmp)");
        }
      }
      run(List.of(tool("initdb"), "-D", pgdata().toString(), "-U", user, "--auth=scram-sha-256", "--pwfile=" + pwfile,
          "-E", "UTF8", "--locale=C", "--no-instructions"), 120, "create the cluster with initdb");
      Properties p = new Properties();
      p.setProperty("user", user);
      try (OutputStream out = Files.newOutputStream(propertiesFile())) {
        p.store(out, "iotbench db start");
      }
    } finally {
      Files.deleteIfExists(pwfile);
    }
  }

  private static String newPassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Creates {@code endpoint}'s database unless it exists. */
  private static void createDatabase(Endpoint endpoint) throws SQLException, IOException {
    String url = "jdbc:postgresql://127.0.0.1:" + endpoint.port() + "/postgres";
    try (Connection c = DriverManager.getConnection(url, endpoint.user(), readPassword(endpoint.passwordFile()));
        PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, endpoint.database());
      try (ResultSet r = exists.executeQuery()) {
        if (r.next()) {
          return;
        }
      }
      try (Statement create = c.createStatement()) {
        create.execute("CREATE DATABASE \"" + endpoint.database().replace("\"", "\"\"") + "\"");
      }
    }
  }

  /** The first line of a password file. */
  public static String readPassword(Path file) throws IOException {
    try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return lines.findFirst().orElse("").strip();
    }
  }

  private String tool(String name) {
    return bin.resolve(name).toString();
  }

  static boolean asServiceUser() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** {@code args} as the user the server runs as. */
  private static List<String> command(List<String> args) {
    if (!asServiceUser()) {
      return args;
    }
    List<String> cmd = new ArrayList<>(List.of("runuser", "-u", SERVICE_USER, "--"));
    cmd.addAll(args);
    return cmd;
  }

  private static void run(List<String> args, long timeoutSeconds, String what) throws DbException, IOException, InterruptedException {
    Process p = new ProcessBuilder(command(args)).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new DbException("could not " + what + " within " + timeoutSeconds + " s");
    }
    if (p.exitValue() != 0) {
      String text = new String(out, StandardCharsets.UTF_8).strip();
      String last = text.isEmpty() ? "exit status " + p.exitValue() : text.substring(text.lastIndexOf('\n') + 1);
      throw new DbException("could not " + what + ": " + last);
    }
  }
}
