package dev.sluice.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Three keepers on one store, stepped in a seeded random order with random pauses (a node that
 * hangs for a while) and slow answers, in virtual time: never do two nodes count on the gate at the
 * same instant, and a new holder always comes with a higher epoch.
 */
class GateKeeperRandomStepsTest {
  private static final Duration TERM = Duration.ofSeconds(3);

  @Test
  void step_inAnyOrderWithPausesAndSlowAnswers_neverLetsTwoNodesHoldAtOnce() {
    for (long seed = 1; seed <= 20; seed++) {
      run(new Random(seed), seed);
    }
  }

  private void run(Random random, long seed) {
    ManualTimeSource time = new ManualTimeSource();
    InMemoryGateHolderStore memory = new InMemoryGateHolderStore(time);
    List<String> heard = new ArrayList<>(); // every listener call of every node, in order
    List<GateKeeper> keepers = new ArrayList<>();
    long[] hungUntil = new long[3];
    for (int i = 0; i < 3; i++) {
      String nodeId = "node-" + i;
      GateHolderStore slow = new RandomlySlowStore(memory, time, random);
      keepers.add(new GateKeeper(nodeId, slow, time, TERM, recorder(heard)));
    }
    int held = 0;
    for (int tick = 0; tick < 2000; tick++) {
      int i = random.nextInt(3);
      if (time.nanoTime() >= hungUntil[i]) {
        if (random.nextInt(50) == 0) { // hangs for up to two terms
          hungUntil[i] = time.nanoTime() + (long) (random.nextDouble() * 2 * TERM.toNanos());
        } else {
          keepers.get(i).step();
        }
      }
      time.advance(Duration.ofMillis(random.nextInt(400)));
      long holders = keepers.stream().filter(k -> k.heldTerm().isPresent()).count();
      assertThat(holders).as("seed %d tick %d", seed, tick).isLessThanOrEqualTo(1);
      held += holders;
    }
    assertThat(held).as("seed %d: the gate was held most of the time", seed).isGreaterThan(1000);
    assertEpochsRise(heard, seed);
  }

  /** A node's periods alternate acquired/lost; another node's acquisition has a higher epoch. */
  private static void assertEpochsRise(List<String> heard, long seed) {
    String lastNode = null;
    long lastEpoch = 0;
    for (String call : heard) {
      String[] parts = call.split(" ");
      if (!parts[0].equals("acquired")) {
        continue;
      }
      long epoch = Long.parseLong(parts[1]);
      if (parts[2].equals(lastNode)) {
        assertThat(epoch).as("seed %d: %s", seed, call).isGreaterThanOrEqualTo(lastEpoch);
      } else {
        assertThat(epoch).as("seed %d: %s", seed, call).isGreaterThan(lastEpoch);
      }
      lastNode = parts[2];
      lastEpoch = epoch;
    }
    assertThat(heard).as("seed %d", seed).isNotEmpty();
  }

  private static GateKeeper.Listener recorder(List<String> heard) {
    return new GateKeeper.Listener() {
      @Override
      public void acquired(GateTerm term) {
        heard.add("acquired " + term.epoch() + " " + term.nodeId());
      }

      @Override
      public void lost(GateTerm term) {
        heard.add("lost " + term.epoch() + " " + term.nodeId());
      }
    };
  }

  /** Answers after up to a term of virtual time; the store acts at a random point in between. */
  private static final class RandomlySlowStore implements GateHolderStore {
    private final GateHolderStore store;
    private final ManualTimeSource time;
    private final Random random;

    RandomlySlowStore(GateHolderStore store, ManualTimeSource time, Random random) {
      this.store = store;
      this.time = time;
      this.random = random;
    }

    @Override
    public Optional<GateTerm> acquireOrRenew(String nodeId, Duration term) {
      boolean slow = random.nextInt(10) == 0;
      if (slow) {
        time.advance(Duration.ofMillis(random.nextInt((int) TERM.toMillis())));
      }
      Optional<GateTerm> answer = store.acquireOrRenew(nodeId, term);
      if (slow) {
        time.advance(Duration.ofMillis(random.nextInt((int) TERM.toMillis())));
      }
      return answer;
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
