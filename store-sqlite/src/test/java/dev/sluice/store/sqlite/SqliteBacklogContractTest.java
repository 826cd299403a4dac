package dev.sluice.store.sqlite;

import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.testkit.BacklogContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite backlog keeps the whole contract, persistence included. */
class SqliteBacklogContractTest extends BacklogContract {

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("backlog.db");
  }

  @Override
  protected Backlog newBacklog() {
    return SqliteBacklog.open(file(), SqliteOptions.defaults());
  }

  @Override
  protected Backlog newBacklog(PartitionRule rule) {
    return SqliteBacklog.open(file(), SqliteOptions.defaults().withPartitionRule(rule));
  }

  /**
   * Opens the file again before the old instance is closed, as a restarted process would find it
   * after a crash: what the new instance sees was committed, not flushed at close.
   */
  @Override
  protected Backlog reopen(Backlog backlog) {
    Backlog reopened = SqliteBacklog.open(file(), SqliteOptions.defaults());
    backlog.close();
    return reopened;
  }

  @Override
  protected Backlog reopen(Backlog backlog, PartitionRule rule) {
    Backlog reopened = SqliteBacklog.open(file(), SqliteOptions.defaults().withPartitionRule(rule));
    backlog.close();
    return reopened;
  }
}
