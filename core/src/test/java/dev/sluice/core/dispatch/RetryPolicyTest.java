package dev.sluice.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy =
      new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(10), 2.0);

  @Test
  void delayAfter_growsExponentiallyWithinJitterBounds() {
    // attempt n: nominal 1s * 2^(n-1); equal jitter puts the delay in [nominal/2, nominal].
    assertThat(policy.delayAfter(1, 0.0, null)).isEqualTo(Duration.ofMillis(500));
    assertThat(policy.delayAfter(1, 0.999999, null))
        .isBetween(Duration.ofMillis(999), Duration.ofSeconds(1));
    assertThat(policy.delayAfter(3, 0.0, null)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.delayAfter(3, 0.5, null)).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void delayAfter_isCappedAtMaxBackoff() {
    assertThat(policy.delayAfter(20, 0.999999, null)).isLessThanOrEqualTo(Duration.ofSeconds(10));
    assertThat(policy.delayAfter(20, 0.0, null)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void delayAfter_whenRetryAfterIsLonger_honoursIt() {
    assertThat(policy.delayAfter(1, 0.0, Duration.ofSeconds(120)))
        .isEqualTo(Duration.ofSeconds(120));
    assertThat(policy.delayAfter(1, 0.0, Duration.ofMillis(10))).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void mayRetry_stopsAtMaxAttempts() {
    assertThat(policy.mayRetry(4)).isTrue();
    assertThat(policy.mayRetry(5)).isFalse();
  }

  @Test
  void constructor_whenInvalid_namesTheField() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(2), 2))
        .hasMessage("max-attempts must be >= 1, got 0");
    assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(5), Duration.ofSeconds(2), 2))
        .hasMessage("max-backoff must be >= initial-backoff (5s), got 2s");
    assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5))
        .hasMessage("multiplier must be >= 1.0, got 0.5");
  }
}
