package dev.sluice.testkit;

import dev.sluice.core.control.ControlStore;
import dev.sluice.core.control.InMemoryControlStore;

/** The in-memory control store keeps the contract, except persistence. */
class InMemoryControlStoreContractTest extends ControlStoreContract {
  @Override
  protected ControlStore newStore() {
    return new InMemoryControlStore();
  }
}
