package dev.sluice.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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

  /** SQLite's own ceiling on pages, which {@code max_page_count} takes for "no cap". */
  private static final long SQLITE_MAX_PAGES = 4294967294L;

  /**
   * Caps the database at {@code maxSizeBytes} (rounded down to whole pages; {@link
   * SqliteOptions#NO_MAX_SIZE} for none): a write that needs a page beyond fails with {@code
   * SQLITE_FULL}, as on a full disk. A connection setting: only the writer needs it.
   */
  static void capSize(Connection writer, long maxSizeBytes) throws SQLException {
    long pages = SQLITE_MAX_PAGES;
    if (maxSizeBytes != SqliteOptions.NO_MAX_SIZE) {
      long pageSize;
      try (Statement st = writer.createStatement();
          ResultSet rs = st.executeQuery("PRAGMA page_size")) {
        rs.next();
        pageSize = rs.getLong(1);
      }
      pages = Math.max(1, Math.min(SQLITE_MAX_PAGES, maxSizeBytes / pageSize));
    }
    try (Statement st = writer.createStatement()) {
      st.execute("PRAGMA max_page_count = " + pages);
    }
  }

  private static String url(Path file) {
    return "jdbc:sqlite:" + file.toAbsolutePath();
  }
}
