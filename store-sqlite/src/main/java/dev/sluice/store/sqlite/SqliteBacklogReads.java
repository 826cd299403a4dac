package dev.sluice.store.sqlite;

import static dev.sluice.store.sqlite.EventColumns.getInstant;

import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.BacklogStats;
import dev.sluice.core.backlog.DeadLetter;
import dev.sluice.core.backlog.ReleaseRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The backlog's read-only queries, run on the reading connection inside a read transaction that its
 * caller opens.
 */
final class SqliteBacklogReads {

  private static final String COUNTS =
      "SELECT waiting, leased, done, dead, releases FROM counts WHERE id = 1";
  // due = waiting - not yet due: events waiting for a later time (retries in backoff) are few,
  // while a large backlog is mostly due, so this counts the short side
  private static final String COUNT_NOT_YET_DUE =
      "SELECT count(*) FROM events WHERE state = 0 AND due_at > ?";
  private static final String OLDEST_WAITING =
      "SELECT accepted_at FROM events WHERE state = 0 ORDER BY accepted_at LIMIT 1";
  private static final String DEAD_LETTERS =
      "SELECT id, attempts, last_error, dead_at, "
          + EventColumns.LIST
          + " FROM events WHERE state = 3 AND id > ? ORDER BY id LIMIT ?";
  // Release times follow release ids (claims are serialized and stamped with a monotonic clock),
  // so the first release since `since` is found through the time index, and a page then walks ids.
  // min(id) would be exact even if a wall clock stepped back, but SQLite answers it by walking the
  // whole log from its start.
  private static final String FIRST_RELEASE_SINCE =
      "SELECT id FROM releases WHERE released_at >= ? ORDER BY released_at, id LIMIT 1";
  private static final String RELEASES =
      "SELECT r.id, r.event_id, r.attempt, r.released_at, r.outcome, r.finished_at, r.error,"
          + " r.reached_at, r.answered_at, "
          + prefixed("e.", EventColumns.LIST)
          + " FROM releases r JOIN events e ON e.id = r.event_id"
          + " WHERE r.id >= ? AND r.released_at >= ? ORDER BY r.id LIMIT ?";
  // Through the index on released_at: the releases of the last maxStartDelay + window, not the log.
  private static final String START_TIMES =
      "SELECT started FROM (SELECT coalesce(answered_at, finished_at, released_at) AS started"
          + " FROM releases WHERE released_at >= ?) WHERE started >= ? ORDER BY started";

  private final StatementCache statements;

  SqliteBacklogReads(StatementCache statements) {
    this.statements = statements;
  }

  BacklogStats stats(long now) throws SQLException {
    long waiting;
    long leased;
    long done;
    long dead;
    long releases;
    try (ResultSet rs = statements.get(COUNTS).executeQuery()) {
      rs.next();
      waiting = rs.getLong(1);
      leased = rs.getLong(2);
      done = rs.getLong(3);
      dead = rs.getLong(4);
      releases = rs.getLong(5);
    }
    PreparedStatement countNotYetDue = statements.get(COUNT_NOT_YET_DUE);
    countNotYetDue.setLong(1, now);
    long due;
    try (ResultSet rs = countNotYetDue.executeQuery()) {
      rs.next();
      due = waiting - rs.getLong(1);
    }
    Instant oldest = null;
    try (ResultSet rs = statements.get(OLDEST_WAITING).executeQuery()) {
      if (rs.next()) {
        oldest = Micros.toInstant(rs.getLong(1));
      }
    }
    return new BacklogStats(waiting, due, leased, done, dead, releases, oldest);
  }

  List<DeadLetter> deadLetters(long afterEventId, int limit) throws SQLException {
    PreparedStatement query = statements.get(DEAD_LETTERS);
    query.setLong(1, afterEventId);
    query.setInt(2, limit);
    List<DeadLetter> page = new ArrayList<>();
    try (ResultSet rs = query.executeQuery()) {
      while (rs.next()) {
        page.add(
            new DeadLetter(
                rs.getLong(1),
                EventColumns.read(rs, 5),
                rs.getInt(2),
                rs.getString(3),
                getInstant(rs, 4)));
      }
    }
    return page;
  }

  List<ReleaseRecord> releases(long since, long afterReleaseId, int limit) throws SQLException {
    PreparedStatement first = statements.get(FIRST_RELEASE_SINCE);
    first.setLong(1, since);
    long firstId;
    try (ResultSet rs = first.executeQuery()) {
      if (!rs.next()) {
        return List.of();
      }
      firstId = rs.getLong(1);
    }
    PreparedStatement query = statements.get(RELEASES);
    query.setLong(1, Math.max(firstId, afterReleaseId + 1));
    query.setLong(2, since);
    query.setInt(3, limit);
    List<ReleaseRecord> page = new ArrayList<>();
    try (ResultSet rs = query.executeQuery()) {
      while (rs.next()) {
        ObjectEvent event = EventColumns.read(rs, 10);
        page.add(
            new ReleaseRecord(
                rs.getLong(1),
                rs.getLong(2),
                event.identity().asString(),
                event.bucket(),
                event.key(),
                rs.getInt(3),
                Micros.toInstant(rs.getLong(4)),
                getInstant(rs, 8),
                getInstant(rs, 9),
                rs.getString(5),
                getInstant(rs, 6),
                rs.getString(7)));
      }
    }
    return page;
  }

  List<Instant> startTimes(long since, long releasedSince) throws SQLException {
    PreparedStatement query = statements.get(START_TIMES);
    query.setLong(1, releasedSince);
    query.setLong(2, since);
    List<Instant> times = new ArrayList<>();
    try (ResultSet rs = query.executeQuery()) {
      while (rs.next()) {
        times.add(Micros.toInstant(rs.getLong(1)));
      }
    }
    return times;
  }

  private static String prefixed(String prefix, String columns) {
    StringBuilder out = new StringBuilder();
    for (String column : columns.split(",")) {
      out.append(out.length() == 0 ? "" : ", ").append(prefix).append(column.strip());
    }
    return out.toString();
  }
}
