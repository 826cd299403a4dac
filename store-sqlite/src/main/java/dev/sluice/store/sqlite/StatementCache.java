package dev.sluice.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Prepared statements of one connection, prepared on first use and kept until close. Not
 * thread-safe: its owner holds the connection's lock.
 */
final class StatementCache implements AutoCloseable {
  private final Connection connection;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  StatementCache(Connection connection) {
    this.connection = connection;
  }

  PreparedStatement get(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  /** Runs a statement that returns no rows, such as BEGIN or COMMIT. */
  void execute(String sql) throws SQLException {
    get(sql).execute();
  }

  Connection connection() {
    return connection;
  }

  /**
   * Forgets every prepared statement, closing each; the next use prepares it again. After a write
   * fails on a full disk or an I/O error, the driver may have finalized statements behind our back
   * (they then fail with "statement is not executing"), so none of them is trusted.
   */
  void forgetStatements() {
    for (PreparedStatement ps : statements.values()) {
      try {
        ps.close();
      } catch (SQLException ignored) {
        // already unusable: that is why it is forgotten
      }
    }
    statements.clear();
  }

  @Override
  public void close() throws SQLException {
    SQLException first = null;
    for (PreparedStatement ps : statements.values()) {
      try {
        ps.close();
      } catch (SQLException e) {
        first = first == null ? e : first;
      }
    }
    statements.clear();
    try {
      connection.close();
    } catch (SQLException e) {
      first = first == null ? e : first;
    }
    if (first != null) {
      throw first;
    }
  }
}
