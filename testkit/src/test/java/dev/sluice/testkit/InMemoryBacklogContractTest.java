package dev.sluice.testkit;

import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.InMemoryBacklog;
import dev.sluice.core.partition.PartitionRule;

/** The in-memory backlog keeps the contract, except persistence: it has nothing to reopen. */
class InMemoryBacklogContractTest extends BacklogContract {

  @Override
  protected Backlog newBacklog() {
    return new InMemoryBacklog();
  }

  @Override
  protected Backlog newBacklog(PartitionRule rule) {
    return new InMemoryBacklog(rule);
  }
}
