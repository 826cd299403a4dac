package dev.sluice.store.postgres;

import dev.sluice.core.SluiceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Brings a database's schema up to date: the scripts {@code db/postgres/V<n>__<name>.sql} not yet
 * applied, in order, each recorded in {@code schema_version}.
 *
 * <p>Several nodes may start at the same instant against one fresh database: the whole migration
 * runs in one transaction that first takes a transaction-scoped advisory lock, so one node applies
 * the scripts and the others, waiting on the lock, then find them applied. Postgres DDL is
 * transactional, so a failed script leaves nothing behind.
 *
 * <p>A script on main is never edited; a change is the next script.
 */
public final class PostgresSchemaMigrations {

  /** One script to apply. */
  record Script(int version, String resource) {}

  /** Every script, in version order. Append new ones; never edit one that was released. */
  static final List<Script> ALL =
      List.of(
          new Script(1, "db/postgres/V1__backlog.sql"),
          new Script(2, "db/postgres/V2__cluster.sql"),
          new Script(3, "db/postgres/V3__release_fillfactor.sql"),
          new Script(4, "db/postgres/V4__partitions.sql"),
          new Script(5, "db/postgres/V5__release_batches.sql"));

  /** The advisory lock key every Sluice node takes to migrate ("sluice" in ASCII). */
  static final long LOCK_KEY = 0x736c75696365L;

  private PostgresSchemaMigrations() {}

  /** The newest schema version this code knows. */
  public static int latestVersion() {
    return ALL.get(ALL.size() - 1).version();
  }

  /**
   * Applies the missing scripts on {@code c} in one transaction and commits.
   *
   * @throws SluiceException if the database's schema is newer than this code
   * @throws SQLException if a statement fails (the transaction is rolled back)
   */
  public static void migrate(Connection c) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
        s.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version int PRIMARY KEY,"
                + " applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),"
                + " script text NOT NULL)");
      }
      int current = currentVersion(c);
      if (current > latestVersion()) {
        throw new SluiceException(
            "the Postgres backlog's schema is version "
                + current
                + ", newer than this Sluice knows ("
                + latestVersion()
                + "): run a newer Sluice against this database",
            null);
      }
      for (Script script : ALL) {
        if (script.version() > current) {
          apply(c, script);
        }
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  private static int currentVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static void apply(Connection c, Script script) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(read(script.resource()));
    }
    try (PreparedStatement record =
        c.prepareStatement("INSERT INTO schema_version (version, script) VALUES (?, ?)")) {
      record.setInt(1, script.version());
      record.setString(2, script.resource());
      record.executeUpdate();
    }
  }

  private static String read(String resource) {
    try (InputStream in =
        PostgresSchemaMigrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("migration script missing from the classpath: " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read migration script " + resource, e);
    }
  }
}
