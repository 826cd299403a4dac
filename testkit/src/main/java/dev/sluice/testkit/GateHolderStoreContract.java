package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.cluster.GateHolderStore;
import dev.sluice.core.cluster.GateTerm;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link GateHolderStore} must have. An implementation's test extends this
 * class, provides a fresh store and a way to end the current term by the store's own clock.
 *
 * <p>Terms are long ({@link #TERM}), so no term ends by itself while a test runs on real time.
 */
public abstract class GateHolderStoreContract {

  /** The term the tests ask for: longer than any test takes. */
  protected static final Duration TERM = Duration.ofMinutes(5);

  private GateHolderStore store;

  /** A store in which nobody has ever held the gate. */
  protected abstract GateHolderStore newStore();

  /** Makes the current term end now by the store's clock, as if it had run out unrenewed. */
  protected abstract void endTheCurrentTerm();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @Test
  void acquireOrRenew_whenNobodyEverHeldTheGate_grantsEpochOne() {
    Optional<GateTerm> term = store.acquireOrRenew("node-a", TERM);

    assertThat(term).map(GateTerm::epoch).contains(1L);
    assertThat(term).map(GateTerm::nodeId).contains("node-a");
    assertThat(store.holder()).isEqualTo(term);
  }

  @Test
  void acquireOrRenew_byTheHolder_keepsTheEpochAndMovesTheEndNoEarlier() {
    GateTerm first = store.acquireOrRenew("node-a", TERM).orElseThrow();

    GateTerm renewed = store.acquireOrRenew("node-a", TERM).orElseThrow();

    assertThat(renewed.epoch()).isEqualTo(first.epoch());
    assertThat(renewed.nodeId()).isEqualTo("node-a");
    assertThat(renewed.until()).isAfterOrEqualTo(first.until());
  }

  @Test
  void acquireOrRenew_byAnotherNodeWhileTheTermLasts_isRefusedAndChangesNothing() {
    GateTerm held = store.acquireOrRenew("node-a", TERM).orElseThrow();

    assertThat(store.acquireOrRenew("node-b", TERM)).isEmpty();
    assertThat(store.holder()).contains(held);
  }

  @Test
  void acquireOrRenew_afterTheTermEnded_givesTheGateToWhoeverAsksFirstUnderTheNextEpoch() {
    store.acquireOrRenew("node-a", TERM);
    endTheCurrentTerm();
    assertThat(store.holder()).isEmpty();

    assertThat(store.acquireOrRenew("node-b", TERM)).map(GateTerm::epoch).contains(2L);
    assertThat(store.acquireOrRenew("node-a", TERM)).isEmpty();
    assertThat(store.holder()).map(GateTerm::nodeId).contains("node-b");
  }

  @Test
  void acquireOrRenew_byTheSameNodeAfterItsTermEnded_isANewEpoch() {
    store.acquireOrRenew("node-a", TERM);
    endTheCurrentTerm();

    // Claims under epoch 1 were refused once it ended; a new epoch keeps them refused.
    assertThat(store.acquireOrRenew("node-a", TERM)).map(GateTerm::epoch).contains(2L);
  }

  @Test
  void resign_byTheHolder_endsTheTermSoAnotherNodeAcquiresAtOnce() {
    GateTerm held = store.acquireOrRenew("node-a", TERM).orElseThrow();

    store.resign("node-a", held.epoch());

    assertThat(store.holder()).isEmpty();
    assertThat(store.acquireOrRenew("node-b", TERM)).map(GateTerm::epoch).contains(2L);
  }

  @Test
  void resign_ofAnotherEpochOrByAnotherNode_changesNothing() {
    store.acquireOrRenew("node-a", TERM);
    endTheCurrentTerm();
    GateTerm held = store.acquireOrRenew("node-a", TERM).orElseThrow(); // epoch 2

    store.resign("node-a", 1); // a late resign of the ended epoch
    store.resign("node-b", held.epoch());

    assertThat(store.holder()).contains(held);
    assertThat(store.acquireOrRenew("node-b", TERM)).isEmpty();
  }

  @Test
  void acquireOrRenew_byEightNodesAtTheSameInstant_grantsTheGateToExactlyOne() throws Exception {
    int nodes = 8;
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    try {
      List<GateTerm> granted = GateHolderRace.race(store, pool, nodes, TERM);

      assertThat(granted).hasSize(1);
      assertThat(granted.get(0).epoch()).isEqualTo(1L);
      assertThat(store.holder()).contains(granted.get(0));
      // Every node now sees the same holder, and none of the others can take it.
      for (int i = 0; i < nodes; i++) {
        String nodeId = "node-" + i;
        Optional<GateTerm> again = store.acquireOrRenew(nodeId, TERM);
        assertThat(again.isPresent()).isEqualTo(nodeId.equals(granted.get(0).nodeId()));
      }
      assertThat(store.holder()).map(GateTerm::epoch).contains(1L);
    } finally {
      pool.shutdownNow();
    }
  }
}
