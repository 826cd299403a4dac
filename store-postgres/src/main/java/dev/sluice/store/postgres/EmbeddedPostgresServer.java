package dev.sluice.store.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server started in this process's care, bound to 127.0.0.1 on a free port: what
 * {@code sluice demo --nodes 3} and the tests run the shared backlog on, with nothing installed on
 * the machine. The server's files live in a temporary directory removed when it stops.
 *
 * <p>It runs with {@code synchronous_commit = off} (the library's default, kept for the tests'
 * speed): a crash of this server, not of a node, may lose its last commits. A Sluice store that
 * must keep "accepted means durable" runs on a real server with the default {@code on}.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  /** The superuser the embedded server is created with; it trusts local connections. */
  public static final String USER = "postgres";

  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts a server on a free port of 127.0.0.1 (a couple of seconds). */
  public static EmbeddedPostgresServer start() {
    return start(null);
  }

  /**
   * Starts a server whose files live under {@code dataDirectory} (kept after it stops, so a node
   * restarted against it finds its data), or in a temporary directory when null.
   */
  public static EmbeddedPostgresServer start(Path dataDirectory) {
    return start(dataDirectory, Map.of());
  }

  /**
   * Starts a server on a free port of 127.0.0.1 with these server settings besides (names as in
   * {@code postgresql.conf}; e.g. {@code shared_preload_libraries} for a test that reads {@code
   * pg_stat_statements}).
   */
  public static EmbeddedPostgresServer startWith(Map<String, String> settings) {
    return start(null, settings);
  }

  private static EmbeddedPostgresServer start(Path dataDirectory, Map<String, String> settings) {
    try {
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setPgBinaryResolver(EmbeddedPostgresServer::firstBinaryOnTheClassPath)
              .setServerConfig("listen_addresses", "127.0.0.1")
              // Several nodes, each with a pool, plus the tests' own connections.
              .setServerConfig("max_connections", "200");
      settings.forEach(builder::setServerConfig);
      if (dataDirectory != null) {
        builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
      }
      return new EmbeddedPostgresServer(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL server", e);
    }
  }

  /**
   * The server's archive for this system, the first found on the class path. The library's own
   * lookup refuses to choose when the archive is there twice, as it is when the application's jar
   * (whose manifest lists its libraries) and the same libraries are both on a test's class path.
   */
  private static InputStream firstBinaryOnTheClassPath(String system, String hardware)
      throws IOException {
    String arch = hardware.toLowerCase(Locale.ROOT);
    if (arch.equals("amd64") || arch.equals("x86-64")) {
      arch = "x86_64";
    }
    String name = "postgres-" + system.toLowerCase(Locale.ROOT) + "-" + arch + ".txz";
    URL archive = EmbeddedPostgresServer.class.getClassLoader().getResource(name);
    if (archive == null) {
      throw new IOException(
          "no PostgreSQL binaries for " + system + " " + hardware + " (" + name + ")");
    }
    return archive.openStream();
  }

  public int port() {
    return postgres.getPort();
  }

  /** The JDBC URL of {@code database} on this server. */
  public String jdbcUrl(String database) {
    return postgres.getJdbcUrl(USER, database);
  }

  /**
   * Creates an empty database (each test, each demo run, its own) and returns its JDBC URL.
   *
   * @param name lower-case letters, digits and underscores
   */
  public String createDatabase(String name) {
    Objects.requireNonNull(name, "name");
    if (!DATABASE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a plain database name: " + name);
    }
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name, e);
    }
    return jdbcUrl(name);
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not stop the embedded PostgreSQL server", e);
    }
  }
}
