package dev.sluice.core.gate.stored;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InFlightSlotsTest {
  private static final Instant T = Instant.parse("2026-03-01T12:00:00.123456Z");

  @Test
  void taken_keepsOneSlotPerNameAtMillisecondPrecision() {
    InFlightSlots s = InFlightSlots.NONE.taken(List.of("a", "b"), T).taken(List.of("a"), T);

    assertThat(s.size()).isEqualTo(2);
    assertThat(s.holders().get("a")).isEqualTo(Instant.parse("2026-03-01T12:00:00.123Z"));
  }

  @Test
  void freed_freesEachSlotOnce() {
    InFlightSlots s = InFlightSlots.NONE.taken(List.of("a", "b"), T);

    InFlightSlots once = s.freed(List.of("a"));
    InFlightSlots twice = once.freed(List.of("a"));

    assertThat(once.holders()).containsOnlyKeys("b");
    assertThat(twice).isSameAs(once);
  }

  @Test
  void live_dropsSlotsHeldForTheExpiryOrLonger() {
    InFlightSlots s =
        InFlightSlots.NONE.taken(List.of("old"), T).taken(List.of("new"), T.plusSeconds(60));

    assertThat(s.live(T.plusSeconds(599), Duration.ofMinutes(10)).holders())
        .containsOnlyKeys("old", "new");
    assertThat(s.live(T.plusSeconds(600), Duration.ofMinutes(10)).holders())
        .containsOnlyKeys("new");
  }

  @Test
  void policy_decidesOnLiveSlotsOnly() {
    ConcurrencyPolicy policy = new ConcurrencyPolicy(2, Duration.ofMinutes(10));
    InFlightSlots s = InFlightSlots.NONE.taken(List.of("a", "b"), T);

    assertThat(policy.permits(s, T)).isZero();
    assertThat(policy.permits(s, T.plus(Duration.ofMinutes(10)))).isEqualTo(2);
    assertThatThrownBy(() -> policy.take(s, T, List.of("c")))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new ConcurrencyPolicy(0, Duration.ofMinutes(1)))
        .hasMessageContaining("concurrency.max-in-flight must be >= 1, got 0");
  }
}
