package dev.sluice.store.postgres;

import static dev.sluice.testkit.TestEvents.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.Job;
import dev.sluice.core.backlog.BacklogStats;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.backlog.Settlement;
import dev.sluice.core.cluster.GateTerm;
import dev.sluice.core.cluster.NotGateHolderException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fenced claims: a claim commits only under the term the store records for the gate holder. The
 * gate_holder table (from the cluster schema) gets a row the test controls.
 */
class PostgresBacklogFenceTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(30);

  private static EmbeddedPostgresServer server;

  private PostgresOptions options;
  private PostgresBacklog backlog;
  private final AtomicReference<GateTerm> held = new AtomicReference<>();

  @BeforeAll
  static void startServer() {
    server = EmbeddedPostgresServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void openFenced() throws SQLException {
    options = TestDatabases.fresh(server, "fence");
    backlog = PostgresBacklog.open(options, "node-a", () -> Optional.ofNullable(held.get()));
    // node-a holds epoch 7 for an hour, by the database's clock
    sql(
        "INSERT INTO gate_holder (id, epoch, node_id, until)"
            + " VALUES (1, 7, 'node-a', clock_timestamp() + interval '1 hour')");
    backlog.append(numbered(1, 3), T0);
  }

  @AfterEach
  void close() {
    backlog.close();
  }

  @Test
  void claim_underTheRecordedTerm_claimsAndCountsTheClaim() throws SQLException {
    held.set(term(7, "node-a"));

    List<Job> jobs = backlog.claim(2, LEASE, T0);

    assertThat(jobs).hasSize(2);
    assertThat(claimsCounted()).isEqualTo(1);
    assertThat(
            backlog.settleAndClaim(List.of(Settlement.done(jobs.get(0))), List.of(T0), LEASE, T0))
        .hasSize(1);
    assertThat(claimsCounted()).isEqualTo(2);
  }

  @Test
  void claim_underAnOlderEpoch_isRefusedAndClaimsNothing() throws SQLException {
    held.set(term(6, "node-a"));

    assertRefusedAndNothingClaimed();
  }

  @Test
  void claim_whenTheStoreHasAnotherNodeHolding_isRefusedAndClaimsNothing() throws SQLException {
    sql("UPDATE gate_holder SET node_id = 'node-b'");
    held.set(term(7, "node-a"));

    assertRefusedAndNothingClaimed();
  }

  @Test
  void claim_whenTheTermEndedByTheDatabaseClock_isRefusedAndClaimsNothing() throws SQLException {
    sql("UPDATE gate_holder SET until = clock_timestamp() - interval '1 second'");
    held.set(term(7, "node-a"));

    assertRefusedAndNothingClaimed();
  }

  @Test
  void claim_whenTheTermHeldNamesAnotherNode_isRefusedAndClaimsNothing() throws SQLException {
    sql("UPDATE gate_holder SET node_id = 'node-b'");
    held.set(term(7, "node-b"));

    assertThatThrownBy(() -> backlog.claim(3, LEASE, T0))
        .isInstanceOf(NotGateHolderException.class)
        .hasMessageContaining("node-b");
    assertThat(backlog.stats(T0).waiting()).isEqualTo(3);
    assertThat(claimsCounted()).isZero();
  }

  @Test
  void claim_whenThisNodeHoldsNoTerm_isRefusedWithoutTouchingTheStore() throws SQLException {
    held.set(null);

    assertRefusedAndNothingClaimed();
    assertThat(claimsCounted()).isZero();
  }

  @Test
  void settleAndClaim_whenRefused_rollsTheSettlementsBackAndSettleStillApplies()
      throws SQLException {
    held.set(term(7, "node-a"));
    List<Job> jobs = backlog.claim(1, LEASE, T0);
    // another node takes over
    sql("UPDATE gate_holder SET epoch = 8, node_id = 'node-b'");

    assertThatThrownBy(
            () ->
                backlog.settleAndClaim(
                    List.of(Settlement.done(jobs.get(0))), List.of(T0), LEASE, T0))
        .isInstanceOf(NotGateHolderException.class);
    assertThat(backlog.stats(T0).leased()).isEqualTo(1);
    assertThat(backlog.stats(T0).done()).isZero();

    // a node that lost the gate still settles the jobs it ran
    backlog.settleAndClaim(List.of(Settlement.done(jobs.get(0))), List.of(), LEASE, T0);
    assertThat(backlog.stats(T0).done()).isEqualTo(1);
  }

  @Test
  void claim_whenGivenAReleaseTimeBeforeTheLatestRecorded_recordsTheLatestInstead() {
    held.set(term(7, "node-a"));
    Job first = backlog.claim(List.of(T0.plusSeconds(10)), LEASE, T0).get(0);
    // a new holder whose clock runs 4 s behind
    List<Job> later = backlog.claim(List.of(T0.plusSeconds(6), T0.plusSeconds(12)), LEASE, T0);

    assertThat(first.releasedAt()).isEqualTo(T0.plusSeconds(10));
    assertThat(later)
        .extracting(Job::releasedAt)
        .containsExactly(T0.plusSeconds(10), T0.plusSeconds(12));
    assertThat(backlog.releases(Instant.EPOCH, 0, 10))
        .extracting(ReleaseRecord::releasedAt)
        .containsExactly(T0.plusSeconds(10), T0.plusSeconds(10), T0.plusSeconds(12));
  }

  private void assertRefusedAndNothingClaimed() throws SQLException {
    assertThatThrownBy(() -> backlog.claim(3, LEASE, T0))
        .isInstanceOf(NotGateHolderException.class)
        .hasMessageContaining("node-a");
    assertThatThrownBy(() -> backlog.settleAndClaim(List.of(), List.of(T0), LEASE, T0))
        .isInstanceOf(NotGateHolderException.class);
    assertThat(backlog.stats(T0)).isEqualTo(new BacklogStats(3, 3, 0, 0, 0, 0, T0));
    assertThat(backlog.releases(Instant.EPOCH, 0, 10)).isEmpty();
    assertThat(backlog.writeStatus().writable()).isTrue();
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM events WHERE state <> 0")) {
      rs.next();
      assertThat(rs.getLong(1)).isZero();
    }
  }

  private static GateTerm term(long epoch, String nodeId) {
    // the node's own idea of its term's end; the store decides by its own clock
    return new GateTerm(epoch, nodeId, Instant.now().plusSeconds(3600));
  }

  private long claimsCounted() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT claims FROM gate_holder WHERE id = 1")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void sql(String statement) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(options.jdbcUrl(), EmbeddedPostgresServer.USER, "");
  }
}
