package dev.sluice.bench;

import dev.sluice.store.postgres.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server with its durability settings left at Postgres' defaults ({@code fsync=on},
 * {@code synchronous_commit=on}: a commit returns once its WAL is flushed to disk), on 127.0.0.1, a
 * free port, and its files in a temporary directory removed when it stops.
 *
 * <p>{@link EmbeddedPostgresServer} (the tests' and the demo's server) starts {@code postgres -F},
 * i.e. {@code fsync=off}, and with {@code synchronous_commit=off}: fast, and not durable. This
 * server runs the same binaries (those the embedded server unpacked, found through one of its
 * backends' {@code /proc/PID/exe}) started with {@code pg_ctl} and no such flags. As root it runs
 * them in a user namespace ({@code unshare -U}), as the embedded server does: Postgres refuses to
 * run as root.
 */
final class DurablePostgres implements AutoCloseable {

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean root;

  private DurablePostgres(Path bin, Path dir, int port, boolean root) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.root = root;
  }

  /**
   * Unpacks the binaries (an embedded server started and stopped), then initdb and pg_ctl start.
   *
   * @param statements load {@code pg_stat_statements}, which times every statement
   */
  static DurablePostgres start(boolean statements) {
    Path bin = binaries();
    boolean root = "root".equals(System.getProperty("user.name"));
    try {
      Path dir = Files.createTempDirectory("sluice-bench-pg");
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      DurablePostgres pg = new DurablePostgres(bin, dir, port, root);
      // --no-sync: only the initial files skip their fsync; the server itself runs with fsync on.
      pg.run(
          "initdb",
          "-D",
          dir.resolve("data").toString(),
          "-U",
          EmbeddedPostgresServer.USER,
          "-A",
          "trust",
          "-E",
          "UTF-8",
          "--no-sync");
      pg.run(
          "pg_ctl",
          "-D",
          dir.resolve("data").toString(),
          "-o",
          "-p "
              + port
              + " -c listen_addresses=127.0.0.1 -c max_connections=200"
              + (statements
                  ? " -c shared_preload_libraries=pg_stat_statements"
                      + " -c pg_stat_statements.track=all"
                  : "")
              + " -c unix_socket_directories="
              + dir,
          "-l",
          dir.resolve("server.log").toString(),
          "-w",
          "start");
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start PostgreSQL", e);
    }
  }

  /** Where the embedded server's {@code postgres} binary lives: its backend's executable. */
  private static Path binaries() {
    try (EmbeddedPostgresServer embedded = EmbeddedPostgresServer.start();
        Connection c =
            DriverManager.getConnection(
                embedded.jdbcUrl("postgres"), EmbeddedPostgresServer.USER, null);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      Path exe = Path.of("/proc", Integer.toString(rs.getInt(1)), "exe").toRealPath();
      return exe.getParent();
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("cannot find the PostgreSQL binaries", e);
    }
  }

  String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** Creates an empty database and returns its JDBC URL. */
  String createDatabase(String name) {
    try (Connection c =
            DriverManager.getConnection(jdbcUrl("postgres"), EmbeddedPostgresServer.USER, null);
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name, e);
    }
    return jdbcUrl(name);
  }

  private void run(String program, String... args) {
    List<String> command = new ArrayList<>();
    if (root) {
      command.add("unshare");
      command.add("-U");
    }
    command.add(bin.resolve(program).toString());
    command.addAll(List.of(args));
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve(program + ".out").toFile())
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", command)
                + " failed: "
                + Files.readString(dir.resolve(program + ".out")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(String.join(" ", command) + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
    }
  }

  @Override
  public void close() {
    try {
      run("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        // a temp dir left behind is no reason to fail the run
      }
    }
  }
}
