package dev.sluice.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done on one connection inside a transaction that its caller opens and commits. */
@FunctionalInterface
interface SqlWork<T> {
  T run(Connection c) throws SQLException;
}
