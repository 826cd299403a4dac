package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.cluster.GateHolderStore;
import dev.sluice.core.cluster.GateTerm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Nodes asking a {@link GateHolderStore} for the gate at one instant: each on its own thread, held
 * at a latch until all are ready, so the calls really race.
 */
public final class GateHolderRace {
  private GateHolderRace() {}

  /**
   * Nodes {@code node-0} .. {@code node-(nodes-1)} call {@link GateHolderStore#acquireOrRenew} at
   * once on {@code threads} (at least {@code nodes} of them); returns the terms granted.
   */
  public static List<GateTerm> race(
      GateHolderStore store, ExecutorService threads, int nodes, Duration term) throws Exception {
    CountDownLatch ready = new CountDownLatch(nodes);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Optional<GateTerm>>> answers = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      String nodeId = "node-" + i;
      answers.add(
          threads.submit(
              () -> {
                ready.countDown();
                go.await();
                return store.acquireOrRenew(nodeId, term);
              }));
    }
    assertThat(ready.await(30, TimeUnit.SECONDS)).as("every node ready").isTrue();
    go.countDown();
    List<GateTerm> granted = new ArrayList<>();
    for (Future<Optional<GateTerm>> answer : answers) {
      answer.get(30, TimeUnit.SECONDS).ifPresent(granted::add);
    }
    return granted;
  }
}
