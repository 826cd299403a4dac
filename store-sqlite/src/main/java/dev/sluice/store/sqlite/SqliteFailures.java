package dev.sluice.store.sqlite;

import dev.sluice.core.SluiceException;
import dev.sluice.core.backlog.BacklogUnavailableException;
import java.sql.SQLException;
import org.sqlite.SQLiteException;

/** Sorts the driver's exceptions into what may pass (a full disk) and what is a bug. */
final class SqliteFailures {
  // SQLite's primary result codes (https://sqlite.org/rescode.html); an extended code's low byte.
  private static final int SQLITE_BUSY = 5;
  private static final int SQLITE_LOCKED = 6;
  private static final int SQLITE_NOMEM = 7;
  private static final int SQLITE_READONLY = 8;
  private static final int SQLITE_IOERR = 10;
  private static final int SQLITE_FULL = 13;
  private static final int SQLITE_CANTOPEN = 14;
  private static final int SQLITE_PROTOCOL = 15;

  private SqliteFailures() {}

  /**
   * A failure the store may recover from (no space, an I/O error, a lock held too long, a file that
   * cannot be opened or written) is {@link BacklogUnavailableException}; anything else (a
   * constraint, SQL this code got wrong) is a bug and stays a plain {@link SluiceException}.
   */
  static SluiceException translate(String message, SQLException e) {
    SQLiteException se = sqliteCause(e);
    if (se != null) {
      switch (se.getResultCode().code & 0xff) {
        case SQLITE_FULL:
          return new BacklogUnavailableException(message, true, e);
        case SQLITE_BUSY,
        SQLITE_LOCKED,
        SQLITE_NOMEM,
        SQLITE_READONLY,
        SQLITE_IOERR,
        SQLITE_CANTOPEN,
        SQLITE_PROTOCOL:
          return new BacklogUnavailableException(message, false, e);
        default:
          break;
      }
    }
    return new SluiceException(message, e);
  }

  /** The driver's own exception: a failed batch wraps it in a BatchUpdateException. */
  private static SQLiteException sqliteCause(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause() != t ? t.getCause() : null) {
      if (t instanceof SQLiteException se) {
        return se;
      }
    }
    for (SQLException next = e.getNextException(); next != null; next = next.getNextException()) {
      if (next instanceof SQLiteException se) {
        return se;
      }
    }
    return null;
  }
}
