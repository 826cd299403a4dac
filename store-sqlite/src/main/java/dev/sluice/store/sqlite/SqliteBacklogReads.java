package dev.sluice.store.sqlite;

import static dev.sluice.store.sqlite.EventColumns.getInstant;

import dev.sluice.core.ListedObject;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.BacklogStats;
import dev.sluice.core.backlog.DeadLetter;
import dev.sluice.core.backlog.EventLocation;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.partition.PartitionDue;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The backlog's read-only queries, run on the reading connection inside a read transaction that its
 * caller opens.
 */
final class SqliteBacklogReads {

  /**
   * Counts through the claim-order index on open events (due_at is a leased event's lease end). The
   * index is named: with "state = 0" the planner would otherwise walk every waiting event through
   * events_waiting.
   */
  /** The partitions of open events, walked through the index; see {@link #duePartitions}. */
  private static final String DUE_PARTITIONS =
      "WITH RECURSIVE parts(p) AS ("
          + " SELECT (SELECT min(partition) FROM events INDEXED BY events_open_partition_due"
          + " WHERE state IN (0, 1) AND partition IS NOT NULL)"
          + " UNION ALL SELECT (SELECT min(partition) FROM events INDEXED BY"
          + " events_open_partition_due WHERE state IN (0, 1) AND partition > p)"
          + " FROM parts WHERE p IS NOT NULL),"
          + " due(p, n, oldest) AS (SELECT p,"
          + " (SELECT count(*) FROM (SELECT 1 FROM events INDEXED BY events_open_partition_due"
          + " WHERE state IN (0, 1) AND partition = p AND "
          + EventColumns.DUE
          + " <= ? LIMIT ?)),"
          + " (SELECT min("
          + EventColumns.DUE
          + ") FROM events INDEXED BY events_open_partition_due"
          + " WHERE state IN (0, 1) AND partition = p)"
          + " FROM parts WHERE p IS NOT NULL)"
          + " SELECT p, n, oldest FROM due WHERE n > 0 AND oldest <= ?";

  /** Due events with no partition stored, counted up to a limit, and the first due time. */
  private static final String DUE_UNPARTITIONED =
      "SELECT count(*), min(due) FROM (SELECT "
          + EventColumns.DUE
          + " AS due FROM events INDEXED BY events_open_due WHERE state IN (0, 1) AND "
          + EventColumns.DUE
          + " <= ? AND partition IS NULL ORDER BY "
          + EventColumns.DUE
          + " LIMIT ?)";

  private static final String COUNT_OPEN =
      "SELECT count(*) FROM events INDEXED BY events_open_due WHERE state IN (0, 1)";

  private static final String COUNTS =
      "SELECT waiting, leased, done, dead, releases FROM counts WHERE id = 1";
  // due = waiting - not yet due: events waiting for a later time (retries in backoff) are few,
  // while a large backlog is mostly due, so this counts the short side
  private static final String COUNT_NOT_YET_DUE =
      COUNT_OPEN + " AND state = 0 AND " + EventColumns.DUE + " > ?";
  // Through events_waiting (waiting events in id order). Ids are handed out in acceptance order by
  // the one writer, so the first waiting id is the event that has waited longest; its accepted_at
  // is the oldest unless the clock stepped back between acceptances (then it may be later than
  // another waiting event's, by at most the step).
  private static final String OLDEST_WAITING =
      "SELECT accepted_at FROM events WHERE state = 0 ORDER BY id LIMIT 1";
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
  private static final String RELEASE_COLUMNS =
      "SELECT r.id, r.event_id, r.attempt, r.released_at, r.outcome, r.finished_at, r.error,"
          + " r.reached_at, r.answered_at, "
          + prefixed("e.", EventColumns.LIST)
          + ", CASE WHEN r.outcome IS NULL AND e.state = 1 AND e.last_release_id = r.id"
          + " THEN e.due_at END, r.batch";
  private static final String RELEASES =
      RELEASE_COLUMNS
          // a release may outlive its event (the dedup horizon is shorter than the release log's)
          + " FROM releases r LEFT JOIN events e ON e.id = r.event_id"
          + " WHERE r.id >= ? AND r.released_at >= ? ORDER BY r.id LIMIT ?";
  // From the leased events (through the open-events index): only a takeover on a shared store
  // asks, and a SQLite backlog has one node, so this is never on a hot path.
  private static final String OPEN_RELEASES =
      RELEASE_COLUMNS
          + " FROM events e JOIN releases r ON r.id = e.last_release_id"
          + " WHERE e.state = 1 AND r.outcome IS NULL AND r.id > ? AND r.released_at < ?"
          + " ORDER BY r.id LIMIT ?";
  // Through the index on released_at: the releases of the last maxStartDelay + window, not the log.
  private static final String START_TIMES =
      "SELECT started FROM (SELECT coalesce(answered_at, finished_at, released_at) AS started"
          + " FROM releases WHERE released_at >= ?) WHERE started >= ? ORDER BY started";

