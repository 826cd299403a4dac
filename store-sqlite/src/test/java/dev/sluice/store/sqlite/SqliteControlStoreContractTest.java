package dev.sluice.store.sqlite;

import dev.sluice.core.control.ControlStore;
import dev.sluice.testkit.ControlStoreContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite control store keeps the whole contract, persistence included. */
class SqliteControlStoreContractTest extends ControlStoreContract {
  @TempDir Path dir;

  private final List<SqliteBacklog> opened = new ArrayList<>();

  @Override
  protected ControlStore newStore() {
    return open();
  }

  /** Opens the file again while the first instance is still open, as after a crash. */
  @Override
  protected ControlStore reopen() {
    return open();
  }

  private ControlStore open() {
    SqliteBacklog backlog = SqliteBacklog.open(dir.resolve("backlog.db"));
    opened.add(backlog);
    return backlog.controlStore();
  }

  @AfterEach
  void closeAll() {
    opened.forEach(SqliteBacklog::close);
  }
}
