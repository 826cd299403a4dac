package dev.sluice.core.gate.stored;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoredLimitTest {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private final InMemoryLimitStateStore<InFlightSlots> slots =
      new InMemoryLimitStateStore<>(InFlightSlots.NONE);

  private StoredLimit<InFlightSlots> limit() {
    return new StoredLimit<>(new ConcurrencyPolicy(5, Duration.ofHours(1)), slots);
  }

  @Test
  void giveBack_whenAnotherProcessTookTheSlotAfterThisOneLastWrote_freesIt() {
    // Two processes share the slots: one takes them (a scheduler), one frees them when the jobs
    // end (a completion function whose container lives on between invocations).
    StoredLimit<InFlightSlots> taker = limit();
    StoredLimit<InFlightSlots> freer = limit();
    taker.reserve(T0, List.of("a"));
    freer.giveBack(T0.plusSeconds(1), List.of("a")); // freer now remembers: no slot held
    taker.reserve(T0.plusSeconds(2), List.of("b"));

    freer.giveBack(T0.plusSeconds(3), List.of("b"));

    assertThat(slots.load(ConcurrencyPolicy.KEY).state().holders()).isEmpty();
  }

  @Test
  void update_whenTheChangeIsANoOpOnFreshState_writesNothing() {
    StoredLimit<InFlightSlots> limit = limit();
    limit.reserve(T0, List.of("a"));
    long version = slots.load(ConcurrencyPolicy.KEY).version();

    limit.giveBack(T0.plusSeconds(1), List.of("never-held"));

    assertThat(slots.load(ConcurrencyPolicy.KEY).version()).isEqualTo(version);
    assertThat(slots.load(ConcurrencyPolicy.KEY).state().holds("a")).isTrue();
  }
}