  // The events of one object through the prefix (bucket, key) of the unique index on identity.
  private static final String LOCATE =
      "SELECT e.id, e.state, e.attempts, e.accepted_at, coalesce(e.due_at, e.accepted_at),"
          + " e.last_error, r.answered_at, "
          + prefixed("e.", EventColumns.LIST)
          + ", e.partition"
          + " FROM events e LEFT JOIN releases r ON r.id = e.last_release_id"
          + " WHERE e.bucket = ? AND e.object_key = ? ORDER BY e.id DESC LIMIT ?";
  // Whether an object was seen, through the prefix (bucket, key) of the unique index on identity.
  private static final String SEEN_KEY =
      "SELECT 1 FROM events WHERE bucket = ? AND object_key = ? LIMIT 1";
  private static final String SEEN_ETAG =
      "SELECT 1 FROM events WHERE bucket = ? AND object_key = ? AND (etag IS NULL OR etag = ?)"
          + " LIMIT 1";
  // Counted through the claim-order index (COUNT_OPEN).
  private static final String WAITING_DUE_BEFORE =
      COUNT_OPEN + " AND state = 0 AND " + EventColumns.DUE + " < ?";
  private static final String WAITING_DUE_AT_BEFORE_ID =
      COUNT_OPEN + " AND state = 0 AND " + EventColumns.DUE + " = ? AND id < ?";
  private static final String LEASES_ENDED_BEFORE =
      COUNT_OPEN + " AND state = 1 AND " + EventColumns.DUE + " < ?";
  private static final String LEASES_ENDED_AT_BEFORE_ID =
      COUNT_OPEN + " AND state = 1 AND " + EventColumns.DUE + " = ? AND id < ?";

  // Within one partition, through events_open_partition_due (partition, due, then the rowid the
  // index ends with), as a claim with quotas walks it: the open events before a due event are
  // counted from the index alone; only those due later than now are looked up for their state.
  private static final String OPEN_IN_PARTITION =
      "SELECT count(*) FROM events INDEXED BY events_open_partition_due"
          + " WHERE state IN (0, 1) AND partition = ? AND ";
  private static final String OPEN_IN_PARTITION_DUE_BEFORE =
      OPEN_IN_PARTITION + EventColumns.DUE + " < ?";
  private static final String OPEN_IN_PARTITION_DUE_AT_BEFORE_ID =
      OPEN_IN_PARTITION + EventColumns.DUE + " = ? AND id < ?";
  private static final String WAITING_IN_PARTITION_DUE_BETWEEN =
      OPEN_IN_PARTITION + EventColumns.DUE + " > ? AND " + EventColumns.DUE + " < ? AND state = 0";
  private static final String WAITING_IN_PARTITION_DUE_AT_BEFORE_ID =
      OPEN_IN_PARTITION + EventColumns.DUE + " = ? AND id < ? AND state = 0";

  private final StatementCache statements;

  SqliteBacklogReads(StatementCache statements) {
    this.statements = statements;
  }

  /**
   * See {@link dev.sluice.core.backlog.Backlog#duePartitions}: the distinct partitions of open
   * events, each found by one probe of {@code events_open_partition_due} after the previous one (a
   * loose index scan), then per partition its due events counted up to the limit and the first due.
   * Partitions whose open events are all not yet due count 0 and are left out.
   */
  List<PartitionDue> duePartitions(long now, int countUpTo, boolean unpartitioned)
      throws SQLException {
    PreparedStatement query = statements.get(DUE_PARTITIONS);
    query.setLong(1, now);
    query.setInt(2, countUpTo);
    query.setLong(3, now);
    List<PartitionDue> due = new ArrayList<>();
    try (ResultSet rs = query.executeQuery()) {
      while (rs.next()) {
        due.add(new PartitionDue(rs.getString(1), rs.getInt(2), Micros.toInstant(rs.getLong(3))));
      }
    }
    if (unpartitioned) {
      addUnpartitioned(due, now, countUpTo);
    }
    // Java's order of strings, as every store gives it (SQLite compares UTF-8 bytes)
    due.sort(Comparator.comparing(PartitionDue::partition));
    return due;
  }

