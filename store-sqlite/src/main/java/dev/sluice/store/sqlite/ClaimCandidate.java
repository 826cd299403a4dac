package dev.sluice.store.sqlite;

import dev.sluice.core.ObjectEvent;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;

/**
 * A due event a claim may lease: a waiting event whose due time has come, or a leased one whose
 * lease has ended. Both queues are read a page at a time and merged oldest first.
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

  /** FIFO: by due time, then arrival. */
  static final Comparator<ClaimCandidate> OLDEST_FIRST =
      Comparator.comparingLong(ClaimCandidate::due).thenComparingLong(ClaimCandidate::eventId);

  /**
   * Reads up to {@code max} candidates due at {@code now} with a query whose columns are {@code
   * due, id, attempts, last_release_id, <event columns>} and whose parameters are {@code (now,
   * max)}.
   */
  static void readPage(
      PreparedStatement query, long now, int max, boolean leased, List<ClaimCandidate> into)
      throws SQLException {
    query.setLong(1, now);
    query.setInt(2, max);
    try (ResultSet rs = query.executeQuery()) {
      while (rs.next()) {
        into.add(
            new ClaimCandidate(
                rs.getLong(1),
                rs.getLong(2),
                rs.getInt(3),
                rs.getLong(4),
                leased,
                EventColumns.read(rs, 5)));
      }
    }
  }
}
