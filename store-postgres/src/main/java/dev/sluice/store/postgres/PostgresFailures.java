package dev.sluice.store.postgres;

import dev.sluice.core.SluiceException;
import dev.sluice.core.backlog.BacklogUnavailableException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Sorts the driver's and the pool's exceptions into what may pass (the server is unreachable, out
 * of space, shutting down, a transaction lost to a concurrent one) and what is a bug.
 */
final class PostgresFailures {

  /** SQLSTATE disk_full: the server could not extend a file. */
  static final String DISK_FULL = "53100";

  private PostgresFailures() {}

  /**
   * A failure the store may recover from is {@link BacklogUnavailableException} ({@code full} for a
   * full disk); anything else (a constraint, SQL this code got wrong) stays a plain {@link
   * SluiceException}.
   */
  static SluiceException translate(String message, SQLException e) {
    String state = sqlState(e);
    if (DISK_FULL.equals(state)) {
      return new BacklogUnavailableException(message, true, e);
    }
    if (mayPass(state) || passingKind(e)) {
      return new BacklogUnavailableException(message, false, e);
    }
    return new SluiceException(message, e);
  }

  private static boolean mayPass(String state) {
    if (state == null) {
      return false;
    }
    return state.startsWith("08") // connection exception: refused, broken, server gone
        || state.startsWith("53") // insufficient resources: memory, too many connections
        || state.startsWith("57P") // admin shutdown, crash shutdown, cannot connect now
        || state.startsWith("58") // system error: an I/O error on the server
        || state.equals("40001") // serialization failure
        || state.equals("40P01") // deadlock detected: this transaction was the one rolled back
        || state.equals("55P03") // lock not available
        || state.equals("25006"); // read-only transaction: a standby, or the server in recovery
  }

  /** The pool answers a timeout waiting for a connection with a transient exception, no state. */
  private static boolean passingKind(SQLException e) {
    return e instanceof SQLTransientException
        || e instanceof SQLRecoverableException
        || e instanceof SQLNonTransientConnectionException;
  }

  /** The first SQLSTATE in the chain: a failed batch puts the server's in its next exception. */
  private static String sqlState(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      if (s.getSQLState() != null) {
        return s.getSQLState();
      }
    }
    for (Throwable t = e.getCause(); t != null; t = t.getCause() != t ? t.getCause() : null) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        return s.getSQLState();
      }
    }
    return null;
  }
}
