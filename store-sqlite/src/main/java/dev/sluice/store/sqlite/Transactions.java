package dev.sluice.store.sqlite;

import java.sql.SQLException;

/**
 * Runs work in an explicit transaction. The connections stay in JDBC auto-commit mode and issue
 * BEGIN and COMMIT themselves: the driver's own transaction mode would open the next transaction
 * right after each commit and hold the file's write lock (or a stale read snapshot) in between.
 */
final class Transactions {

  private Transactions() {}

  /** Takes the write lock at BEGIN, so a write never fails half-way on another writer. */
  static <T> T write(StatementCache statements, SqlWork<T> work) throws SQLException {
    return run(statements, "BEGIN IMMEDIATE", work);
  }

  /** Sees one snapshot for all of its reads. */
  static <T> T read(StatementCache statements, SqlWork<T> work) throws SQLException {
    return run(statements, "BEGIN", work);
  }

  private static <T> T run(StatementCache statements, String begin, SqlWork<T> work)
      throws SQLException {
    statements.execute(begin);
    boolean committed = false;
    try {
      T result = work.run(statements);
      statements.execute("COMMIT");
      committed = true;
      return result;
    } finally {
      if (!committed) {
        rollback(statements);
      }
    }
  }

  private static void rollback(StatementCache statements) {
    try {
      statements.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // SQLite may have rolled back already (e.g. after SQLITE_FULL); the first error is the one
      // the caller needs, and it is already on its way up
    }
  }
}
