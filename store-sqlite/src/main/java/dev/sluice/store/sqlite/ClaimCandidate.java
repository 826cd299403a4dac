package dev.sluice.store.sqlite;

import dev.sluice.core.ObjectEvent;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * A due event a claim may lease: a waiting event whose due time has come, or a leased one whose
 * lease has ended (for a leased event, due_at holds the lease end).
 *
 * @param due due time, or lease end for an expired lease (epoch micros)
 * @param eventId event id
 * @param attempts releases so far
 * @param lastReleaseId the release that holds the expired lease, or 0
 * @param leased whether this is an expired lease
 * @param event the event
 */
record ClaimCandidate(
    long due, long eventId, int attempts, long lastReleaseId, boolean leased, ObjectEvent event) {

  /**
   * Reads up to {@code max} candidates due at {@code now}, oldest due first, with a query whose
   * columns are {@code due, state, id, attempts, last_release_id, <event columns>} and whose
   * parameters are {@code (now, max)}.
   */
  static void readPage(PreparedStatement query, long now, int max, List<ClaimCandidate> into)
      throws SQLException {
    query.setLong(1, now);
    query.setInt(2, max);
    read(query, into);
  }

  /**
   * Reads up to {@code max} candidates of one partition due at {@code now}, as {@link #readPage(
   * PreparedStatement, long, int, List)} does, with a query whose parameters are {@code (partition,
   * now, max)}.
   */
  static void readPage(
      PreparedStatement query, String partition, long now, int max, List<ClaimCandidate> into)
      throws SQLException {
    query.setString(1, partition);
    query.setLong(2, now);
    query.setInt(3, max);
    read(query, into);
  }

  private static void read(PreparedStatement query, List<ClaimCandidate> into) throws SQLException {
    try (ResultSet rs = query.executeQuery()) {
      while (rs.next()) {
        into.add(
            new ClaimCandidate(
                rs.getLong(1),
                rs.getLong(3),
                rs.getInt(4),
                rs.getLong(5),
                rs.getInt(2) == EventState.LEASED,
                EventColumns.read(rs, 6)));
      }
    }
  }
}
