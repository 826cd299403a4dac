package dev.sluice.service;

import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.store.sqlite.SqliteBacklog;
import dev.sluice.store.sqlite.SqliteOptions;
import java.nio.file.Path;

/** Batches on the SQLite backlog. */
class BatchesOnSqliteTest extends BatchesOnBacklogTest {
  @Override
  protected Backlog openBacklog(Path dir, PartitionRule rule) {
    return SqliteBacklog.open(
        dir.resolve("backlog.db"), SqliteOptions.defaults().withPartitionRule(rule));
  }
}
