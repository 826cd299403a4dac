package dev.sluice.store.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.SignStyle;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.function.Function;

/**
 * One column of values for the set-based statements, which take a batch as parallel arrays ({@code
 * unnest(?::bigint[], ?::int[], ...)}): one statement per batch instead of one execution per row.
 * Nulls stay null elements.
 */
final class SqlArrays {
  private SqlArrays() {}

  /**
   * Instants as Postgres reads a {@code timestamptz} literal, in UTC, truncated to microseconds as
   * {@link Timestamps} does (the year without the sign ISO adds past 9999).
   */
  private static final DateTimeFormatter TIMESTAMPTZ =
      new DateTimeFormatterBuilder()
          .appendValue(ChronoField.YEAR, 4, 10, SignStyle.NORMAL)
          .appendPattern("-MM-dd HH:mm:ss.SSSSSS'+00'")
          .toFormatter()
          .withZone(ZoneOffset.UTC);

  static <T> Array bigints(Connection c, List<T> rows, Function<T, Long> column)
      throws SQLException {
    return array(c, "bigint", Long.class, rows, column);
  }

  static <T> Array ints(Connection c, List<T> rows, Function<T, Integer> column)
      throws SQLException {
    return array(c, "integer", Integer.class, rows, column);
  }

  static <T> Array booleans(Connection c, List<T> rows, Function<T, Boolean> column)
      throws SQLException {
    return array(c, "boolean", Boolean.class, rows, column);
  }

  static <T> Array texts(Connection c, List<T> rows, Function<T, String> column)
      throws SQLException {
    return array(c, "text", String.class, rows, column);
  }

  /**
   * One value per row, in a typed Java array ({@code Long[]}, ...): the driver picks the element
   * encoding from the array's class.
   */
  private static <T, V> Array array(
      Connection c, String sqlType, Class<V> type, List<T> rows, Function<T, V> column)
      throws SQLException {
    @SuppressWarnings("unchecked")
    V[] values = (V[]) java.lang.reflect.Array.newInstance(type, rows.size());
    for (int i = 0; i < values.length; i++) {
      values[i] = column.apply(rows.get(i));
    }
    return c.createArrayOf(sqlType, values);
  }

  /** A {@code timestamptz[]}, sent as text: the statement casts it ({@code ?::timestamptz[]}). */
  static <T> Array instants(Connection c, List<T> rows, Function<T, Instant> column)
      throws SQLException {
    return texts(
        c,
        rows,
        row -> {
          Instant value = column.apply(row);
          return value == null ? null : TIMESTAMPTZ.format(Timestamps.truncate(value));
        });
  }
}
