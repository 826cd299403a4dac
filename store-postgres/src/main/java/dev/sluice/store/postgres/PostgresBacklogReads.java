package dev.sluice.store.postgres;

import dev.sluice.core.ListedObject;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.BacklogStats;
import dev.sluice.core.backlog.DeadLetter;
import dev.sluice.core.backlog.EventLocation;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.partition.PartitionDue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The backlog's read-only queries, run inside a read-only repeatable-read transaction that the
 * caller opens, so each answer is one snapshot.
 */
final class PostgresBacklogReads {

  private static final String COUNTS =
      "SELECT coalesce(sum(waiting), 0), coalesce(sum(leased), 0), coalesce(sum(done), 0),"
          + " coalesce(sum(dead), 0), coalesce(sum(releases), 0) FROM counts";

  /**
   * Through the claim-order index (events_open_due). due = waiting - not yet due: events waiting
   * for a later time (retries in backoff) are few, while a large backlog is mostly due, so this
   * counts the short side.
   */
  private static final String COUNT_NOT_YET_DUE =
      "SELECT count(*) FROM events WHERE state IN (0, 1) AND state = 0 AND due_at > ?";

  /**
   * Through events_waiting: ids follow acceptance, so the first waiting id has waited longest
   * (unless clocks of several nodes differ; then by at most their difference).
   */
  private static final String OLDEST_WAITING =
      "SELECT accepted_at FROM events WHERE state = 0 ORDER BY id LIMIT 1";

  private static final String DEAD_LETTERS =
      "SELECT id, attempts, last_error, dead_at, "
          + EventColumns.LIST
          + " FROM events WHERE state = 3 AND id > ? ORDER BY id LIMIT ?";

  private static final String RELEASE_COLUMNS =
      "SELECT r.id, r.event_id, r.attempt, r.released_at, r.outcome, r.finished_at, r.error,"
          + " r.reached_at, r.answered_at, "
          + EventColumns.prefixed("e")
          + ", CASE WHEN r.outcome IS NULL AND e.state = 1 AND e.last_release_id = r.id"
          + " THEN e.due_at END, r.batch";

  private static final String RELEASES =
      RELEASE_COLUMNS
          // a release may outlive its event (the dedup horizon is shorter than the release log's)
          + " FROM releases r LEFT JOIN events e ON e.id = r.event_id"
          + " WHERE r.id > ? AND r.released_at >= ? ORDER BY r.id LIMIT ?";

  /** From the leased events, through events_leased_owner: as many as are in flight. */
  private static final String OPEN_RELEASES =
      RELEASE_COLUMNS
          + " FROM events e JOIN releases r ON r.id = e.last_release_id"
          + " WHERE e.state = 1 AND r.outcome IS NULL AND r.id > ? AND r.released_at < ?"
          + " ORDER BY r.id LIMIT ?";

  /** Through the index on released_at: the releases of the last maxStartDelay + window. */
  private static final String START_TIMES =
      "SELECT started FROM (SELECT coalesce(answered_at, finished_at, released_at) AS started"
          + " FROM releases WHERE released_at >= ?) s WHERE started >= ? ORDER BY started";

  /** The events of one object through the prefix (bucket, object_key) of the identity index. */
  private static final String LOCATE =
      "SELECT e.id, e.state, e.attempts, e.accepted_at, e.due_at, e.last_error, r.answered_at, "
          + EventColumns.prefixed("e")
          + ", e.partition"
          + " FROM events e LEFT JOIN releases r ON r.id = e.last_release_id"
          + " WHERE e.bucket = ? AND e.object_key = ? ORDER BY e.id DESC LIMIT ?";

