package dev.sluice.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.AppendResult;
import dev.sluice.core.backlog.BacklogStats;
import dev.sluice.core.backlog.EventLocation;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.backlog.Settlement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file written by the release before the compact events table (schema 4, rows inserted with that
 * release's SQL) is opened by the current code: every row survives and behaves, identities
 * included.
 */
class CompactEventsMigrationTest {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(30);

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("backlog.db");
  }

  // One event of each identity kind, in each state; key "a" has two changes in sequencer order.
  private static final ObjectEvent A_FIRST =
      new ObjectEvent(
          "data", "a.parquet", 1L, "e1", null, "0055AED6DCD90281E5", "ObjectCreated:Put", T0, "s3");
  private static final ObjectEvent A_SECOND =
      new ObjectEvent(
          "data", "a.parquet", 2L, "e2", null, "0055AED6DCD90281F7", "ObjectCreated:Put", T0, "s3");
  private static final ObjectEvent B_VERSIONED =
      new ObjectEvent("data", "b.parquet", 3L, "e3", "v-77", "0A", "ObjectCreated:Put", T0, "sqs");
  private static final ObjectEvent C_ETAG_ONLY =
      new ObjectEvent("data", "c.parquet", 4L, "e4", null, null, "ObjectCreated:Copy", T0, null);
  private static final ObjectEvent D_BARE =
      new ObjectEvent("data", "d.parquet", null, null, null, null, null, null, null);

  @Test
  void open_whenFileIsAtSchema4WithRows_keepsEveryRowAndItsBehaviour() throws Exception {
    long t0 = micros(T0);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement st = c.createStatement()) {
      st.executeUpdate(
          "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, script TEXT NOT NULL,"
              + " applied_at TEXT NOT NULL DEFAULT 'then')");
      for (SchemaMigrations.Migration m : SchemaMigrations.ALL) {
        if (m.version() > 4) {
          continue;
        }
        String script =
            new String(
                getClass().getClassLoader().getResourceAsStream(m.resource()).readAllBytes(),
                StandardCharsets.UTF_8);
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
      // the insert of the release that wrote schema 4
      String insert =
          "INSERT INTO events (identity, bucket, object_key, size, etag, version_id, sequencer,"
              + " event_name, event_time, source, accepted_at, state, due_at, seq_order, attempts,"
              + " lease_until, last_release_id, last_error, dead_at)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
      try (PreparedStatement ps = c.prepareStatement(insert)) {
        // id 1 and 2: two waiting changes of key a
        oldRow(ps, A_FIRST, t0, 0, t0, 0, null, null, null, null);
        oldRow(ps, A_SECOND, t0, 0, t0, 0, null, null, null, null);
        // id 3: leased by release 1 until T0 + 30 s
        oldRow(ps, B_VERSIONED, t0, 1, t0, 1, t0 + 30_000_000L, 1L, null, null);
        // id 4: done by release 2
        oldRow(ps, C_ETAG_ONLY, t0, 2, t0, 1, null, 2L, null, null);
        // id 5: dead
        oldRow(ps, D_BARE, t0, 3, t0, 5, null, null, "boom", t0);
      }
      st.executeUpdate(
          "INSERT INTO releases (id, event_id, attempt, released_at) VALUES (1, 3, 1, " + t0 + ")");
      st.executeUpdate(
          "INSERT INTO releases (id, event_id, attempt, released_at, outcome, finished_at,"
              + " reached_at, answered_at) VALUES (2, 4, 1, "
              + t0
              + ", 'completed', "
              + (t0 + 2_000_000)
              + ", "
              + (t0 + 1_000_000)
              + ", "
              + (t0 + 2_000_000)
              + ")");
      st.executeUpdate(
          "UPDATE counts SET waiting = 2, leased = 1, done = 1, dead = 1, releases = 2");
    }

    try (SqliteBacklog backlog = SqliteBacklog.open(file())) {
      Instant t1 = T0.plusSeconds(1);
      BacklogStats stats = backlog.stats(t1);
      assertThat(stats.waiting()).isEqualTo(2);
      assertThat(stats.due()).isEqualTo(2);
      assertThat(stats.leased()).isEqualTo(1);
      assertThat(stats.done()).isEqualTo(1);
      assertThat(stats.dead()).isEqualTo(1);
      assertThat(stats.oldestWaiting()).isEqualTo(T0);

      // every identity is still known, whatever field it came from
      assertThat(backlog.append(List.of(A_FIRST, A_SECOND, B_VERSIONED, C_ETAG_ONLY, D_BARE), t1))
          .isEqualTo(new AppendResult(0, 5));
      // a new change of a known key is a new event
      ObjectEvent cNew =
          new ObjectEvent("data", "c.parquet", 4L, "e4-new", null, null, null, null, null);
      assertThat(backlog.append(List.of(cNew), t1)).isEqualTo(new AppendResult(1, 0));

      // key a: only its earlier change goes while both are open; the lease of b is not over
      List<Job> first = backlog.claim(10, LEASE, t1);
      assertThat(first).extracting(Job::event).containsExactly(A_FIRST, cNew);
      assertThat(first.get(0).eventId()).isEqualTo(1);

      // the lease of release 1 ends at T0 + 30 s: b is claimed again, and release 1 expires
      Instant t31 = T0.plusMillis(30_500);
      backlog.settle(List.of(Settlement.done(first.get(0))), t31);
      List<Job> second = backlog.claim(10, LEASE, t31);
      assertThat(second).extracting(Job::event).containsExactlyInAnyOrder(A_SECOND, B_VERSIONED);
      Job b = second.stream().filter(j -> j.eventId() == 3).findFirst().orElseThrow();
      assertThat(b.attempt()).isEqualTo(2);
      List<ReleaseRecord> releases = backlog.releases(T0, 0, 10);
      assertThat(releases.get(0).outcome()).isEqualTo("expired");
      assertThat(releases.get(0).identity()).isEqualTo(B_VERSIONED.identity().asString());
      assertThat(releases.get(1).reachedAt()).isEqualTo(T0.plusSeconds(1));
      assertThat(releases.get(1).answeredAt()).isEqualTo(T0.plusSeconds(2));

      assertThat(backlog.locate("data", "a.parquet", t31))
          .extracting(EventLocation::state)
          .containsExactly(EventLocation.EventStatus.DONE, EventLocation.EventStatus.LEASED);
      assertThat(backlog.deadLetters(0, 10))
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.event()).isEqualTo(D_BARE);
                assertThat(d.attempts()).isEqualTo(5);
                assertThat(d.lastError()).isEqualTo("boom");
              });
      assertThat(backlog.startTimes(T0, Duration.ofMinutes(1))).contains(T0.plusSeconds(2));
    }
    assertThat(columns("events")).doesNotContain("identity", "seq_order", "lease_until");
    assertThat(columns("events")).contains("identity_kind", "settled_at");
  }

  private static void oldRow(
      PreparedStatement ps,
      ObjectEvent e,
      long acceptedAt,
      int state,
      long dueAt,
      int attempts,
      Long leaseUntil,
      Long lastReleaseId,
      String lastError,
      Long deadAt)
      throws SQLException {
    ps.setBytes(1, e.identity().asString().getBytes(StandardCharsets.UTF_8));
    ps.setString(2, e.bucket());
    ps.setString(3, e.key());
    ps.setObject(4, e.size());
    ps.setString(5, e.eTag());
    ps.setString(6, e.versionId());
    ps.setString(7, e.sequencer());
    ps.setString(8, e.eventName());
    ps.setObject(9, e.eventTime() == null ? null : micros(e.eventTime()));
    ps.setString(10, e.source());
    ps.setLong(11, acceptedAt);
    ps.setInt(12, state);
    ps.setLong(13, dueAt);
    ps.setString(14, dev.sluice.core.Sequencers.sortKey(e.sequencer()));
    ps.setInt(15, attempts);
    ps.setObject(16, leaseUntil);
    ps.setObject(17, lastReleaseId);
    ps.setString(18, lastError);
    ps.setObject(19, deadAt);
    ps.executeUpdate();
  }

  private List<String> columns(String table) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA table_info(" + table + ")")) {
      while (rs.next()) {
        names.add(rs.getString("name"));
      }
    }
    return names;
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }
}
