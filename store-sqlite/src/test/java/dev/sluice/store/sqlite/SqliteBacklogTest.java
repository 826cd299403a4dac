package dev.sluice.store.sqlite;

import static dev.sluice.testkit.TestEvents.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.Job;
import dev.sluice.core.SluiceException;
import dev.sluice.core.backlog.AppendResult;
import dev.sluice.core.backlog.BacklogStats;
import dev.sluice.core.backlog.Settlement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the SQLite backlog does beyond the shared contract: its file, schema and settings. */
class SqliteBacklogTest {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("backlog.db");
  }

  private List<String> query(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      List<String> rows = new ArrayList<>();
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(i == 1 ? "" : "|").append(rs.getString(i));
        }
        rows.add(row.toString());
      }
      return rows;
    }
  }

  private void update(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement st = c.createStatement()) {
      st.executeUpdate(sql);
    }
  }

  @Test
  void open_whenFileIsNew_appliesEveryMigrationAndRecordsTheVersion() throws SQLException {
    SqliteBacklog.open(file()).close();

    assertThat(query("SELECT version, script FROM schema_version"))
        .containsExactly(
            "1|db/sqlite/V1__init.sql",
            "2|db/sqlite/V2__sequencer_order.sql",
            "3|db/sqlite/V3__release_times_at_target.sql",
            "4|db/sqlite/V4__operator_control.sql",
            "5|db/sqlite/V5__retention.sql",
            "6|db/sqlite/V6__compact_events.sql",
            "7|db/sqlite/V7__compact_values.sql",
            "8|db/sqlite/V8__partitions.sql",
            "9|db/sqlite/V9__release_batches.sql");
    assertThat(query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
        .contains("events", "releases", "schema_version");
  }

  @Test
  void open_whenFileWasOpenedBefore_appliesNoMigrationAgainAndKeepsTheData() throws SQLException {
    try (SqliteBacklog backlog = SqliteBacklog.open(file())) {
      backlog.append(numbered(1, 2), T0);
    }

    try (SqliteBacklog backlog = SqliteBacklog.open(file())) {
      assertThat(backlog.stats(T0).waiting()).isEqualTo(2);
    }
    assertThat(query("SELECT count(*) FROM schema_version")).containsExactly("9");
  }

  @Test
  void open_whenFileIsAtVersion2WithReleases_addsTimesAtTheTargetAndKeepsTheOldRows()
      throws Exception {
    // A file as the release before version 3 left it: schema 1 and 2, one event released and done.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement st = c.createStatement()) {
      st.executeUpdate(
          "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, script TEXT NOT NULL,"
              + " applied_at TEXT NOT NULL DEFAULT 'then')");
      for (SchemaMigrations.Migration m : SchemaMigrations.ALL.subList(0, 2)) {
        String script =
            new String(
                getClass().getClassLoader().getResourceAsStream(m.resource()).readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        for (String sql : SchemaMigrations.statements(script)) {
          st.executeUpdate(sql);
        }
        st.executeUpdate(
            "INSERT INTO schema_version (version, script) VALUES ("
                + m.version()
                + ", '"
                + m.resource()
                + "')");
      }
      long t0 = T0.toEpochMilli() * 1000;
      st.executeUpdate(
          "INSERT INTO events (id, identity, bucket, object_key, accepted_at, state, attempts,"
              + " last_release_id) VALUES (1, x'6100', 'data', 'old.parquet', "
              + t0
              + ", 2, 1, 1)");
      st.executeUpdate(
          "INSERT INTO releases (id, event_id, attempt, released_at, outcome, finished_at)"
              + " VALUES (1, 1, 1, "
              + t0
              + ", 'completed', "
              + (t0 + 2_000_000)
              + ")");
      st.executeUpdate("UPDATE counts SET done = 1, releases = 1");
    }

    try (SqliteBacklog backlog = SqliteBacklog.open(file())) {
      var old = backlog.releases(T0, 0, 10);
      assertThat(old).hasSize(1);
      assertThat(old.get(0).key()).isEqualTo("old.parquet");
      assertThat(old.get(0).reachedAt()).isNull();
      assertThat(old.get(0).answeredAt()).isNull();
      // Its start is not known: it counts until it was settled.
      assertThat(backlog.startTimes(T0, Duration.ofMinutes(1))).containsExactly(T0.plusSeconds(2));

      backlog.append(numbered(1, 1), T0.plusSeconds(3));
      Job job = backlog.claim(1, Duration.ofMinutes(1), T0.plusSeconds(3)).get(0);
      backlog.settle(
          List.of(Settlement.done(job).at(T0.plusSeconds(4), T0.plusSeconds(5))),
          T0.plusSeconds(6));
      assertThat(backlog.releases(T0, 0, 10).get(1).reachedAt()).isEqualTo(T0.plusSeconds(4));
    }
    assertThat(query("SELECT max(version) FROM schema_version")).containsExactly("9");
  }

  @Test
  void open_whenFileHasANewerSchema_refusesNamingBothVersions() throws SQLException {
    SqliteBacklog.open(file()).close();
    update("INSERT INTO schema_version (version, script) VALUES (10, 'db/sqlite/V10__future.sql')");

    assertThatThrownBy(() -> SqliteBacklog.open(file()))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining(file().toString())
        .hasMessageContaining("schema version 10")
        .hasMessageContaining("(9)");
    assertThat(query("SELECT max(version) FROM schema_version")).containsExactly("10");
  }

  @Test
  void open_whenFileIsNotADatabase_throwsSluiceExceptionKeepingTheDriverCause() throws Exception {
    Files.writeString(file(), "this is a text file, not a backlog ".repeat(200));

    assertThatThrownBy(() -> SqliteBacklog.open(file()))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining(file().toString())
        .hasCauseInstanceOf(SQLException.class);
  }

  @Test
  void open_whenDirectoryIsMissing_createsIt() {
    Path nested = dir.resolve("var/lib/sluice/backlog.db");

    try (SqliteBacklog backlog = SqliteBacklog.open(nested)) {
      backlog.append(numbered(1, 1), T0);
    }

    assertThat(nested).exists();
  }

  @Test
  void open_whenDefaults_usesWalFullSyncAndMemoryTempStore() {
    try (SqliteBacklog backlog = SqliteBacklog.open(file(), SqliteOptions.defaults())) {
      assertThat(backlog.writerPragma("journal_mode")).isEqualTo("wal");
      assertThat(backlog.writerPragma("synchronous")).isEqualTo("2"); // FULL
      assertThat(backlog.writerPragma("temp_store")).isEqualTo("2"); // MEMORY
      assertThat(backlog.writerPragma("busy_timeout")).isEqualTo("5000");
      assertThat(backlog.writerPragma("cache_size")).isEqualTo("-32768");
    }
  }

  @Test
  void append_whenManyThreadsWaitForTheWriter_commitsThemInOneTransactionEachWithItsOwnResult()
      throws Exception {
    try (SqliteBacklog backlog = SqliteBacklog.open(file())) {
      int threads = 8;
      List<Thread> appenders = new java.util.concurrent.CopyOnWriteArrayList<>();
      ExecutorService pool =
          Executors.newFixedThreadPool(
              threads,
              r -> {
                Thread t = new Thread(r);
                appenders.add(t);
                return t;
              });
      try {
        List<Future<AppendResult>> results = new ArrayList<>();
        long before = backlog.appendTransactions();
        backlog.whileHoldingTheWriter(
            () -> {
              // Thread t appends events t*10 .. t*10+14: five of them overlap the next thread's.
              for (int t = 0; t < threads; t++) {
                int from = t * 10;
                results.add(pool.submit(() -> backlog.append(numbered(from, 15), T0)));
              }
              // Every appender blocks: the first committer on the writer, the rest behind it.
              await()
                  .atMost(Duration.ofSeconds(10))
                  .until(
                      () ->
                          appenders.size() == threads
                              && appenders.stream()
                                  .allMatch(t -> t.getState() == Thread.State.WAITING));
              assertThat(backlog.appendsWaiting()).isBetween(0, threads - 1);
            });
        long accepted = 0;
        long duplicates = 0;
        for (Future<AppendResult> f : results) {
          AppendResult r = f.get(10, TimeUnit.SECONDS);
          assertThat(r.accepted() + r.duplicates()).isEqualTo(15);
          accepted += r.accepted();
          duplicates += r.duplicates();
        }

        // The first committer's group (what was queued when it began), then one group for the
        // rest: eight appends in at most two transactions.
        assertThat(backlog.appendTransactions() - before).isBetween(1L, 2L);
        assertThat(accepted).isEqualTo(threads * 10 + 5);
        assertThat(duplicates).isEqualTo((threads - 1) * 5);
        assertThat(backlog.stats(T0).waiting()).isEqualTo(threads * 10 + 5);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void append_whenTheGroupCannotCommit_failsEveryAppendOfTheGroupAndKeepsNone() throws Exception {
    SqliteBacklog backlog = SqliteBacklog.open(file());
    backlog.close();

    assertThatThrownBy(() -> backlog.append(numbered(1, 3), T0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    try (SqliteBacklog reopened = SqliteBacklog.open(file())) {
      assertThat(reopened.stats(T0).waiting()).isZero();
    }
  }

  @Test
  void claimAndSettle_commitAtNormal_whileAppendKeepsFull() {
    try (SqliteBacklog backlog = SqliteBacklog.open(file(), SqliteOptions.defaults())) {
      backlog.append(numbered(1, 2), T0);
      assertThat(backlog.writerPragma("synchronous")).isEqualTo("2"); // FULL
      var jobs = backlog.claim(2, Duration.ofMinutes(1), T0);
      assertThat(backlog.writerPragma("synchronous")).isEqualTo("1"); // NORMAL
      backlog.append(numbered(3, 1), T0);
      assertThat(backlog.writerPragma("synchronous")).isEqualTo("2"); // FULL again
      backlog.settle(jobs.stream().map(dev.sluice.core.backlog.Settlement::done).toList(), T0);
      assertThat(backlog.writerPragma("synchronous")).isEqualTo("1");
    }
  }

  @Test
  void open_whenOptionsGiven_appliesThem() {
    SqliteOptions options =
        SqliteOptions.defaults()
            .withSynchronous(SqliteOptions.Synchronous.NORMAL)
            .withBusyTimeout(Duration.ofMillis(250))
            .withCacheSizeKib(4096);

    try (SqliteBacklog backlog = SqliteBacklog.open(file(), options)) {
      assertThat(backlog.writerPragma("synchronous")).isEqualTo("1"); // NORMAL
      assertThat(backlog.writerPragma("busy_timeout")).isEqualTo("250");
      assertThat(backlog.writerPragma("cache_size")).isEqualTo("-4096");
    }
  }

  @Test
  void claim_whenInstantsHaveNanoseconds_storesThemTruncatedToMicroseconds() {
    Instant accepted = Instant.parse("2026-03-01T12:00:00.123456789Z");
    Instant released = Instant.parse("2026-03-01T12:00:01.000000999Z");
    try (SqliteBacklog backlog = SqliteBacklog.open(file())) {
      backlog.append(numbered(1, 1), accepted);

      Job job = backlog.claim(1, Duration.ofSeconds(30), released).get(0);

      assertThat(backlog.stats(released).oldestWaiting()).isNull();
      assertThat(job.releasedAt()).isEqualTo(Instant.parse("2026-03-01T12:00:01Z"));
      assertThat(backlog.releases(T0, 0, 10).get(0).releasedAt()).isEqualTo(job.releasedAt());
      backlog.append(numbered(2, 1), accepted);
      assertThat(backlog.stats(released).oldestWaiting())
          .isEqualTo(Instant.parse("2026-03-01T12:00:00.123456Z"));
    }
  }

  @Test
  void claim_whenBacklogIsLarge_leasesOnlyAPageOfTheOldest() throws SQLException {
    try (SqliteBacklog backlog = SqliteBacklog.open(file())) {
      for (int batch = 0; batch < 20; batch++) {
        backlog.append(numbered(batch * 1_000, 1_000), T0.plusMillis(batch));
      }

      List<Job> jobs = backlog.claim(500, Duration.ofSeconds(30), T0.plusSeconds(1));

      assertThat(jobs).extracting(Job::event).containsExactlyElementsOf(numbered(0, 500));
      assertThat(backlog.stats(T0.plusSeconds(1)).waiting()).isEqualTo(19_500);
    }
    assertThat(query("SELECT count(*) FROM events WHERE state = 1")).containsExactly("500");
  }

  @Test
  void stats_whenCountsAreKeptIncrementally_matchACountOfTheRows() throws SQLException {
    try (SqliteBacklog backlog = SqliteBacklog.open(file())) {
      backlog.append(numbered(1, 10), T0);
      List<Job> jobs = backlog.claim(6, Duration.ofSeconds(30), T0);
      backlog.settle(
          List.of(
              Settlement.done(jobs.get(0)),
              Settlement.dead(jobs.get(1), "failed-permanent", "x"),
              Settlement.retry(jobs.get(2), "throttled", null, T0)),
          T0);
      backlog.redrive(List.of(jobs.get(1).eventId()), T0);
      backlog.claim(2, Duration.ofSeconds(30), T0.plusSeconds(60));
      backlog.abandonLeases(T0.plusSeconds(61));

      BacklogStats stats = backlog.stats(T0.plusSeconds(61));
      List<String> byState =
          query("SELECT state, count(*) FROM events GROUP BY state ORDER BY state");
      List<String> kept =
          List.of(
              "0|" + stats.waiting(),
              "1|" + stats.leased(),
              "2|" + stats.done(),
              "3|" + stats.dead());
      assertThat(kept).containsAll(byState);
      assertThat(query("SELECT count(*) FROM releases"))
          .containsExactly(String.valueOf(stats.releases()));
      assertThat(stats.waiting() + stats.leased() + stats.done() + stats.dead()).isEqualTo(10);
    }
  }

  @Test
  void close_whenClosed_refusesFurtherUseAndClosingAgainIsHarmless() {
    SqliteBacklog backlog = SqliteBacklog.open(file());
    backlog.close();
    backlog.close();

    assertThatThrownBy(() -> backlog.append(numbered(1, 1), T0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> backlog.stats(T0)).isInstanceOf(IllegalStateException.class);
  }
}
