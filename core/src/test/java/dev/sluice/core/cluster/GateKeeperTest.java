package dev.sluice.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.SluiceException;
import dev.sluice.core.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Two or more keepers on one in-memory store, in virtual time: the store's clock and the nodes'
 * monotonic clocks are one {@link ManualTimeSource}, and the tests step the keepers by hand.
 */
class GateKeeperTest {
  private static final Duration TERM = Duration.ofSeconds(3);
  // What the keeper's Javadoc promises: held until sent + term - a tenth of the term.
  private static final Duration LOCAL_VALIDITY = Duration.ofMillis(2700);

  private final ManualTimeSource time = new ManualTimeSource();
  private final InMemoryGateHolderStore store = new InMemoryGateHolderStore(time);
  private final RecordingListener aHeard = new RecordingListener();
  private final RecordingListener bHeard = new RecordingListener();

  @Test
  void step_twoKeepersOnOneStore_exactlyOneHoldsAndRenewsItsEpoch() {
    GateKeeper a = new GateKeeper("node-a", store, time, TERM, aHeard);
    GateKeeper b = new GateKeeper("node-b", store, time, TERM, bHeard);

    for (int i = 0; i < 30; i++) { // ten terms, both stepping every third of a term
      a.step();
      b.step();
      assertThat(a.heldTerm()).map(GateTerm::epoch).contains(1L);
      assertThat(b.heldTerm()).isEmpty();
      time.advance(Duration.ofSeconds(1));
      assertThat(a.heldTerm()).as("held between steps").isPresent();
    }
    assertThat(aHeard.calls).containsExactly("acquired 1 node-a");
    assertThat(bHeard.calls).isEmpty();
    assertThat(store.holder()).map(GateTerm::nodeId).contains("node-a");
  }

  @Test
  void close_whenHolding_resignsSoTheOtherAcquiresAtItsNextStepWithTheNextEpoch() {
    GateKeeper a = new GateKeeper("node-a", store, time, TERM, aHeard);
    GateKeeper b = new GateKeeper("node-b", store, time, TERM, bHeard);
    a.step();
    b.step();
    assertThat(b.heldTerm()).isEmpty();

    a.close();

    assertThat(a.heldTerm()).isEmpty();
    assertThat(aHeard.calls).containsExactly("acquired 1 node-a", "lost 1 node-a");
    assertThat(store.holder()).isEmpty();
    b.step(); // no time has passed: the term was resigned, not run out
    assertThat(b.heldTerm()).map(GateTerm::epoch).contains(2L);
    assertThat(bHeard.calls).containsExactly("acquired 2 node-b");
    a.step(); // a closed keeper no longer asks
    assertThat(store.holder()).map(GateTerm::nodeId).contains("node-b");
  }

  @Test
  void heldTerm_whenTheHolderStopsStepping_endsStrictlyBeforeAnotherNodeCanAcquire() {
    GateKeeper a = new GateKeeper("node-a", store, time, TERM, aHeard);
    GateKeeper b = new GateKeeper("node-b", store, time, TERM, bHeard);
    a.step(); // at 0: the store's term runs to 3s; a counts on it until 2.7s
    Duration tick = Duration.ofMillis(100);
    Duration at = Duration.ZERO;
    Duration aLastHeld = null;
    Duration bFirstHeld = null;
    while (bFirstHeld == null && at.compareTo(Duration.ofSeconds(10)) < 0) {
      b.step(); // a is hung: only b steps
      boolean aHolds = a.heldTerm().isPresent();
      boolean bHolds = b.heldTerm().isPresent();
      assertThat(aHolds && bHolds).as("both hold at %s", at).isFalse();
      if (aHolds) {
        aLastHeld = at;
      }
      if (bHolds) {
        bFirstHeld = at;
      }
      time.advance(tick);
      at = at.plus(tick);
    }

    assertThat(aLastHeld).isEqualTo(LOCAL_VALIDITY.minus(tick));
    assertThat(bFirstHeld).isEqualTo(TERM);
    assertThat(b.heldTerm()).map(GateTerm::epoch).contains(2L);
    // a wakes up: its next step finds b holding and reports the loss, once.
    assertThat(aHeard.calls).containsExactly("acquired 1 node-a");
    a.step();
    a.step();
    assertThat(a.heldTerm()).isEmpty();
    assertThat(aHeard.calls).containsExactly("acquired 1 node-a", "lost 1 node-a");
  }

