package dev.sluice.store.sqlite;

import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.testkit.FairShareContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Fair share between partitions over the SQLite backlog, checked from its release log. */
class SqliteFairShareTest extends FairShareContract {
  @TempDir Path dir;
  private int files;

  @Override
  protected Backlog newBacklog(PartitionRule rule) {
    return SqliteBacklog.open(
        dir.resolve("backlog-" + files++ + ".db"),
        SqliteOptions.defaults().withPartitionRule(rule));
  }
}
