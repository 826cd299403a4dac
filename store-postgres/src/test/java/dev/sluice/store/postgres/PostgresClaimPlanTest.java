package dev.sluice.store.postgres;

import static dev.sluice.testkit.TestEvents.numbered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Job;
import dev.sluice.core.backlog.Settlement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

  @Test
  void settle_amongManyLeasedEvents_readsBuffersForWhatItSettlesOnly() throws SQLException {
    PostgresOptions options = TestDatabases.fresh(server, "settle_plan");
    try (PostgresBacklog backlog = PostgresBacklog.open(options, "node-a", null);
        Connection c =
            DriverManager.getConnection(options.jdbcUrl(), EmbeddedPostgresServer.USER, "");
        Statement s = c.createStatement()) {
      for (int from = 0; from < WAITING; from += 1_000) {
        backlog.append(numbered(from, 1_000), T0);
      }
      List<Job> leased = new ArrayList<>();
      for (int i = 0; i < WAITING / 1_000; i++) {
        leased.addAll(backlog.claim(1_000, Duration.ofMinutes(5), T0.plusSeconds(1)));
      }
      s.execute("CREATE EXTENSION pg_stat_statements");
      s.execute("SELECT pg_stat_statements_reset()");

      backlog.settle(
          leased.subList(0, CLAIMED).stream().map(Settlement::done).toList(), T0.plusSeconds(2));

      try (ResultSet rs =
          s.executeQuery(
              "SELECT shared_blks_hit + shared_blks_read, calls FROM pg_stat_statements"
                  + " WHERE query LIKE 'WITH s AS%'")) {
        assertThat(rs.next()).as("the settlement statement was recorded").isTrue();
        assertThat(rs.getLong(2)).isEqualTo(1);
        // through the primary keys: some tens of buffers per settled event; a scan of the
        // table reads every page of 30,000 events
        assertThat(rs.getLong(1))
            .as("buffers the settlement of %d read", CLAIMED)
            .isLessThan(WAITING / 3);
      }
      assertThat(backlog.stats(T0.plusSeconds(2)).done()).isEqualTo(CLAIMED);
    }
  }
}
