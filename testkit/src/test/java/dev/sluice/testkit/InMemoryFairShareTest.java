package dev.sluice.testkit;

import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.InMemoryBacklog;
import dev.sluice.core.partition.PartitionRule;

/** Fair share between partitions over the in-memory backlog. */
class InMemoryFairShareTest extends FairShareContract {
  @Override
  protected Backlog newBacklog(PartitionRule rule) {
    return new InMemoryBacklog(rule);
  }
}
