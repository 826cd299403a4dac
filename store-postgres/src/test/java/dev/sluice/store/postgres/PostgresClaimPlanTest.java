package dev.sluice.store.postgres;

import static dev.sluice.testkit.TestEvents.numbered;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A claim reads what it takes, not the whole backlog: counted in buffers by {@code
 * pg_stat_statements}, which are the same on any machine at any speed. A queue table's statistics
 * are stale (this one was never analyzed, as in the first minute of a burst), which is when the
 * planner would choose to read every due event and sort them.
 */
class PostgresClaimPlanTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final int WAITING = 30_000;
  private static final int CLAIMED = 100;

  private static EmbeddedPostgresServer server;

  @BeforeAll
  static void startServer() {
    server =
        EmbeddedPostgresServer.startWith(
            Map.of("shared_preload_libraries", "pg_stat_statements", "autovacuum", "off"));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void claim_amongManyDueEvents_readsBuffersForWhatItTakesOnly() throws SQLException {
    PostgresOptions options = TestDatabases.fresh(server, "plan");
    try (PostgresBacklog backlog = PostgresBacklog.open(options, "node-a", null);
        Connection c =
            DriverManager.getConnection(options.jdbcUrl(), EmbeddedPostgresServer.USER, "");
        Statement s = c.createStatement()) {
      for (int from = 0; from < WAITING; from += 1_000) {
        backlog.append(numbered(from, 1_000), T0);
      }
      s.execute("CREATE EXTENSION pg_stat_statements");
      s.execute("SELECT pg_stat_statements_reset()");

      assertThat(backlog.claim(CLAIMED, Duration.ofMinutes(5), T0.plusSeconds(1))).hasSize(CLAIMED);

      try (ResultSet rs =
          s.executeQuery(
              "SELECT shared_blks_hit + shared_blks_read, rows FROM pg_stat_statements"
                  + " WHERE query LIKE 'WITH due AS%'")) {
        assertThat(rs.next()).as("the claim statement was recorded").isTrue();
        long buffers = rs.getLong(1);
        assertThat(rs.getLong(2)).isEqualTo(CLAIMED);
        // An ordered index scan under the LIMIT reads some tens of buffers per event it takes
        // (its index entry, its row, the per-key check, the release and the lease); a plan that
        // reads every due event reads at least one buffer for each of the 30,000.
        assertThat(buffers).as("buffers the claim of %d read", CLAIMED).isLessThan(WAITING / 3);
      }
    }
  }
}
