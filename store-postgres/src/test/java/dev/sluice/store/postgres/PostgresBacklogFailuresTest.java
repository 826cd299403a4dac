package dev.sluice.store.postgres;

import static dev.sluice.testkit.TestEvents.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.AppendResult;
import dev.sluice.core.backlog.BacklogUnavailableException;
import dev.sluice.core.backlog.WriteStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a caller sees when the server cannot take a write: unavailable, and full when it is. */
class PostgresBacklogFailuresTest {
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
  void open_whenNothingListens_isUnavailableAndNotFull() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    PostgresOptions options =
        PostgresOptions.of("jdbc:postgresql://127.0.0.1:" + port + "/sluice", "sluice", null)
            .withConnectTimeout(Duration.ofSeconds(1));

    assertThatThrownBy(() -> PostgresBacklog.open(options, "node-a", null))
        .isInstanceOfSatisfying(
            BacklogUnavailableException.class, e -> assertThat(e.full()).isFalse())
        .hasMessageContaining("127.0.0.1:" + port);
  }

  @Test
  void append_ofAKeyWithANulCharacter_isRefusedNamingItAndAppendsNothingOfTheBatch() {
    try (PostgresBacklog backlog =
        PostgresBacklog.open(TestDatabases.fresh(server, "nul"), "node-a", null)) {
      List<ObjectEvent> batch =
          List.of(
              ObjectEvent.created("data", "fine", "test"),
              ObjectEvent.created("data", "a\u0000b", "test"));

      assertThatThrownBy(() -> backlog.append(batch, T0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "events[1].key contains a NUL character (U+0000), which Postgres text cannot hold");

      assertThat(backlog.stats(T0).waiting()).isZero();
      assertThat(backlog.writeStatus().writable()).isTrue();
      assertThat(backlog.append(batch.subList(0, 1), T0).accepted()).isEqualTo(1);
    }
  }

  @Test
  void append_whenTheServerIsGone_isUnavailableAndTheStatusSaysSo() {
    EmbeddedPostgresServer own = EmbeddedPostgresServer.start();
    PostgresOptions options =
        TestDatabases.fresh(own, "gone").withConnectTimeout(Duration.ofSeconds(1));
    try (PostgresBacklog backlog = PostgresBacklog.open(options, "node-a", null)) {
      backlog.append(numbered(1, 1), T0);
      own.close();

      assertThatThrownBy(() -> backlog.append(numbered(2, 1), T0.plusSeconds(1)))
          .isInstanceOfSatisfying(
              BacklogUnavailableException.class, e -> assertThat(e.full()).isFalse());
      WriteStatus status = backlog.writeStatus();
      assertThat(status.writable()).isFalse();
      assertThat(status.full()).isFalse();
      assertThat(status.failingSince()).isEqualTo(T0.plusSeconds(1));
      assertThat(status.failedWrites()).isEqualTo(1);
    }
  }

  /** The server's own disk-full error, raised by a trigger the test puts on the events table. */
  @Test
  void append_whenTheServerAnswersDiskFull_isUnavailableAndFullUntilAnAppendCommits()
      throws SQLException {
    PostgresOptions options = TestDatabases.fresh(server, "full");
    try (PostgresBacklog backlog = PostgresBacklog.open(options, "node-a", null)) {
      sql(
          options,
          "CREATE FUNCTION no_space() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
              + " RAISE EXCEPTION 'could not extend file: No space left on device'"
              + " USING ERRCODE = 'disk_full'; END $$");
      sql(
          options,
          "CREATE TRIGGER no_space BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION"
              + " no_space()");

      assertThatThrownBy(() -> backlog.append(numbered(1, 2), T0))
          .isInstanceOfSatisfying(
              BacklogUnavailableException.class, e -> assertThat(e.full()).isTrue());
      assertThat(backlog.writeStatus().writable()).isFalse();
      assertThat(backlog.writeStatus().full()).isTrue();
      assertThat(backlog.stats(T0).waiting()).isZero();

      sql(options, "DROP TRIGGER no_space ON events");
      assertThat(backlog.append(numbered(1, 2), T0.plusSeconds(1)))
          .isEqualTo(new AppendResult(2, 0));
      assertThat(backlog.writeStatus().writable()).isTrue();
      assertThat(backlog.writeStatus().failedWrites()).isEqualTo(1);
    }
  }

  @Test
  void append_whenNoConnectionFreesWithinTheTimeout_isUnavailable() throws Exception {
    PostgresOptions options =
        TestDatabases.fresh(server, "busy")
            .withPoolSize(1)
            .withConnectTimeout(Duration.ofMillis(250));
    try (PostgresBacklog backlog = PostgresBacklog.open(options, "node-a", null);
        Connection blocker = connect(options)) {
      // the one pooled connection waits on this lock inside an append
      blocker.setAutoCommit(false);
      try (Statement s = blocker.createStatement()) {
        s.execute("LOCK TABLE counts IN EXCLUSIVE MODE");
      }
      CompletableFuture<AppendResult> held =
          CompletableFuture.supplyAsync(() -> backlog.append(numbered(1, 1), T0));
      awaitWaitingOnALock(options);

      assertThatThrownBy(() -> backlog.append(numbered(2, 1), T0))
          .isInstanceOfSatisfying(
              BacklogUnavailableException.class, e -> assertThat(e.full()).isFalse());
      assertThat(backlog.writeStatus().writable()).isFalse();

      blocker.commit();
      assertThat(held.get(30, TimeUnit.SECONDS)).isEqualTo(new AppendResult(1, 0));
      assertThat(backlog.writeStatus().writable()).isTrue();
    }
  }

  private static void awaitWaitingOnALock(PostgresOptions options) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try (Connection c = connect(options);
        Statement s = c.createStatement()) {
      while (System.nanoTime() < deadline) {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND wait_event_type = 'Lock'")) {
          rs.next();
          if (rs.getLong(1) > 0) {
            return;
          }
        }
        Thread.sleep(20);
      }
    }
    throw new AssertionError("the append never waited on the lock");
  }

  private static void sql(PostgresOptions options, String statement) throws SQLException {
    try (Connection c = connect(options);
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private static Connection connect(PostgresOptions options) throws SQLException {
    return DriverManager.getConnection(options.jdbcUrl(), EmbeddedPostgresServer.USER, "");
  }
}
