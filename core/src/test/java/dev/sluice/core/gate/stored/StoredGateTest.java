package dev.sluice.core.gate.stored;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StoredGateTest {

  private static final Instant TICK0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private final InMemoryLimitStateStore<TickUsage> ticks =
      new InMemoryLimitStateStore<>(TickUsage.NONE);
  private final InMemoryLimitStateStore<InFlightSlots> slots =
      new InMemoryLimitStateStore<>(InFlightSlots.NONE);

  private StoredGate windowGate(int limit) {
    return new StoredGate(
        List.of(new StoredLimit<>(new AlignedWindowPolicy(limit, MINUTE), ticks)));
  }

  private static List<String> jobs(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
  }

  @Test
  void reserve_when115WaitWithLimit50_grants50Then50Then15OnSuccessiveTicks() {
    List<String> waiting = new ArrayList<>(jobs("j", 115));
    List<Integer> perTick = new ArrayList<>();
    for (int tick = 0; tick < 4; tick++) {
      // A fresh gate per tick, as a fresh function invocation would build.
      StoredGate gate = windowGate(50);
      Instant at = TICK0.plus(MINUTE.multipliedBy(tick)).plusSeconds(7);
      int released = 0;
      while (!waiting.isEmpty()) {
        List<String> granted =
            gate.reserve(at, List.copyOf(waiting.subList(0, Math.min(10, waiting.size()))));
        if (granted.isEmpty()) {
          break;
        }
        waiting.removeAll(granted);
        released += granted.size();
      }
      perTick.add(released);
    }

    assertThat(perTick).containsExactly(50, 50, 15, 0);
    assertThat(ticks.load("tick#" + TICK0.getEpochSecond()).state().used()).isEqualTo(50);
    assertThat(ticks.load("tick#" + TICK0.plus(MINUTE.multipliedBy(2)).getEpochSecond()))
        .isEqualTo(new Versioned<>(new TickUsage(15), 2));
  }

  @Test
  void reserve_whenAskedForMoreThanLeft_grantsTheFirstJobsOnly() {
    StoredGate gate = windowGate(5);
    gate.reserve(TICK0, jobs("a", 3));

    assertThat(gate.reserve(TICK0, jobs("b", 4))).containsExactly("b0", "b1");
    assertThat(gate.permits(TICK0)).isZero();
  }

  @Test
  void giveBack_returnsTheBudgetToTheTick() {
    StoredGate gate = windowGate(5);
    gate.reserve(TICK0, jobs("a", 5));

    gate.giveBack(TICK0, List.of("a3", "a4"));

    assertThat(windowGate(5).permits(TICK0)).isEqualTo(2);
  }

  @Test
  void reserve_whenInFlightIsTighter_givesBackToTheWindowWhatInFlightRefused() {
    ConcurrencyPolicy inFlight = new ConcurrencyPolicy(3, Duration.ofHours(1));
    StoredGate gate =
        new StoredGate(
            List.of(
                new StoredLimit<>(new AlignedWindowPolicy(10, MINUTE), ticks),
                new StoredLimit<>(inFlight, slots)));

    List<String> granted = gate.reserve(TICK0, jobs("j", 5));

    assertThat(granted).containsExactly("j0", "j1", "j2");
    assertThat(ticks.load("tick#" + TICK0.getEpochSecond()).state().used()).isEqualTo(3);
    assertThat(slots.load(ConcurrencyPolicy.KEY).state().holders())
        .containsOnlyKeys("j0", "j1", "j2");
  }

  @Test
  void reserve_afterACompletionFreedASlot_grantsItAgainEvenWithAStaleMemory() {
    ConcurrencyPolicy inFlight = new ConcurrencyPolicy(2, Duration.ofHours(1));
    StoredLimit<InFlightSlots> scheduler = new StoredLimit<>(inFlight, slots);
    assertThat(scheduler.reserve(TICK0, List.of("a", "b"))).isEqualTo(2);
    assertThat(scheduler.reserve(TICK0, List.of("c"))).isZero();

    // The completion of "a", by another process with its own view of the store.
    new StoredLimit<>(inFlight, slots).update(TICK0, s -> s.freed(List.of("a")));

    assertThat(scheduler.reserve(TICK0.plusSeconds(1), List.of("c"))).isEqualTo(1);
    assertThat(slots.load(ConcurrencyPolicy.KEY).state().holders()).containsOnlyKeys("b", "c");
  }

  @Test
  void update_whenFreeingANameThatHoldsNoSlot_writesNothing() {
    ConcurrencyPolicy inFlight = new ConcurrencyPolicy(2, Duration.ofHours(1));
    StoredLimit<InFlightSlots> limit = new StoredLimit<>(inFlight, slots);
    limit.reserve(TICK0, List.of("a"));
    limit.update(TICK0, s -> s.freed(List.of("a")));
    long version = slots.load(ConcurrencyPolicy.KEY).version();

    limit.update(TICK0, s -> s.freed(List.of("a")));

    assertThat(slots.load(ConcurrencyPolicy.KEY).version()).isEqualTo(version);
  }

  @Test
  void update_whenAnotherProcessTookTheSlotSinceTheLastWrite_freesIt() {
    ConcurrencyPolicy inFlight = new ConcurrencyPolicy(5, Duration.ofHours(1));
    // A warm function: frees slots batch after batch with one StoredLimit.
    StoredLimit<InFlightSlots> freer = new StoredLimit<>(inFlight, slots);
    new StoredLimit<>(inFlight, slots).reserve(TICK0, List.of("a"));
    freer.update(TICK0, s -> s.freed(List.of("a")));
    // The scheduler, another process, takes "b" after that write.
    new StoredLimit<>(inFlight, slots).reserve(TICK0, List.of("b"));

    freer.update(TICK0.plusSeconds(1), s -> s.freed(List.of("b")));

    assertThat(slots.load(ConcurrencyPolicy.KEY).state().holders()).isEmpty();
  }

  @Test
  void reserve_whenAHolderVanished_itsSlotExpires() {
    ConcurrencyPolicy inFlight = new ConcurrencyPolicy(1, Duration.ofMinutes(30));
    StoredLimit<InFlightSlots> limit = new StoredLimit<>(inFlight, slots);
    limit.reserve(TICK0, List.of("lost"));

    assertThat(limit.reserve(TICK0.plus(Duration.ofMinutes(29)), List.of("next"))).isZero();
    assertThat(limit.reserve(TICK0.plus(Duration.ofMinutes(30)), List.of("next"))).isEqualTo(1);
    assertThat(slots.load(ConcurrencyPolicy.KEY).state().holders()).containsOnlyKeys("next");
  }

  @Test
  void reserve_whenAnotherReserverCommitsBetweenLoadAndReplace_togetherNeverExceedTheLimit() {
    // Reserver B commits 30 of 50 after A loaded the empty tick and before A replaces it.
    InterleavingStore<TickUsage> interleaving = new InterleavingStore<>(ticks);
    StoredGate a =
        new StoredGate(
            List.of(new StoredLimit<>(new AlignedWindowPolicy(50, MINUTE), interleaving)));
    StoredGate b = windowGate(50);
    List<String> grantedToB = new ArrayList<>();
    interleaving.beforeNextReplace(() -> grantedToB.addAll(b.reserve(TICK0, jobs("b", 30))));

    List<String> grantedToA = a.reserve(TICK0, jobs("a", 40));

    assertThat(interleaving.replacesRefused()).isEqualTo(1);
    assertThat(grantedToB).hasSize(30);
    assertThat(grantedToA).hasSize(20);
    assertThat(ticks.load("tick#" + TICK0.getEpochSecond()).state().used()).isEqualTo(50);
  }

  @Test
  void reserve_whenEveryReplaceConflicts_failsNamingTheKeyAndHoldsNothing() {
    InterleavingStore<TickUsage> interleaving = new InterleavingStore<>(ticks);
    StoredGate other = windowGate(1000);
    interleaving.beforeEveryReplace(() -> other.reserve(TICK0, List.of("x")));
    StoredGate gate =
        new StoredGate(
            List.of(new StoredLimit<>(new AlignedWindowPolicy(1000, MINUTE), interleaving, 3)));

    assertThatThrownBy(() -> gate.reserve(TICK0, jobs("a", 5)))
        .isInstanceOf(StateConflictException.class)
        .hasMessageContaining("tick#" + TICK0.getEpochSecond())
        .hasMessageContaining("3 attempts");
    assertThat(ticks.load("tick#" + TICK0.getEpochSecond()).state().used()).isEqualTo(3);
  }
}
