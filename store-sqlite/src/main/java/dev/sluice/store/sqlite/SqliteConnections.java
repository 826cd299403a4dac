package dev.sluice.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;

/** Opens the two connections a backlog keeps on its file, with the PRAGMAs each needs. */
final class SqliteConnections {

  private SqliteConnections() {}

  /**
   * The one connection that writes. WAL lets readers go on while it commits; the sync level is the
   * durability promise.
   */
  static Connection openWriter(Path file, SqliteOptions options) throws SQLException {
    SQLiteConfig config = common(options);
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    return config.createConnection(url(file));
  }

  /** A read-only connection for stats and listings, so they never wait behind a write. */
  static Connection openReader(Path file, SqliteOptions options) throws SQLException {
    SQLiteConfig config = common(options);
    config.setReadOnly(true);
    return config.createConnection(url(file));
  }

  private static SQLiteConfig common(SqliteOptions options) {
    SQLiteConfig config = new SQLiteConfig();
    config.setSynchronous(
        options.synchronous() == SqliteOptions.Synchronous.FULL
            ? SQLiteConfig.SynchronousMode.FULL
            : SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout((int) options.busyTimeout().toMillis());
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    // a negative cache_size is in KiB rather than pages
    config.setCacheSize(-options.cacheSizeKib());
    return config;
  }

  private static String url(Path file) {
    return "jdbc:sqlite:" + file.toAbsolutePath();
  }
}