  @Test
  void heldTerm_isEmptyAtValidUntilEvenBeforeTheNextStep() {
    GateKeeper a = new GateKeeper("node-a", store, time, TERM, aHeard);
    a.step();
    time.advance(LOCAL_VALIDITY.minusNanos(1));
    assertThat(a.heldTerm()).isPresent();
    time.advance(Duration.ofNanos(1));
    assertThat(a.heldTerm()).isEmpty();
    assertThat(store.holder()).as("the store's term lasts longer").isPresent();
  }

  @Test
  void step_whenTheStoreFails_neverExtendsTheHoldWhichRunsOut() {
    FailingStore failing = new FailingStore(store);
    GateKeeper a = new GateKeeper("node-a", failing, time, TERM, aHeard);
    a.step(); // held until 2.7s
    failing.failing = true;
    for (int i = 0; i < 2; i++) {
      time.advance(Duration.ofSeconds(1));
      a.step(); // fails at 1s and 2s
      assertThat(a.heldTerm()).isPresent();
    }
    time.advance(Duration.ofMillis(700).minusNanos(1));
    assertThat(a.heldTerm()).isPresent();
    time.advance(Duration.ofNanos(1));
    assertThat(a.heldTerm()).as("at 2.7s").isEmpty();
    assertThat(aHeard.calls).containsExactly("acquired 1 node-a");
    a.step(); // fails again: the loss is reported now
    assertThat(aHeard.calls).containsExactly("acquired 1 node-a", "lost 1 node-a");
    a.step();
    assertThat(aHeard.calls).hasSize(2);
    assertThat(failing.calls).isEqualTo(5);
  }

  @Test
  void step_whenARenewalLandsAfterValidUntilButBeforeTheStoresUntil_reportsLostThenAcquired() {
    GateKeeper a = new GateKeeper("node-a", store, time, TERM, aHeard);
    a.step();
    time.advance(Duration.ofMillis(2800)); // past 2.7s (a's own end), before 3s (the store's)
    assertThat(a.heldTerm()).isEmpty();

    a.step();

    // The store renewed epoch 1 (nobody else could have taken it meanwhile), but a stopped
    // counting on it for 100ms: that is one period of holding ended and a new one begun.
    assertThat(a.heldTerm()).map(GateTerm::epoch).contains(1L);
    assertThat(aHeard.calls)
        .containsExactly("acquired 1 node-a", "lost 1 node-a", "acquired 1 node-a");
  }

  @Test
  void step_countsTheTermFromBeforeTheRequestWasSent() {
    // The store answers 1s after the request leaves.
    SlowStore slow = new SlowStore(store, time, Duration.ofSeconds(1));
    GateKeeper a = new GateKeeper("node-a", slow, time, TERM, aHeard);
    a.step(); // sent at 0, answered at 1s; the store's term runs to 1s + 3s

    time.advance(Duration.ofMillis(1700).minusNanos(1)); // 2.7s - 1ns since it was sent
    assertThat(a.heldTerm()).isPresent();
    time.advance(Duration.ofNanos(1));
    assertThat(a.heldTerm()).isEmpty();
  }

  @Test
  void step_whenTheAnswerComesAfterTheTermWouldEnd_doesNotHoldAndLetsTheStoreTermRunOut() {
    SlowStore slow = new SlowStore(store, time, LOCAL_VALIDITY);
    GateKeeper a = new GateKeeper("node-a", slow, time, TERM, aHeard);

    a.step();

    assertThat(a.heldTerm()).isEmpty();
    assertThat(aHeard.calls).isEmpty();
    a.close(); // gives back the term the store granted all the same
    assertThat(store.holder()).isEmpty();
  }

  @Test
  void step_whenAnotherNodeTookANewEpoch_reportsLostOnceAndNeverAcquired() {
    GateKeeper a = new GateKeeper("node-a", store, time, TERM, aHeard);
    GateKeeper b = new GateKeeper("node-b", store, time, TERM, bHeard);
    a.step();
    time.advance(TERM); // a hung past the store's term
    b.step();
    a.step();
    time.advance(Duration.ofSeconds(1));
    b.step();
    a.step();

    assertThat(aHeard.calls).containsExactly("acquired 1 node-a", "lost 1 node-a");
    assertThat(bHeard.calls).containsExactly("acquired 2 node-b");
  }

