package dev.sluice.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.BacklogStats;
import dev.sluice.core.backlog.DeadLetter;
import dev.sluice.core.backlog.Settlement;
import dev.sluice.core.partition.PartitionDue;
import dev.sluice.core.partition.PartitionQuotas;
import dev.sluice.core.partition.PartitionRule;
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

/**
 * Files written by earlier releases, rows and all, opened by the current {@link SqliteBacklog}: the
 * migrations run over real data, and the backlog then behaves as if it had written the rows itself.
 * The rows are written with SQL here, as those releases wrote them, not by today's code.
 */
class OldBacklogFileTest {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final long T0_MICROS = T0.toEpochMilli() * 1000;

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("backlog.db");
  }

  /** Applies the first {@code upTo} shipped migrations, recording each as the runner does. */
  private void schemaUpTo(Statement st, int upTo) throws SQLException, IOException {
    st.executeUpdate(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, script TEXT NOT NULL,"
            + " applied_at TEXT NOT NULL DEFAULT 'then')");
    for (SchemaMigrations.Migration m : SchemaMigrations.ALL.subList(0, upTo)) {
      String script;
      try (InputStream in = getClass().getClassLoader().getResourceAsStream(m.resource())) {
        script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
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
  }

  /** {@code EventIdentity.asString()} as V1 stored it: bucket NUL key NUL version, UTF-8. */
  private static String identityBlob(String bucket, String key, String version) {
    byte[] bytes = (bucket + '\u0000' + key + '\u0000' + version).getBytes(StandardCharsets.UTF_8);
    StringBuilder hex = new StringBuilder("x'");
    for (byte b : bytes) {
      hex.append(String.format("%02x", b));
    }
    return hex.append("'").toString();
  }

  /**
   * Rows as version 1 wrote them: two waiting changes of one key (sequencers 0A then 0B, the later
   * one accepted first), one more waiting event, one done with its release, one dead letter.
   */
  private void v1Rows(Statement st) throws SQLException {
    long t = T0_MICROS;
    st.executeUpdate(
        "INSERT INTO events (id, identity, bucket, object_key, size, etag, sequencer, event_name,"
            + " source, accepted_at, state, due_at, attempts) VALUES"
            + " (1, "
            + identityBlob("data", "k.csv", "s:0B")
            + ", 'data', 'k.csv', 20, 'e-b', '0B', 'ObjectCreated:Put', 's3', "
            + t
            + ", 0, "
            + t
            + ", 0),"
            + " (2, "
            + identityBlob("data", "k.csv", "s:0A")
            + ", 'data', 'k.csv', 10, 'e-a', '0A', 'ObjectCreated:Put', 's3', "
            + (t + 1)
            + ", 0, "
            + (t + 1)
            + ", 0),"
            + " (3, "
            + identityBlob("data", "other.csv", "e:e-o")
            + ", 'data', 'other.csv', 5, 'e-o', NULL, 'ObjectCreated:Put', 's3', "
            + (t + 2)
            + ", 0, "
            + (t + 2)
            + ", 0)");
    st.executeUpdate(
        "INSERT INTO events (id, identity, bucket, object_key, accepted_at, state, attempts,"
            + " last_release_id) VALUES (4, "
            + identityBlob("data", "done.csv", "")
            + ", 'data', 'done.csv', "
            + t
            + ", 2, 1, 1)");
    st.executeUpdate(
        "INSERT INTO events (id, identity, bucket, object_key, accepted_at, state, attempts,"
            + " last_release_id, last_error, dead_at) VALUES (5, "
            + identityBlob("data", "dead.csv", "")
            + ", 'data', 'dead.csv', "
            + t
            + ", 3, 5, 2, 'exit 1', "
            + (t + 9_000_000)
            + ")");
    st.executeUpdate(
        "INSERT INTO releases (id, event_id, attempt, released_at, outcome, finished_at) VALUES"
            + " (1, 4, 1, "
            + t
            + ", 'completed', "
            + (t + 1_000_000)
            + "), (2, 5, 5, "
            + t
            + ", 'failed', "
            + (t + 9_000_000)
            + ")");
    st.executeUpdate("UPDATE counts SET waiting = 3, done = 1, dead = 1, releases = 2");
  }

  private void writeOldFile(int version) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement st = c.createStatement()) {
      schemaUpTo(st, version);
      v1Rows(st);
    }
  }

  private List<String> query(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      List<String> rows = new java.util.ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
      return rows;
    }
  }

  @Test
  void open_whenFileIsAtVersion1WithRows_migratesAndKeepsEveryRowAndItsBehaviour()
      throws Exception {
    writeOldFile(1);

    try (SqliteBacklog backlog = SqliteBacklog.open(file())) {
      assertKeepsTheOldRowsAndTheirBehaviour(backlog);
    }
    assertThat(query("SELECT max(version) FROM schema_version"))
        .containsExactly(Integer.toString(SchemaMigrations.latestVersion()));
  }

  @Test
  void open_whenFileHasRowsFromBeforePartitions_keepsThemInTheEmptyPartition() throws Exception {
    writeOldFile(1);
    Instant now = T0.plusSeconds(60);

    try (SqliteBacklog backlog =
        SqliteBacklog.open(
            file(), SqliteOptions.defaults().withPartitionRule(PartitionRule.bucket()))) {
      backlog.append(List.of(ObjectEvent.created("data", "new.csv", "test")), now);

      assertThat(backlog.duePartitions(now, 100))
          .containsExactly(new PartitionDue("", 3, T0), new PartitionDue("data", 1, now));
      // The later change of k.csv (0B) still waits for the earlier one (0A).
      assertThat(backlog.claim(List.of(now, now), Duration.ofMinutes(1), now, quotas("", 5)))
          .extracting(j -> j.event().key() + " " + j.event().sequencer())
          .containsExactly("k.csv 0A", "other.csv null");
      assertThat(backlog.claim(List.of(now), Duration.ofMinutes(1), now, quotas("data", 5)))
          .extracting(j -> j.event().key())
          .containsExactly("new.csv");
    }
  }

  @Test
  void open_whenFileHasReleasesFromBeforeBatches_listsThemWithoutABatchAndRecordsNewOnes()
      throws Exception {
    // Version 5 is the newest this test writes rows for; opening migrates through 9.
    writeOldFile(5);
    Instant now = T0.plusSeconds(60);

    try (SqliteBacklog backlog = SqliteBacklog.open(file())) {
      assertThat(backlog.releases(T0, 0, 10))
          .extracting(r -> r.releaseId() + " " + r.batch())
          .containsExactly("1 null", "2 null");
      List<dev.sluice.core.Job> jobs = backlog.claim(List.of(now, now), Duration.ofMinutes(1), now);
      long reference = jobs.get(0).releaseId();
      backlog.settle(
          List.of(
              Settlement.done(jobs.get(0)).inBatch(reference),
              Settlement.done(jobs.get(1)).inBatch(reference)),
          now);

      assertThat(backlog.releases(now, 0, 10))
          .extracting(r -> r.batch())
          .containsExactly(reference, reference);
    }
  }

  private static PartitionQuotas quotas(String partition, int quota) {
    return PartitionQuotas.limits(java.util.Map.of(partition, quota));
  }

  @Test
  void open_whenFileIsAtVersion4WithRows_keepsEveryRowAndItsBehaviour() throws Exception {
    writeOldFile(4);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement st = c.createStatement()) {
      // What V2 would have filled in for rows it found; a version 4 process writes it itself.
      st.executeUpdate("UPDATE events SET seq_order = '0B" + "0".repeat(30) + "' WHERE id = 1");
      st.executeUpdate("UPDATE events SET seq_order = '0A" + "0".repeat(30) + "' WHERE id = 2");
      st.executeUpdate("INSERT INTO control_settings (name, value) VALUES ('paused', 'true')");
    }

    try (SqliteBacklog backlog = SqliteBacklog.open(file())) {
      assertThat(backlog.controlStore().paused()).as("a pause stored by version 4").isTrue();
      assertKeepsTheOldRowsAndTheirBehaviour(backlog);
    }
  }

  private static void assertKeepsTheOldRowsAndTheirBehaviour(SqliteBacklog backlog) {
    Instant now = T0.plusSeconds(60);
    BacklogStats stats = backlog.stats(now);
    assertThat(stats.waiting()).isEqualTo(3);
    assertThat(stats.done()).isEqualTo(1);
    assertThat(stats.dead()).isEqualTo(1);
    assertThat(stats.releases()).isEqualTo(2);
    assertThat(stats.oldestWaiting()).isEqualTo(T0);

    List<DeadLetter> dead = backlog.deadLetters(0, 10);
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).event().key()).isEqualTo("dead.csv");
    assertThat(dead.get(0).attempts()).isEqualTo(5);
    assertThat(dead.get(0).lastError()).contains("exit 1");
    assertThat(backlog.releases(T0, 0, 10)).extracting(r -> r.key()).contains("done.csv");

    // The identities written then still deduplicate: the same changes again are duplicates.
    ObjectEvent sameAsRow2 =
        new ObjectEvent("data", "k.csv", 10L, "e-a", null, "0A", "ObjectCreated:Put", null, "s3");
    ObjectEvent sameAsDone =
        new ObjectEvent(
            "data", "done.csv", null, null, null, null, "ObjectCreated:Put", null, "s3");
    assertThat(backlog.append(List.of(sameAsRow2, sameAsDone), now).duplicates()).isEqualTo(2);

    // Changes of one key go in sequencer order, though 0B was accepted first: V2's order covers
    // rows that were there before it.
    List<Job> first = backlog.claim(10, Duration.ofMinutes(1), now);
    assertThat(first)
        .extracting(j -> j.event().key() + "@" + j.event().sequencer())
        .containsExactlyInAnyOrder("k.csv@0A", "other.csv@null");
    Job k = first.stream().filter(j -> j.event().key().equals("k.csv")).findFirst().orElseThrow();
    assertThat(k.event().size()).isEqualTo(10L);
    assertThat(k.event().eTag()).isEqualTo("e-a");
    assertThat(k.attempt()).isEqualTo(1);
    backlog.settle(first.stream().map(Settlement::done).toList(), now.plusSeconds(1));

    List<Job> second = backlog.claim(10, Duration.ofMinutes(1), now.plusSeconds(2));
    assertThat(second).extracting(j -> j.event().sequencer()).containsExactly("0B");
    backlog.settle(List.of(Settlement.done(second.get(0))), now.plusSeconds(3));

    BacklogStats after = backlog.stats(now.plusSeconds(4));
    assertThat(after.waiting()).isZero();
    assertThat(after.done()).isEqualTo(4);
    assertThat(after.releases()).isEqualTo(5);
  }
}