  // Counted through the claim-order index.
  private static final String WAITING_DUE_BEFORE =
      "SELECT count(*) FROM events WHERE state IN (0, 1) AND state = 0 AND due_at < ?";
  private static final String WAITING_DUE_AT_BEFORE_ID =
      "SELECT count(*) FROM events WHERE state IN (0, 1) AND state = 0 AND due_at = ? AND id < ?";
  private static final String LEASES_ENDED_BEFORE =
      "SELECT count(*) FROM events WHERE state IN (0, 1) AND state = 1 AND due_at < ?";
  private static final String LEASES_ENDED_AT_BEFORE_ID =
      "SELECT count(*) FROM events WHERE state IN (0, 1) AND state = 1 AND due_at = ? AND id < ?";
  private static final String LEASES_ENDED_AT_OR_BEFORE =
      "SELECT count(*) FROM events WHERE state IN (0, 1) AND state = 1 AND due_at <= ?";

  // Within one partition, through events_open_partition_due (partition, due_at, id), as a claim
  // with quotas walks it: the open events before a due event in one range of the index; only
  // those due later than now are looked up for their state.
  private static final String OPEN_IN_PARTITION_BEFORE =
      "SELECT count(*) FROM events WHERE state IN (0, 1) AND partition = ?"
          + " AND (due_at, id) < (?, ?)";
  private static final String OPEN_IN_PARTITION_DUE_BY =
      "SELECT count(*) FROM events WHERE state IN (0, 1) AND partition = ? AND due_at <= ?";
  private static final String WAITING_IN_PARTITION_AFTER_BEFORE =
      "SELECT count(*) FROM events WHERE state IN (0, 1) AND partition = ? AND due_at > ?"
          + " AND (due_at, id) < (?, ?) AND state = 0";

  private PostgresBacklogReads() {}

  /**
   * The distinct partitions of open events, each found by one probe of {@code
   * events_open_partition_due} after the previous one (a loose index scan), then per partition an
   * ordered walk of its due events that stops at the limit.
   */
  private static final String DUE_PARTITIONS =
      "WITH RECURSIVE parts(p) AS ("
          + " (SELECT partition FROM events WHERE state IN (0, 1) AND partition IS NOT NULL"
          + " ORDER BY partition LIMIT 1)"
          + " UNION ALL SELECT (SELECT partition FROM events WHERE state IN (0, 1)"
          + " AND partition > parts.p ORDER BY partition LIMIT 1) FROM parts WHERE parts.p IS NOT NULL)"
          + " SELECT parts.p, d.n, d.oldest FROM parts CROSS JOIN LATERAL"
          + " (SELECT count(*) AS n, min(due_at) AS oldest FROM (SELECT due_at FROM events"
          + " WHERE state IN (0, 1) AND partition = parts.p AND due_at <= ?"
          + " ORDER BY due_at LIMIT ?) due) d"
          + " WHERE parts.p IS NOT NULL AND d.n > 0";

  /**
   * See {@link dev.sluice.core.backlog.Backlog#duePartitions}. Sorted here, by Java's order of
   * strings, not the database's collation.
   */
  /** Due events with no partition stored, counted up to a limit, and the first due time. */
  private static final String DUE_UNPARTITIONED =
      "SELECT count(*), min(due_at) FROM (SELECT due_at FROM events WHERE state IN (0, 1)"
          + " AND due_at <= ? AND partition IS NULL ORDER BY due_at, id LIMIT ?) due";