  /**
   * Without a rule, events appended have no partition stored (NULL), which is partition '': their
   * count and first due time are read through the claim-order index, where they are nearly every
   * event, and merged with those stored as ''.
   */
  private void addUnpartitioned(List<PartitionDue> due, long now, int countUpTo)
      throws SQLException {
    PreparedStatement query = statements.get(DUE_UNPARTITIONED);
    query.setLong(1, now);
    query.setInt(2, countUpTo);
    try (ResultSet rs = query.executeQuery()) {
      rs.next();
      int n = rs.getInt(1);
      if (n == 0) {
        return;
      }
      Instant oldest = Micros.toInstant(rs.getLong(2));
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

  /**
   * See {@link dev.sluice.core.backlog.Backlog#locate}.
   *
   * @param partitioned whether the backlog has a rule: without, every event is in partition ''
   */
  List<EventLocation> locate(String bucket, String key, long now, int limit, boolean partitioned)
      throws SQLException {
    PreparedStatement query = statements.get(LOCATE);
    query.setString(1, bucket);
    query.setString(2, key);
    query.setInt(3, limit);
    List<EventLocation> found = new ArrayList<>();
    try (ResultSet rs = query.executeQuery()) {
      while (rs.next()) {
        ObjectEvent event = EventColumns.read(rs, 8);
        int state = rs.getInt(2);
        Long dueAt = state == EventState.WAITING ? rs.getLong(5) : null;
        long id = rs.getLong(1);
        // Under a rule every open event has its partition stored (see V8__partitions.sql).
        String partition = partitioned ? rs.getString(8 + EventColumns.COUNT) : null;
        Long ahead = dueAt == null ? null : ahead(id, dueAt, now);
        Long aheadInPartition = ahead;
        if (ahead != null && partition != null) {
          aheadInPartition = aheadIn(partition, id, dueAt, now);
        }
        found.add(
            new EventLocation(
                id,
                event,
                status(state, getInstant(rs, 7) != null),
                rs.getInt(3),
                Micros.toInstant(rs.getLong(4)),
                dueAt == null ? null : Micros.toInstant(dueAt),
                ahead,
                rs.getString(6),
                partition == null ? "" : partition,
                aheadInPartition));
      }
    }
    Collections.reverse(found);
    return found;
  }

  /** See {@link dev.sluice.core.backlog.Backlog#known}: one indexed probe per object. */
  List<Boolean> known(List<ListedObject> objects) throws SQLException {
    List<Boolean> known = new ArrayList<>(objects.size());
    for (ListedObject o : objects) {
      PreparedStatement query = statements.get(o.eTag() == null ? SEEN_KEY : SEEN_ETAG);
      query.setString(1, o.bucket());
      query.setString(2, o.key());
      if (o.eTag() != null) {
        EventColumns.setETag(query, 3, o.eTag());
      }
      try (ResultSet rs = query.executeQuery()) {
        known.add(rs.next());
      }
    }
    return known;
  }

  /** Events a claim takes before a waiting event: waiting ones and expired leases before it. */
  private long ahead(long id, long dueAt, long now) throws SQLException {
    long ahead = count(WAITING_DUE_BEFORE, dueAt) + count(WAITING_DUE_AT_BEFORE_ID, dueAt, id);
    if (dueAt <= now) {
      ahead += count(LEASES_ENDED_BEFORE, dueAt) + count(LEASES_ENDED_AT_BEFORE_ID, dueAt, id);
    } else {
      ahead += count(LEASES_ENDED_BEFORE, now + 1);
    }
    return ahead;
  }

  /** Events of {@code partition} a claim takes before a waiting event, as {@link #ahead}. */
  private long aheadIn(String partition, long id, long dueAt, long now) throws SQLException {
    if (dueAt <= now) {
      // every open event before it in claim order: waiting or with its lease ended before it
      return countIn(OPEN_IN_PARTITION_DUE_BEFORE, partition, dueAt)
          + countIn(OPEN_IN_PARTITION_DUE_AT_BEFORE_ID, partition, dueAt, id);
    }
    // not due yet: every open event due by now, then the waiting ones due before it
    return countIn(OPEN_IN_PARTITION_DUE_BEFORE, partition, now + 1)
        + countIn(WAITING_IN_PARTITION_DUE_BETWEEN, partition, now, dueAt)
        + countIn(WAITING_IN_PARTITION_DUE_AT_BEFORE_ID, partition, dueAt, id);
  }

  private long countIn(String sql, String partition, long... params) throws SQLException {
    PreparedStatement query = statements.get(sql);
    query.setString(1, partition);
    for (int i = 0; i < params.length; i++) {
      query.setLong(i + 2, params[i]);
    }
    try (ResultSet rs = query.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private long count(String sql, long... params) throws SQLException {
    PreparedStatement query = statements.get(sql);
    for (int i = 0; i < params.length; i++) {
      query.setLong(i + 1, params[i]);
    }
    try (ResultSet rs = query.executeQuery()) {
      rs.next();
      return rs.getLong(1);
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
    return releaseRows(query);
  }

  List<ReleaseRecord> openReleases(long releasedBefore, long afterReleaseId, int limit)
      throws SQLException {
    PreparedStatement query = statements.get(OPEN_RELEASES);
    query.setLong(1, afterReleaseId);
    query.setLong(2, releasedBefore);
    query.setInt(3, limit);
    return releaseRows(query);
  }

  /** The rows of {@link #RELEASES} or {@link #OPEN_RELEASES}. */
  private static List<ReleaseRecord> releaseRows(PreparedStatement query) throws SQLException {
    List<ReleaseRecord> page = new ArrayList<>();
    try (ResultSet rs = query.executeQuery()) {
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
                Micros.toInstant(rs.getLong(4)),
                getInstant(rs, 8),
                getInstant(rs, 9),
                rs.getString(5),
                getInstant(rs, 6),
                rs.getString(7),
                getInstant(rs, 10 + EventColumns.COUNT),
                getBatch(rs, 11 + EventColumns.COUNT)));
      }
    }
    return page;
  }

  private static Long getBatch(ResultSet rs, int column) throws SQLException {
    long batch = rs.getLong(column);
    return rs.wasNull() ? null : batch;
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
