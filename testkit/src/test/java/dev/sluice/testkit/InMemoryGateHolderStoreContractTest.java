package dev.sluice.testkit;

import dev.sluice.core.cluster.GateHolderStore;
import dev.sluice.core.cluster.InMemoryGateHolderStore;
import dev.sluice.core.time.ManualTimeSource;

/** The in-memory gate holder store keeps the contract, its clock moved by hand. */
class InMemoryGateHolderStoreContractTest extends GateHolderStoreContract {
  private final ManualTimeSource time = new ManualTimeSource();

  @Override
  protected GateHolderStore newStore() {
    return new InMemoryGateHolderStore(time);
  }

  @Override
  protected void endTheCurrentTerm() {
    time.advance(TERM);
  }
}
