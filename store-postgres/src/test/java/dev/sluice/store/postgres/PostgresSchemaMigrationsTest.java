package dev.sluice.store.postgres;

import static dev.sluice.testkit.TestEvents.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresSchemaMigrationsTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private static EmbeddedPostgresServer server;

  @BeforeAll
  static void startServer() {
    server = EmbeddedPostgresServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void open_whenSixNodesStartAtOnceOnAFreshDatabase_migratesOnceAndAllOpen() throws Exception {
    PostgresOptions options = TestDatabases.fresh(server, "race").withPoolSize(2);
    int nodes = 6;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    List<PostgresBacklog> opened = new ArrayList<>();
    try {
      List<Future<PostgresBacklog>> opening = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        String nodeId = "node-" + i;
        opening.add(
            pool.submit(
                () -> {
                  start.await();
                  return PostgresBacklog.open(options, nodeId, null);
                }));
      }
      start.countDown();
      for (Future<PostgresBacklog> f : opening) {
        opened.add(f.get(60, TimeUnit.SECONDS));
      }

      assertThat(opened).hasSize(nodes);
      // every node works on the one schema
      for (int i = 0; i < nodes; i++) {
        assertThat(opened.get(i).append(numbered(i, 1), T0).accepted()).isEqualTo(1);
      }
      assertThat(opened.get(0).stats(T0).waiting()).isEqualTo(nodes);
    } finally {
      pool.shutdownNow();
      opened.forEach(PostgresBacklog::close);
    }
    assertThat(versions(options)).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void open_whenSchemaIsCurrent_appliesNothingAgainAndKeepsTheData() throws SQLException {
    PostgresOptions options = TestDatabases.fresh(server, "again");
    try (PostgresBacklog first = PostgresBacklog.open(options, "node-a", null)) {
      first.append(numbered(1, 2), T0);
    }
    try (PostgresBacklog second = PostgresBacklog.open(options, "node-a", null)) {
      assertThat(second.stats(T0).waiting()).isEqualTo(2);
    }
    assertThat(versions(options)).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void open_leavesRoomOnReleasePagesForTheUpdatesThatCloseThem() throws SQLException {
    PostgresOptions options = TestDatabases.fresh(server, "fillfactor");
    PostgresBacklog.open(options, "node-a", null).close();
    try (Connection c = connect(options);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT reloptions::text FROM pg_class WHERE relname = 'releases'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("{fillfactor=80}");
    }
  }

  @Test
  void open_whenTheDatabaseIsNewerThanThisCode_isRefusedNamingBothVersions() throws SQLException {
    PostgresOptions options = TestDatabases.fresh(server, "newer");
    PostgresBacklog.open(options, "node-a", null).close();
    try (Connection c = connect(options);
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO schema_version (version, script) VALUES (99, 'V99__future.sql')");
    }

    assertThatThrownBy(() -> PostgresBacklog.open(options, "node-a", null))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("version 99")
        .hasMessageContaining("newer than this Sluice knows (5)");
  }

  private static List<Integer> versions(PostgresOptions options) throws SQLException {
    List<Integer> versions = new ArrayList<>();
    try (Connection c = connect(options);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
      while (rs.next()) {
        versions.add(rs.getInt(1));
      }
    }
    return versions;
  }

  private static Connection connect(PostgresOptions options) throws SQLException {
    return DriverManager.getConnection(options.jdbcUrl(), EmbeddedPostgresServer.USER, "");
  }
}
