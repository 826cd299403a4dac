package dev.sluice.store.postgres;

import dev.sluice.core.ObjectEvent;
import dev.sluice.core.Sequencers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** How an {@link ObjectEvent} maps to the columns of {@code events}, one plain column a field. */
final class EventColumns {

  /** The event's columns, in the order {@link #read} expects them. */
  static final String LIST =
      "bucket, object_key, size, etag, version_id, sequencer, event_name, event_time, source";

  /** How many columns {@link #LIST} names. */
  static final int COUNT = 9;

  private EventColumns() {}

  /** {@link #LIST} with every column prefixed by a table alias and a dot. */
  static String prefixed(String alias) {
    StringBuilder out = new StringBuilder();
    for (String column : LIST.split(",")) {
      out.append(out.length() == 0 ? "" : ", ").append(alias).append('.').append(column.strip());
    }
    return out.toString();
  }

  /**
   * Binds a batch's columns as arrays, one element per event, in {@link #LIST} order, then {@code
   * identity_version} and {@code sequencer_order}, from parameter {@code first} on ({@link #COUNT}
   * + 2 parameters), for a statement that {@code unnest}s them.
   */
  static void bindArrays(PreparedStatement ps, int first, Connection c, List<ObjectEvent> events)
      throws SQLException {
    ps.setArray(first, SqlArrays.texts(c, events, ObjectEvent::bucket));
    ps.setArray(first + 1, SqlArrays.texts(c, events, ObjectEvent::key));
    ps.setArray(first + 2, SqlArrays.bigints(c, events, ObjectEvent::size));
    ps.setArray(first + 3, SqlArrays.texts(c, events, ObjectEvent::eTag));
    ps.setArray(first + 4, SqlArrays.texts(c, events, ObjectEvent::versionId));
    ps.setArray(first + 5, SqlArrays.texts(c, events, ObjectEvent::sequencer));
    ps.setArray(first + 6, SqlArrays.texts(c, events, ObjectEvent::eventName));
    ps.setArray(first + 7, SqlArrays.instants(c, events, ObjectEvent::eventTime));
    ps.setArray(first + 8, SqlArrays.texts(c, events, ObjectEvent::source));
    ps.setArray(first + 9, SqlArrays.texts(c, events, e -> e.identity().version()));
    ps.setArray(first + 10, SqlArrays.texts(c, events, e -> Sequencers.sortKey(e.sequencer())));
  }

  /** Reads the event from the columns of {@link #LIST}, which start at column {@code first}. */
  static ObjectEvent read(ResultSet rs, int first) throws SQLException {
    long size = rs.getLong(first + 2);
    Long sizeOrNull = rs.wasNull() ? null : size;
    return new ObjectEvent(
        rs.getString(first),
        rs.getString(first + 1),
        sizeOrNull,
        rs.getString(first + 3),
        rs.getString(first + 4),
        rs.getString(first + 5),
        rs.getString(first + 6),
        Timestamps.get(rs, first + 7),
        rs.getString(first + 8));
  }
}
