package dev.sluice.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh database on a test class's embedded server, at the schema the backlog migrates to (the
 * cluster tables included).
 */
final class ClusterDatabase {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private ClusterDatabase() {}

  static DataSource create(EmbeddedPostgresServer server, String prefix) {
    String name = prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(server.createDatabase(name));
    dataSource.setUser(EmbeddedPostgresServer.USER);
    try (Connection c = dataSource.getConnection()) {
      PostgresSchemaMigrations.migrate(c);
    } catch (SQLException e) {
      throw new IllegalStateException("could not migrate " + name, e);
    }
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
}