  @Test
  void start_runsTheLoopOnADaemonThread_andCloseStopsItAndResigns() throws Exception {
    FailingStore counting = new FailingStore(store); // never set failing: it counts requests
    GateKeeper a = new GateKeeper("node-a", counting, time, TERM, aHeard);
    a.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> a.heldTerm().isPresent());
    Thread loop =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals("sluice-gate-keeper") && t.isAlive())
            .findFirst()
            .orElseThrow();
    assertThat(loop.isDaemon()).isTrue();
    for (int i = 0; i < 6; i++) { // two terms: the loop renews on its own in virtual time
      int calls = counting.calls;
      time.advance(Duration.ofSeconds(1));
      await().atMost(Duration.ofSeconds(10)).until(() -> counting.calls > calls);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> a.heldTerm().isPresent());

    a.close();

    assertThat(a.heldTerm()).isEmpty();
    assertThat(store.holder()).isEmpty();
    loop.join(10_000);
    assertThat(loop.isAlive()).isFalse();
    assertThat(aHeard.calls).containsExactly("acquired 1 node-a", "lost 1 node-a");
  }

  @Test
  void step_whenTheListenerThrows_keepsHoldingAndStillReportsTheLoss() {
    List<String> heard = new ArrayList<>();
    GateKeeper.Listener throwing =
        new GateKeeper.Listener() {
          @Override
          public void acquired(GateTerm term) {
            heard.add("acquired " + term.epoch());
            throw new IllegalStateException("a listener with a bug");
          }

          @Override
          public void lost(GateTerm term) {
            heard.add("lost " + term.epoch());
          }
        };
    GateKeeper a = new GateKeeper("node-a", store, time, TERM, throwing);

    a.step();
    time.advance(Duration.ofSeconds(1));
    a.step();
    assertThat(a.heldTerm()).isPresent();
    a.close();

    assertThat(heard).containsExactly("acquired 1", "lost 1");
    assertThat(store.holder()).isEmpty();
  }

  @Test
  void constructor_refusesATermThatIsNotPositive() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new GateKeeper("node-a", store, time, Duration.ZERO, aHeard))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("term must be > 0");
  }

  /** Records what a listener hears, as "acquired EPOCH NODE" and "lost EPOCH NODE". */
  static final class RecordingListener implements GateKeeper.Listener {
    final List<String> calls = new ArrayList<>();

    @Override
    public synchronized void acquired(GateTerm term) {
      calls.add("acquired " + term.epoch() + " " + term.nodeId());
    }

    @Override
    public synchronized void lost(GateTerm term) {
      calls.add("lost " + term.epoch() + " " + term.nodeId());
    }
  }

  /** A store whose requests fail while {@link #failing} is set, as a store that is down does. */
  static final class FailingStore implements GateHolderStore {
    private final GateHolderStore store;
    volatile boolean failing;
    volatile int calls; // one thread steps at a time

    FailingStore(GateHolderStore store) {
      this.store = store;
    }

    @Override
    public Optional<GateTerm> acquireOrRenew(String nodeId, Duration term) {
      calls++;
      if (failing) {
        throw new SluiceException("the store is down");
      }
      return store.acquireOrRenew(nodeId, term);
    }

    @Override
    public void resign(String nodeId, long epoch) {
      store.resign(nodeId, epoch);
    }

    @Override
    public Optional<GateTerm> holder() {
      return store.holder();
    }
  }

  /** A store that answers {@code delay} of virtual time after a request leaves. */
  static final class SlowStore implements GateHolderStore {
    private final GateHolderStore store;
    private final ManualTimeSource time;
    private final Duration delay;

    SlowStore(GateHolderStore store, ManualTimeSource time, Duration delay) {
      this.store = store;
      this.time = time;
      this.delay = delay;
    }

    @Override
    public Optional<GateTerm> acquireOrRenew(String nodeId, Duration term) {
      time.advance(delay);
      return store.acquireOrRenew(nodeId, term);
    }

    @Override
    public void resign(String nodeId, long epoch) {
      store.resign(nodeId, epoch);
    }

    @Override
    public Optional<GateTerm> holder() {
      return store.holder();
    }
  }
}
