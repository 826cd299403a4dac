package dev.sluice.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.AppendResult;
import dev.sluice.core.backlog.EventLocation;
import java.io.InputStream;
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
 * A file written by the release with schema 6 (eTags, event names and sources as text, inserted
 * with that release's SQL) opened by the current code: stored values are converted to their short
 * forms, identities still match, and every event reads back as it was accepted.
 */
class CompactValuesMigrationTest {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final long T0_MICROS = T0.toEpochMilli() * 1000;

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("backlog.db");
  }

  // identity kind 3 (eTag only): the eTag is the identity
  private static final ObjectEvent ETAG_HEX =
      new ObjectEvent(
          "data",
          "a.bin",
          1L,
          "9b2cf535f27731c974343645a3985328",
          null,
          null,
          "ObjectCreated:Put",
          T0,
          "webhook");
  private static final ObjectEvent ETAG_UPPER =
      new ObjectEvent(
          "data",
          "b.bin",
          2L,
          "9B2CF535F27731C974343645A3985328",
          null,
          null,
          "s3:ObjectCreated:Copy",
          T0,
          "sqs");
  private static final ObjectEvent ETAG_MULTIPART =
      new ObjectEvent(
          "data",
          "c.bin",
          3L,
          "d41d8cd98f00b204e9800998ecf8427e-12",
          null,
          null,
          "Object Restore Completed",
          T0,
          "bench");
  // identity kind 2, a known name and source
  private static final ObjectEvent SEQUENCED =
      new ObjectEvent(
          "data",
          "d.bin",
          4L,
          "0123456789abcdef0123456789abcdef",
          null,
          "0055AED6DCD90281E5",
          "ObjectRemoved:Delete",
          T0,
          "s3-endpoint");

  private static final List<ObjectEvent> OLD =
      List.of(ETAG_HEX, ETAG_UPPER, ETAG_MULTIPART, SEQUENCED);

  @Test
  void open_whenFileIsAtSchema6_convertsValuesAndKnowsEveryIdentity() throws Exception {
    writeSchema6File();

    try (SqliteBacklog backlog = SqliteBacklog.open(file())) {
      Instant t1 = T0.plusSeconds(1);
      // delivered again after the upgrade: each is the event accepted before it
      assertThat(backlog.append(OLD, t1)).isEqualTo(new AppendResult(0, 4));
      // a new eTag of a known key is a new change
      ObjectEvent aChanged =
          new ObjectEvent(
              "data",
              "a.bin",
              1L,
              "0000000000000000000000000000beef",
              null,
              null,
              "ObjectCreated:Put",
              T0,
              "webhook");
      assertThat(backlog.append(List.of(aChanged), t1)).isEqualTo(new AppendResult(1, 0));
      assertThat(backlog.append(List.of(aChanged), t1)).isEqualTo(new AppendResult(0, 1));

      assertThat(backlog.stats(t1).oldestWaiting()).isEqualTo(T0);
      // a fresh event is due when accepted and stores no due time, converted rows included
      assertThat(query("SELECT count(*) FROM events WHERE due_at IS NULL")).containsExactly("5");
      assertThat(backlog.stats(t1).due()).isEqualTo(5);
      assertThat(backlog.stats(T0.minusSeconds(1)).due()).isZero();
      // every field reads back as it was accepted, converted or not
      List<Job> jobs = backlog.claim(10, Duration.ofSeconds(30), t1);
      assertThat(jobs)
          .extracting(Job::event)
          .containsExactly(ETAG_HEX, ETAG_UPPER, ETAG_MULTIPART, SEQUENCED, aChanged);
      assertThat(backlog.locate("data", "c.bin", t1))
          .extracting(EventLocation::event)
          .containsExactly(ETAG_MULTIPART);
      assertThat(backlog.stats(t1).oldestWaiting()).isNull();
    }

    assertThat(query("SELECT typeof(etag), typeof(event_name), typeof(source) FROM events"))
        .containsExactly(
            "blob|blob|blob", // converted: lowercase hex, known name, Sluice's source
            "text|blob|blob", // uppercase eTag stays text
            "text|text|text", // multipart eTag, an EventBridge name, another source
            "blob|blob|blob",
            "blob|blob|blob"); // written by the current code
    assertThat(query("SELECT length(etag) FROM events WHERE id = 1")).containsExactly("16");
    assertThat(query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'"))
        .contains("events_waiting")
        .doesNotContain("events_waiting_accepted");
  }

  @Test
  void stats_whenTheFirstAcceptedWaitsAgain_nameItAsTheOldest() throws Exception {
    try (SqliteBacklog backlog = SqliteBacklog.open(file())) {
      backlog.append(List.of(ETAG_HEX), T0);
      backlog.append(List.of(ETAG_UPPER), T0.plusSeconds(5));
      List<Job> first = backlog.claim(1, Duration.ofSeconds(30), T0.plusSeconds(6));
      assertThat(backlog.stats(T0.plusSeconds(6)).oldestWaiting()).isEqualTo(T0.plusSeconds(5));
      // the lease is given back: the event accepted first waits again, and is the oldest
      backlog.abandonLeases(T0.plusSeconds(7));
      assertThat(first).hasSize(1);
      assertThat(backlog.stats(T0.plusSeconds(7)).oldestWaiting()).isEqualTo(T0);
    }
    assertThat(
            query(
                "EXPLAIN QUERY PLAN SELECT accepted_at FROM events WHERE state = 0 ORDER BY id LIMIT 1"))
        .singleElement()
        .asString()
        .contains("USING INDEX events_waiting")
        .doesNotContain("TEMP B-TREE");
  }

  /** Schema 6, rows inserted as the release with schema 6 inserted them (values as text). */
  private void writeSchema6File() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement st = c.createStatement()) {
      st.executeUpdate(
          "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, script TEXT NOT NULL,"
              + " applied_at TEXT NOT NULL DEFAULT 'then')");
      for (SchemaMigrations.Migration m : SchemaMigrations.ALL.subList(0, 6)) {
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
      String insert =
          "INSERT INTO events (identity_kind, bucket, object_key, size, etag, version_id,"
              + " sequencer, event_name, event_time, source, accepted_at, state, due_at)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT DO NOTHING";
      try (PreparedStatement ps = c.prepareStatement(insert)) {
        for (ObjectEvent e : OLD) {
          ps.setInt(1, e.sequencer() == null ? 3 : 2);
          ps.setString(2, e.bucket());
          ps.setString(3, e.key());
          ps.setLong(4, e.size());
          ps.setString(5, e.eTag());
          ps.setString(6, e.versionId());
          ps.setString(7, e.sequencer());
          ps.setString(8, e.eventName());
          ps.setLong(9, T0_MICROS);
          ps.setString(10, e.source());
          ps.setLong(11, T0_MICROS);
          ps.setLong(12, T0_MICROS);
          assertThat(ps.executeUpdate()).isEqualTo(1);
        }
      }
      st.executeUpdate("UPDATE counts SET waiting = 4");
    }
    assertThat(query("SELECT typeof(etag) FROM events")).containsOnly("text");
  }

  private List<String> query(String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          row.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }
}
