package dev.sluice.testkit;

import dev.sluice.core.gate.stored.InFlightSlots;
import dev.sluice.core.gate.stored.InMemoryLimitStateStore;
import dev.sluice.core.gate.stored.LimitStateStore;
import dev.sluice.core.gate.stored.TickUsage;

class InMemoryLimitStateStoreContractTest extends LimitStateStoreContract {
  private final LimitStateStore<TickUsage> ticks = new InMemoryLimitStateStore<>(TickUsage.NONE);
  private final LimitStateStore<InFlightSlots> slots =
      new InMemoryLimitStateStore<>(InFlightSlots.NONE);

  @Override
  protected LimitStateStore<TickUsage> tickStore() {
    return ticks;
  }

  @Override
  protected LimitStateStore<InFlightSlots> inFlightStore() {
    return slots;
  }
}
