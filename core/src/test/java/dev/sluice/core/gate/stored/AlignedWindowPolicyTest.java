package dev.sluice.core.gate.stored;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlignedWindowPolicyTest {

  private final AlignedWindowPolicy policy = new AlignedWindowPolicy(50, Duration.ofMinutes(1));

  @Test
  void key_isTheEpochSecondOfTheTickStart() {
    Instant t = Instant.parse("2026-03-01T12:00:37.250Z");

    assertThat(policy.tickStart(t)).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
    assertThat(policy.key(t))
        .isEqualTo("tick#" + Instant.parse("2026-03-01T12:00:00Z").getEpochSecond());
    assertThat(policy.key(Instant.parse("2026-03-01T12:00:59.999Z"))).isEqualTo(policy.key(t));
    assertThat(policy.key(Instant.parse("2026-03-01T12:01:00Z"))).isNotEqualTo(policy.key(t));
  }

  @Test
  void permitsAndTake_countInTheTick() {
    Instant t = Instant.parse("2026-03-01T12:00:10Z");
    TickUsage after = policy.take(TickUsage.NONE, t, List.of("a", "b", "c"));

    assertThat(after).isEqualTo(new TickUsage(3));
    assertThat(policy.permits(after, t)).isEqualTo(47);
    assertThat(policy.permits(new TickUsage(50), t)).isZero();
    assertThat(policy.permits(new TickUsage(70), t)).isZero();
  }

  @Test
  void giveBack_neverGoesBelowZero() {
    assertThat(policy.giveBack(new TickUsage(2), Instant.EPOCH, List.of("a", "b", "c")))
        .isEqualTo(TickUsage.NONE);
  }

  @Test
  void constructor_whenEveryIsNotWholeSeconds_namesTheField() {
    assertThatThrownBy(() -> new AlignedWindowPolicy(5, Duration.ofMillis(1500)))
        .hasMessageContaining("window.every");
    assertThatThrownBy(() -> new AlignedWindowPolicy(0, Duration.ofMinutes(1)))
        .hasMessageContaining("window.limit must be > 0, got 0");
  }
}
