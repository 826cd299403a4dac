package dev.sluice.store.sqlite;

import dev.sluice.core.ObjectEvent;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/**
 * How an {@link ObjectEvent} maps to the columns of {@code events}; eTag, event name and source are
 * stored in the short forms of {@link CompactValues} where one applies.
 */
final class EventColumns {

  /** The event's columns, in the order {@link #read} expects them. */
  static final String LIST =
      "bucket, object_key, size, etag, version_id, sequencer, event_name, event_time, source";

  /**
   * When an open event is due: a fresh event is due when accepted, and leaves due_at null (8 bytes
   * less per row); a retry, a lease end or a redrive sets due_at. The claim-order index {@code
   * events_open_due} is on this expression, so queries that should use it name it exactly.
   */
  static final String DUE = "coalesce(due_at, accepted_at)";

  /** How many columns {@link #LIST} names. */
  static final int COUNT = 9;

  private EventColumns() {}

  /**
   * Which field the event's identity takes its version from, as stored in {@code identity_kind}:
   * the unique index on bucket, key, kind and that field is the identity (see {@code
   * EventIdentity}).
   */
  static int identityKind(ObjectEvent event) {
    String version = event.identity().version();
    if (version.startsWith("v:")) {
      return 1;
    } else if (version.startsWith("s:")) {
      return 2;
    } else if (version.startsWith("e:")) {
      return 3;
    }
    return 0;
  }

  /** Binds the event's columns, in {@link #LIST} order, from parameter {@code first} on. */
  static void bind(PreparedStatement ps, int first, ObjectEvent e) throws SQLException {
    ps.setString(first, e.bucket());
    ps.setString(first + 1, e.key());
    setLong(ps, first + 2, e.size());
    setStored(ps, first + 3, CompactValues.eTag(e.eTag()));
    ps.setString(first + 4, e.versionId());
    ps.setString(first + 5, e.sequencer());
    setStored(ps, first + 6, CompactValues.eventName(e.eventName()));
    setLong(ps, first + 7, e.eventTime() == null ? null : Micros.of(e.eventTime()));
    setStored(ps, first + 8, CompactValues.source(e.source()));
  }

  /** Binds an eTag as it is stored, so it compares equal to the stored column. */
  static void setETag(PreparedStatement ps, int index, String eTag) throws SQLException {
    setStored(ps, index, CompactValues.eTag(eTag));
  }

  /** Binds a value of {@link CompactValues}: text, bytes or null. */
  private static void setStored(PreparedStatement ps, int index, Object value) throws SQLException {
    if (value instanceof byte[] bytes) {
      ps.setBytes(index, bytes);
    } else {
      ps.setString(index, (String) value);
    }
  }

  /** Reads the event from the columns of {@link #LIST}, which start at column {@code first}. */
  static ObjectEvent read(ResultSet rs, int first) throws SQLException {
    Long eventTime = getLong(rs, first + 7);
    return new ObjectEvent(
        rs.getString(first),
        rs.getString(first + 1),
        getLong(rs, first + 2),
        // getObject follows each value's own type: TEXT in old rows, BLOB in compact ones
        CompactValues.eTagOf(rs.getObject(first + 3)),
        rs.getString(first + 4),
        rs.getString(first + 5),
        CompactValues.eventNameOf(rs.getObject(first + 6)),
        eventTime == null ? null : Micros.toInstant(eventTime),
        CompactValues.sourceOf(rs.getObject(first + 8)));
  }

  static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.INTEGER);
    } else {
      ps.setLong(index, value);
    }
  }

  static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
    setLong(ps, index, value == null ? null : Micros.of(value));
  }

  static Long getLong(ResultSet rs, int index) throws SQLException {
    long value = rs.getLong(index);
    return rs.wasNull() ? null : value;
  }

  static Instant getInstant(ResultSet rs, int index) throws SQLException {
    Long micros = getLong(rs, index);
    return micros == null ? null : Micros.toInstant(micros);
  }
}
