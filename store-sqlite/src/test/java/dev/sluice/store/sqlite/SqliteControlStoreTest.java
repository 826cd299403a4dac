package dev.sluice.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.Settlement;
import dev.sluice.core.control.AuditEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control tables in a backlog file an older release wrote, and purge beside the dispatcher. */
class SqliteControlStoreTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("backlog.db");
  }

  private static AuditEntry entry(int second, String action, String before, String after) {
    return AuditEntry.of(T0.plusSeconds(second), action, "cli", "127.0.0.1", before, after);
  }

  @Test
  void open_whenFileIsAtVersion3WithADeadLetter_addsTheControlTablesAndKeepsTheRows()
      throws Exception {
    // A file as the release before version 4 left it: one dead letter.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement st = c.createStatement()) {
      st.executeUpdate(
          "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, script TEXT NOT NULL,"
              + " applied_at TEXT NOT NULL DEFAULT 'then')");
      for (SchemaMigrations.Migration m : SchemaMigrations.ALL.subList(0, 3)) {
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
      long t0 = T0.toEpochMilli() * 1000;
      st.executeUpdate(
          "INSERT INTO events (id, identity, bucket, object_key, accepted_at, state, attempts,"
              + " last_error, dead_at) VALUES (7, x'6100', 'data', 'old.parquet', "
              + t0
              + ", 3, 5, 'boom', "
              + t0
              + ")");
      st.executeUpdate("UPDATE counts SET dead = 1");
    }

    try (SqliteBacklog backlog = SqliteBacklog.open(file())) {
      assertThat(backlog.deadLetters(0, 10)).hasSize(1);
      assertThat(backlog.controlStore().paused()).isFalse();

      assertThat(backlog.purge(List.of(7L), Instant.EPOCH)).isEqualTo(1);
      backlog.controlStore().record(entry(1, "purge", "1 dead", "0 dead"));

      assertThat(backlog.deadLetters(0, 10)).isEmpty();
      assertThat(backlog.stats(T0).dead()).isZero();
      assertThat(backlog.controlStore().audit(0, 10)).hasSize(1);
    }
  }

  @Test
  void purge_whileDispatcherSettles_keepsCountsInStep() {
    try (SqliteBacklog backlog = SqliteBacklog.open(file())) {
      backlog.append(
          List.of(
              new ObjectEvent("data", "a", 1L, "e1", null, "01", "ObjectCreated:Put", T0, "test"),
              new ObjectEvent("data", "b", 1L, "e2", null, "02", "ObjectCreated:Put", T0, "test")),
          T0);
      var jobs = backlog.claim(2, Duration.ofSeconds(30), T0);
      backlog.settle(List.of(Settlement.dead(jobs.get(0), "failed-permanent", "boom")), T0);

      backlog.purge(List.of(), Instant.EPOCH);

      var stats = backlog.stats(T0);
      assertThat(stats.dead()).isZero();
      assertThat(stats.leased()).isEqualTo(1);
    }
  }
}
