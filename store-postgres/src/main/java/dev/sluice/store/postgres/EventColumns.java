package dev.sluice.store.postgres;

import dev.sluice.core.ObjectEvent;
import dev.sluice.core.Sequencers;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

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
   * Binds the event's columns in {@link #LIST} order, then {@code identity_version} and {@code
   * sequencer_order}, from parameter {@code first} on ({@link #COUNT} + 2 parameters).
   */
  static void bind(PreparedStatement ps, int first, ObjectEvent e) throws SQLException {
    ps.setString(first, e.bucket());
    ps.setString(first + 1, e.key());
    if (e.size() == null) {
      ps.setNull(first + 2, Types.BIGINT);
    } else {
      ps.setLong(first + 2, e.size());
    }
    ps.setString(first + 3, e.eTag());
    ps.setString(first + 4, e.versionId());
    ps.setString(first + 5, e.sequencer());
    ps.setString(first + 6, e.eventName());
    Timestamps.set(ps, first + 7, e.eventTime());
    ps.setString(first + 8, e.source());
    ps.setString(first + 9, e.identity().version());
    ps.setString(first + 10, Sequencers.sortKey(e.sequencer()));
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
