package dev.sluice.store.sqlite;

import static dev.sluice.testkit.TestEvents.numbered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Job;
import dev.sluice.core.backlog.Pruned;
import dev.sluice.core.backlog.Settlement;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention on a SQLite file: the V5 migration of settled rows, and the walk by rowid. */
class SqliteRetentionTest {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("backlog.db");
  }

  @Test
  void migrate_whenV4FileHoldsSettledRows_datesThemSoPruningDeletesThemAfterTheHorizon()
      throws Exception {
    long t0 = Micros.of(T0);
    long hour = 3_600_000_000L;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, script TEXT NOT NULL,"
              + " applied_at TEXT)");
      for (int v = 1; v <= 4; v++) {
        SchemaMigrations.Migration m = SchemaMigrations.ALL.get(v - 1);
        for (String sql : SchemaMigrations.statements(load(m.resource()))) {
          st.execute(sql);
        }
        st.execute(
            "INSERT INTO schema_version (version, script) VALUES ("
                + v
                + ", '"
                + m.resource()
                + "')");
      }
      // 1: done, its release finished at t0 + 1h; 2: done at t0 + 5h; 3: purged, dead at t0 + 2h;
      // 4: dead; 5: waiting (the newest, which always stays)
      insertEvent(st, 1, 2, t0, "NULL", 1);
      insertEvent(st, 2, 2, t0, "NULL", 2);
      insertEvent(st, 3, 4, t0, Long.toString(t0 + 2 * hour), "NULL");
      insertEvent(st, 4, 3, t0, Long.toString(t0 + 2 * hour), "NULL");
      insertEvent(st, 5, 0, t0, "NULL", "NULL");
      st.execute(
          "INSERT INTO releases (id, event_id, attempt, released_at, outcome, finished_at) VALUES"
              + " (1, 1, 1, "
              + t0
              + ", 'completed', "
              + (t0 + hour)
              + "), (2, 2, 1, "
              + t0
              + ", 'completed', "
              + (t0 + 5 * hour)
              + ")");
      st.execute("UPDATE counts SET waiting = 1, done = 2, dead = 1, releases = 2");
    }

    try (SqliteBacklog backlog = SqliteBacklog.open(file())) {
      // settled before t0 + 3h: event 1 (done at 1h) and event 3 (purged at 2h), not 2 or 4
      Pruned pruned = backlog.prune(T0.plusSeconds(3 * 3600), T0, 100);
      while (pruned.more()) {
        pruned = backlog.prune(T0.plusSeconds(3 * 3600), T0, 100);
      }

      assertThat(ids()).isEqualTo("2,4,5");
      assertThat(backlog.stats(T0).done()).isEqualTo(1);
      assertThat(backlog.stats(T0).dead()).isEqualTo(1);
    }
  }

  @Test
  void prune_whenOldEventsThatMustStayComeFirst_walksPastThemToTheDoneOnes() throws Exception {
    try (SqliteBacklog backlog = SqliteBacklog.open(file())) {
      backlog.append(numbered(1, 50), T0);
      backlog.append(numbered(51, 50), T0);
      // the lowest ids wait for a retry, so the walk must pass them to reach the done ones
      List<Job> jobs = backlog.claim(100, Duration.ofSeconds(30), T0);
      backlog.settle(
          jobs.stream()
              .map(
                  j ->
                      j.event().key().compareTo(numbered(51).key()) < 0
                          ? Settlement.retry(j, "failed-retryable", "later", T0.plusSeconds(3600))
                          : Settlement.done(j))
              .toList(),
          T0);

      int deleted = 0;
      int calls = 0;
      Pruned p;
      do {
        p = backlog.prune(T0.plusSeconds(1), T0, 10);
        assertThat(p.events()).isLessThanOrEqualTo(10);
        deleted += p.events();
        calls++;
      } while (p.more() && calls < 100);

      // every done event but the newest (ids keep increasing), none of the waiting ones
      assertThat(deleted).isEqualTo(49);
      assertThat(backlog.stats(T0).waiting()).isEqualTo(50);
      assertThat(backlog.stats(T0).done()).isEqualTo(1);
    }
  }

  private static void insertEvent(
      Statement st, int id, int state, long acceptedAt, String deadAt, Object lastReleaseId)
      throws SQLException {
    st.execute(
        "INSERT INTO events (id, identity, bucket, object_key, accepted_at, state, dead_at,"
            + " last_release_id) VALUES ("
            + id
            + ", X'0"
            + id
            + "', 'b', 'k"
            + id
            + "', "
            + acceptedAt
            + ", "
            + state
            + ", "
            + deadAt
            + ", "
            + lastReleaseId
            + ")");
  }

  private String ids() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT group_concat(id) FROM (SELECT id FROM events)")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static String load(String resource) throws IOException {
    try (InputStream in =
        SqliteRetentionTest.class.getClassLoader().getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
