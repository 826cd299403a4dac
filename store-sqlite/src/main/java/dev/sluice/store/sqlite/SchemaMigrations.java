package dev.sluice.store.sqlite;

import dev.sluice.core.SluiceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings a backlog file to the schema this code knows, one numbered script at a time, all in one
 * transaction. Each applied version is recorded in {@code schema_version}; a file whose version is
 * newer than any script here is refused rather than misread.
 *
 * <p>Scripts hold plain statements separated by {@code ;} at line ends, with {@code --} comment
 * lines (no triggers: their bodies contain semicolons).
 */
final class SchemaMigrations {

  /** One script: the version it brings the file to. */
  record Migration(int version, String resource) {}

  /** Every migration, in order. Append new ones; never edit a released one. */
  static final List<Migration> ALL =
      List.of(
          new Migration(1, "db/sqlite/V1__init.sql"),
          new Migration(2, "db/sqlite/V2__sequencer_order.sql"),
          new Migration(3, "db/sqlite/V3__release_times_at_target.sql"),
          new Migration(4, "db/sqlite/V4__operator_control.sql"),
          new Migration(5, "db/sqlite/V5__retention.sql"),
          new Migration(6, "db/sqlite/V6__compact_events.sql"),
          new Migration(7, "db/sqlite/V7__compact_values.sql"),
          new Migration(8, "db/sqlite/V8__partitions.sql"),
          new Migration(9, "db/sqlite/V9__release_batches.sql"));

  private static final String CREATE_VERSION_TABLE =
      "CREATE TABLE IF NOT EXISTS schema_version ("
          + " version INTEGER PRIMARY KEY,"
          + " script TEXT NOT NULL,"
          // a note for the operator reading the file, not an input to any logic
          + " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))";

  private SchemaMigrations() {}

  /** The version the newest script brings a file to. */
  static int latestVersion() {
    return ALL.get(ALL.size() - 1).version();
  }

  /** Applies the missing migrations; returns the version the file had before. */
  static int migrate(StatementCache statements, Path file) throws SQLException {
    // A migration that rewrites every row (V6, V7) journals the pages its statement changes and
    // sorts the entries of each index it builds in temporary storage. The connections keep that in
    // memory, which for a file of 10,000,000 events is gigabytes: during migrations it goes to
    // temporary files instead. (Set outside the transaction: SQLite refuses it inside one.)
    setTempStore(statements, "FILE");
    try {
      return applyMissing(statements, file);
    } finally {
      setTempStore(statements, "MEMORY");
    }
  }

  private static void setTempStore(StatementCache statements, String where) throws SQLException {
    try (PreparedStatement ps =
        statements.connection().prepareStatement("PRAGMA temp_store = " + where)) {
      ps.execute();
    }
  }

  private static int applyMissing(StatementCache statements, Path file) throws SQLException {
    return Transactions.write(
        statements,
        s -> {
          s.execute(CREATE_VERSION_TABLE);
          int current = currentVersion(s);
          if (current > latestVersion()) {
            throw new SluiceException(
                "backlog file "
                    + file
                    + " has schema version "
                    + current
                    + ", newer than this Sluice knows ("
                    + latestVersion()
                    + "); open it with the Sluice release that wrote it, or a newer one");
          }
          for (Migration m : ALL) {
            if (m.version() > current) {
              apply(s, m);
            }
          }
          return current;
        });
  }

  private static int currentVersion(StatementCache s) throws SQLException {
    String sql = "SELECT coalesce(max(version), 0) FROM schema_version";
    try (ResultSet rs = s.get(sql).executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static void apply(StatementCache s, Migration m) throws SQLException {
    for (String sql : statements(load(m.resource()))) {
      try (PreparedStatement ps = s.connection().prepareStatement(sql)) {
        ps.execute();
      }
    }
    PreparedStatement record = s.get("INSERT INTO schema_version (version, script) VALUES (?, ?)");
    record.setInt(1, m.version());
    record.setString(2, m.resource());
    record.executeUpdate();
  }

  /** The statements of a script: comment lines dropped, split at {@code ;}. */
  static List<String> statements(String script) {
    StringBuilder code = new StringBuilder();
    for (String line : script.split("\n")) {
      if (!line.strip().startsWith("--")) {
        code.append(line).append('\n');
      }
    }
    List<String> result = new ArrayList<>();
    for (String part : code.toString().split(";")) {
      if (!part.isBlank()) {
        result.add(part.strip());
      }
    }
    return result;
  }

  private static String load(String resource) {
    try (InputStream in = SchemaMigrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("migration script missing from the jar: " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SluiceException("cannot read migration script " + resource, e);
    }
  }
}
