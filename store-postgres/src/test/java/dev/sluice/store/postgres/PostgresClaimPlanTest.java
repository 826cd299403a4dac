package dev.sluice.store.postgres;

import static dev.sluice.testkit.TestEvents.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.Settlement;
import dev.sluice.core.partition.PartitionDue;
import dev.sluice.core.partition.PartitionQuotas;
import dev.sluice.core.partition.PartitionRule;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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

  /** {@code WAITING} events spread over three partitions by their first key segment. */
  private static void appendInPartitions(PostgresBacklog backlog) {
    for (int from = 0; from < WAITING; from += 1_000) {
      List<ObjectEvent> events = new ArrayList<>(1_000);
      for (int i = from; i < from + 1_000; i++) {
        events.add(ObjectEvent.created("data", "p" + (i % 3) + "/part-" + i, "test"));
      }
      backlog.append(events, T0);
    }
  }

  /** Buffers read by the statement that starts with {@code prefix}, and the rows it returned. */
  private static long[] buffersAndRows(Statement s, String prefix) throws SQLException {
    try (ResultSet rs =
        s.executeQuery(
            "SELECT shared_blks_hit + shared_blks_read, rows FROM pg_stat_statements"
                + " WHERE query LIKE '"
                + prefix
                + "%'")) {
      assertThat(rs.next()).as("the statement %s... was recorded", prefix).isTrue();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }

  @Test
  void claimWithQuotas_amongManyDueEvents_readsBuffersForWhatItTakesOnly() throws SQLException {
    PostgresOptions options = TestDatabases.fresh(server, "quota_plan");
    try (PostgresBacklog backlog =
            PostgresBacklog.open(options, "node-a", null, PartitionRule.prefix(1));
        Connection c =
            DriverManager.getConnection(options.jdbcUrl(), EmbeddedPostgresServer.USER, "");
        Statement s = c.createStatement()) {
      appendInPartitions(backlog);
      s.execute("CREATE EXTENSION pg_stat_statements");
      s.execute("SELECT pg_stat_statements_reset()");
      Instant now = T0.plusSeconds(1);

      List<Job> jobs =
          backlog.claim(
              Collections.nCopies(CLAIMED, now),
              Duration.ofMinutes(5),
              now,
              PartitionQuotas.limits(Map.of("p0/", CLAIMED / 2, "p1/", CLAIMED / 2)));

      assertThat(jobs).hasSize(CLAIMED);
      assertThat(jobs).extracting(j -> j.event().key()).noneMatch(k -> k.startsWith("p2/"));
      long[] claim = buffersAndRows(s, "WITH quotas AS");
      assertThat(claim[1]).isEqualTo(CLAIMED);
      // One ordered walk per partition under its quota; a plan that reads every due event of the
      // partitions reads at least one buffer for each of their 20,000.
      assertThat(claim[0]).as("buffers the claim of %d read", CLAIMED).isLessThan(WAITING / 3);
    }
  }

  @Test
  void duePartitions_amongManyDueEvents_readsBuffersForItsCountsOnly() throws SQLException {
    PostgresOptions options = TestDatabases.fresh(server, "due_partitions_plan");
    try (PostgresBacklog backlog =
            PostgresBacklog.open(options, "node-a", null, PartitionRule.prefix(1));
        Connection c =
            DriverManager.getConnection(options.jdbcUrl(), EmbeddedPostgresServer.USER, "");
        Statement s = c.createStatement()) {
      appendInPartitions(backlog);
      s.execute("CREATE EXTENSION pg_stat_statements");
      s.execute("SELECT pg_stat_statements_reset()");

      assertThat(backlog.duePartitions(T0.plusSeconds(1), 200))
          .extracting(PartitionDue::partition, PartitionDue::due)
          .containsExactly(tuple("p0/", 200), tuple("p1/", 200), tuple("p2/", 200));

      long[] read = buffersAndRows(s, "WITH RECURSIVE parts");
      // a probe per partition and a walk of 200 index entries in each; counting every due event
      // reads at least one buffer for each of the 30,000
      assertThat(read[0]).as("buffers duePartitions read").isLessThan(WAITING / 3);
    }
  }

  @Test
  void locate_inASmallPartitionAmongManyEvents_countsThroughItsPartitionOnly() throws SQLException {
    PostgresOptions options = TestDatabases.fresh(server, "locate_plan");
    try (PostgresBacklog backlog =
            PostgresBacklog.open(options, "node-a", null, PartitionRule.prefix(1));
        Connection c =
            DriverManager.getConnection(options.jdbcUrl(), EmbeddedPostgresServer.USER, "");
        Statement s = c.createStatement()) {
      appendInPartitions(backlog);
      List<ObjectEvent> small = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        small.add(ObjectEvent.created("data", "small/part-" + i, "test"));
      }
      backlog.append(small, T0.plusSeconds(1));
      s.execute("CREATE EXTENSION pg_stat_statements");
      s.execute("SELECT pg_stat_statements_reset()");

      var located = backlog.locate("data", "small/part-9", T0.plusSeconds(2)).get(0);

      assertThat(located.ahead()).isEqualTo(WAITING + 9);
      assertThat(located.aheadInPartition()).isEqualTo(9);
      long[] read =
          buffersAndRows(s, "SELECT count(*) FROM events WHERE state IN (%) AND partition =");
      // through the partition's part of events_open_partition_due; a count over the open events
      // reads at least one buffer for each of the 30,000 of the other partitions
      assertThat(read[0]).as("buffers the count within the partition read").isLessThan(100);
    }
  }
}
