package dev.sluice.store.sqlite;

import java.sql.SQLException;

/** A unit of work inside one transaction. */
@FunctionalInterface
interface SqlWork<T> {
  T run(StatementCache statements) throws SQLException;
}