  static List<PartitionDue> duePartitions(
      Connection c, Instant now, int countUpTo, boolean unpartitioned) throws SQLException {
    List<PartitionDue> due = new ArrayList<>();
    try (PreparedStatement query = c.prepareStatement(DUE_PARTITIONS)) {
      Timestamps.set(query, 1, now);
      query.setInt(2, countUpTo);
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          due.add(new PartitionDue(rs.getString(1), rs.getInt(2), Timestamps.get(rs, 3)));
        }
      }
    }
    if (unpartitioned) {
      addUnpartitioned(c, due, now, countUpTo);
    }
    due.sort(Comparator.comparing(PartitionDue::partition));
    return due;
  }

  /**
   * Without a rule, events appended have no partition stored (NULL), which is partition '': their
   * count and first due time are read through {@code events_open_due}, where they are nearly every
   * event, and merged with those stored as ''.
   */
  private static void addUnpartitioned(
      Connection c, List<PartitionDue> due, Instant now, int countUpTo) throws SQLException {
    try (PreparedStatement query = c.prepareStatement(DUE_UNPARTITIONED)) {
      Timestamps.set(query, 1, now);
      query.setInt(2, countUpTo);
      try (ResultSet rs = query.executeQuery()) {
        rs.next();
        int n = rs.getInt(1);
        if (n == 0) {
          return;
        }
        Instant oldest = Timestamps.get(rs, 2);
        for (int i = 0; i < due.size(); i++) {
          PartitionDue stored = due.get(i);
          if (stored.partition().isEmpty()) {
            due.set(
                i,
                new PartitionDue(
                    "",
                    Math.min(countUpTo, n + stored.due()),
                    oldest.isBefore(stored.oldestDue()) ? oldest : stored.oldestDue()));
            return;
          }
        }
        due.add(new PartitionDue("", n, oldest));
      }
    }
  }

  static BacklogStats stats(Connection c, Instant now) throws SQLException {
    long waiting;
    long leased;
    long done;
    long dead;
    long releases;
    try (PreparedStatement q = c.prepareStatement(COUNTS);
        ResultSet rs = q.executeQuery()) {
      rs.next();
      waiting = rs.getLong(1);
      leased = rs.getLong(2);
      done = rs.getLong(3);
      dead = rs.getLong(4);
      releases = rs.getLong(5);
    }
    long due = waiting - count(c, COUNT_NOT_YET_DUE, now);
    Instant oldest = null;
    try (PreparedStatement q = c.prepareStatement(OLDEST_WAITING);
        ResultSet rs = q.executeQuery()) {
      if (rs.next()) {
        oldest = Timestamps.get(rs, 1);
      }
    }
    return new BacklogStats(waiting, due, leased, done, dead, releases, oldest);
  }

  /**
   * See {@link dev.sluice.core.backlog.Backlog#locate}.
   *
   * @param partitioned whether the backlog has a rule: without, every event is in partition ''
   */
  static List<EventLocation> locate(
      Connection c, String bucket, String key, Instant now, int limit, boolean partitioned)
      throws SQLException {
    List<EventLocation> found = new ArrayList<>();
    try (PreparedStatement q = c.prepareStatement(LOCATE)) {
      q.setString(1, bucket);
      q.setString(2, key);
      q.setInt(3, limit);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          long id = rs.getLong(1);
          int state = rs.getInt(2);
          Instant dueAt = state == EventState.WAITING ? Timestamps.get(rs, 5) : null;
          found.add(
              new EventLocation(
                  id,
                  EventColumns.read(rs, 8),
                  status(state, Timestamps.get(rs, 7) != null),
                  rs.getInt(3),
                  Timestamps.get(rs, 4),
                  dueAt,
                  null,
                  rs.getString(6),
                  partitioned ? partitionOf(rs.getString(8 + EventColumns.COUNT)) : "",
                  null));
        }
      }
    }
    // ahead is counted after the rows are read: one statement open at a time on the connection
    List<EventLocation> located = new ArrayList<>(found.size());
    for (EventLocation l : found) {
      if (l.dueAt() == null) {
        located.add(l);
        continue;
      }
      long ahead = ahead(c, l.eventId(), l.dueAt(), now);
      located.add(
          new EventLocation(
              l.eventId(),
              l.event(),
              l.state(),
              l.attempts(),
              l.acceptedAt(),
              l.dueAt(),
              ahead,
              l.lastError(),
              l.partition(),
              partitioned ? aheadIn(c, l.partition(), l.eventId(), l.dueAt(), now) : ahead));
    }
    Collections.reverse(located);
    return located;
  }

  // The listed objects as rows; each is looked for through the prefix (bucket, object_key) of the
  // unique index on identity. Answers the (1-based) positions of those seen.
  private static final String KNOWN =
      "SELECT o.i FROM unnest(?::text[], ?::text[], ?::text[]) WITH ORDINALITY"
          + " AS o(bucket, object_key, etag, i)"
          + " WHERE EXISTS (SELECT 1 FROM events e WHERE e.bucket = o.bucket"
          + " AND e.object_key = o.object_key"
          + " AND (o.etag IS NULL OR e.etag IS NULL OR e.etag = o.etag))";

  /** See {@link dev.sluice.core.backlog.Backlog#known}: one statement for the whole list. */
  static List<Boolean> known(Connection c, List<ListedObject> objects) throws SQLException {
    List<Boolean> known = new ArrayList<>(Collections.nCopies(objects.size(), Boolean.FALSE));
    if (objects.isEmpty()) {
      return known;
    }
    try (PreparedStatement q = c.prepareStatement(KNOWN)) {
      q.setArray(1, SqlArrays.texts(c, objects, ListedObject::bucket));
      q.setArray(2, SqlArrays.texts(c, objects, ListedObject::key));
      q.setArray(3, SqlArrays.texts(c, objects, ListedObject::eTag));
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          known.set((int) rs.getLong(1) - 1, Boolean.TRUE);
        }
      }
    }
    return known;
  }

  /** Events a claim takes before a waiting event: waiting ones and expired leases before it. */
  private static long ahead(Connection c, long id, Instant dueAt, Instant now) throws SQLException {
    long ahead =
        count(c, WAITING_DUE_BEFORE, dueAt)
            + countAtBeforeId(c, WAITING_DUE_AT_BEFORE_ID, dueAt, id);
    if (!dueAt.isAfter(now)) {
      ahead +=
          count(c, LEASES_ENDED_BEFORE, dueAt)
              + countAtBeforeId(c, LEASES_ENDED_AT_BEFORE_ID, dueAt, id);
    } else {
      // not due yet: every lease that has ended by now is taken first
      ahead += count(c, LEASES_ENDED_AT_OR_BEFORE, now);
    }
    return ahead;
  }

  /** Under a rule every open event has its partition stored (see V4__partitions.sql). */
  private static String partitionOf(String stored) {
    return stored == null ? "" : stored;
  }

  /** Events of {@code partition} a claim takes before a waiting event, as {@link #ahead}. */
  private static long aheadIn(Connection c, String partition, long id, Instant dueAt, Instant now)
      throws SQLException {
    if (!dueAt.isAfter(now)) {
      // every open event before it in claim order: waiting or with its lease ended before it
      try (PreparedStatement q = c.prepareStatement(OPEN_IN_PARTITION_BEFORE)) {
        q.setString(1, partition);
        Timestamps.set(q, 2, dueAt);
        q.setLong(3, id);
        return single(q);
      }
    }
    // not due yet: every open event due by now, then the waiting ones due before it
    long ahead;
    try (PreparedStatement q = c.prepareStatement(OPEN_IN_PARTITION_DUE_BY)) {
      q.setString(1, partition);
      Timestamps.set(q, 2, now);
      ahead = single(q);
    }
    try (PreparedStatement q = c.prepareStatement(WAITING_IN_PARTITION_AFTER_BEFORE)) {
      q.setString(1, partition);
      Timestamps.set(q, 2, now);
      Timestamps.set(q, 3, dueAt);
      q.setLong(4, id);
      return ahead + single(q);
    }
  }

  private static long single(PreparedStatement q) throws SQLException {
    try (ResultSet rs = q.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long count(Connection c, String sql, Instant at) throws SQLException {
    try (PreparedStatement q = c.prepareStatement(sql)) {
      Timestamps.set(q, 1, at);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static long countAtBeforeId(Connection c, String sql, Instant at, long id)
      throws SQLException {
    try (PreparedStatement q = c.prepareStatement(sql)) {
      Timestamps.set(q, 1, at);
      q.setLong(2, id);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static EventLocation.EventStatus status(int state, boolean answered) {
    return switch (state) {
      case EventState.WAITING -> EventLocation.EventStatus.WAITING;
      case EventState.LEASED ->
          answered ? EventLocation.EventStatus.RUNNING : EventLocation.EventStatus.LEASED;
      case EventState.DONE -> EventLocation.EventStatus.DONE;
      case EventState.DEAD -> EventLocation.EventStatus.DEAD;
      case EventState.PURGED -> EventLocation.EventStatus.PURGED;
      default -> throw new IllegalStateException("unknown event state " + state);
    };
  }

  static List<DeadLetter> deadLetters(Connection c, long afterEventId, int limit)
      throws SQLException {
    List<DeadLetter> page = new ArrayList<>();
    try (PreparedStatement q = c.prepareStatement(DEAD_LETTERS)) {
      q.setLong(1, afterEventId);
      q.setInt(2, limit);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          page.add(
              new DeadLetter(
                  rs.getLong(1),
                  EventColumns.read(rs, 5),
                  rs.getInt(2),
                  rs.getString(3),
                  Timestamps.get(rs, 4)));
        }
      }
    }
    return page;
  }

  static List<ReleaseRecord> releases(Connection c, Instant since, long afterReleaseId, int limit)
      throws SQLException {
    try (PreparedStatement q = c.prepareStatement(RELEASES)) {
      q.setLong(1, afterReleaseId);
      Timestamps.set(q, 2, since);
      q.setInt(3, limit);
      return releaseRows(q);
    }
  }

  static List<ReleaseRecord> openReleases(
      Connection c, Instant releasedBefore, long afterReleaseId, int limit) throws SQLException {
    try (PreparedStatement q = c.prepareStatement(OPEN_RELEASES)) {
      q.setLong(1, afterReleaseId);
      Timestamps.set(q, 2, releasedBefore);
      q.setInt(3, limit);
      return releaseRows(q);
    }
  }

  /** The rows of {@link #RELEASES} or {@link #OPEN_RELEASES}. */
  private static Long batchOf(ResultSet rs, int column) throws SQLException {
    long batch = rs.getLong(column);
    return rs.wasNull() ? null : batch;
  }

  private static List<ReleaseRecord> releaseRows(PreparedStatement q) throws SQLException {
    List<ReleaseRecord> page = new ArrayList<>();
    try (ResultSet rs = q.executeQuery()) {
      while (rs.next()) {
        boolean eventKept = rs.getString(10) != null; // bucket: NOT NULL while the event exists
        ObjectEvent event = eventKept ? EventColumns.read(rs, 10) : null;
        page.add(
            new ReleaseRecord(
                rs.getLong(1),
                rs.getLong(2),
                eventKept ? event.identity().asString() : null,
                eventKept ? event.bucket() : null,
                eventKept ? event.key() : null,
                rs.getInt(3),
                Timestamps.get(rs, 4),
                Timestamps.get(rs, 8),
                Timestamps.get(rs, 9),
                rs.getString(5),
                Timestamps.get(rs, 6),
                rs.getString(7),
                Timestamps.get(rs, 10 + EventColumns.COUNT),
                batchOf(rs, 11 + EventColumns.COUNT)));
      }
    }
    return page;
  }

  static List<Instant> startTimes(Connection c, Instant since, Instant releasedSince)
      throws SQLException {
    List<Instant> times = new ArrayList<>();
    try (PreparedStatement q = c.prepareStatement(START_TIMES)) {
      Timestamps.set(q, 1, releasedSince);
      Timestamps.set(q, 2, since);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          times.add(Timestamps.get(rs, 1));
        }
      }
    }
    return times;
  }
}
