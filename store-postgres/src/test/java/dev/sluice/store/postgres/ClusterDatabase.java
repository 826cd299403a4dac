package dev.sluice.store.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh database on a test class's embedded server with the cluster tables ({@code
 * V2__cluster.sql}, applied here as plain SQL) and a stand-in {@code events} table holding just the
 * columns the node registry reads from the backlog's table.
 */
final class ClusterDatabase {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private ClusterDatabase() {}

  static DataSource create(EmbeddedPostgresServer server, String prefix) {
    String name = prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(server.createDatabase(name));
    dataSource.setUser(EmbeddedPostgresServer.USER);
    execute(dataSource, resource("/db/postgres/V2__cluster.sql"));
    execute(
        dataSource,
        "CREATE TABLE events (id bigserial PRIMARY KEY, state int NOT NULL, lease_owner text)");
    return dataSource;
  }

  static void execute(DataSource dataSource, String sql) {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("could not run: " + sql, e);
    }
  }

  private static String resource(String path) {
    try (InputStream in = ClusterDatabase.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("not on the class path: " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
