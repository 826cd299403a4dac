package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlidingWindowCountTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration SECOND = Duration.ofSeconds(1);

  /** {@code perWindow} releases at each of the given offsets (ms after T0). */
  private static List<Instant> bursts(int perWindow, long... offsetsMillis) {
    List<Instant> out = new ArrayList<>();
    for (long offset : offsetsMillis) {
      for (int i = 0; i < perWindow; i++) {
        out.add(T0.plusMillis(offset));
      }
    }
    return out;
  }

  @Test
  void busiest_countsTheMostReleasesInAnyHalfOpenInterval() {
    List<Instant> releases = bursts(5, 0, 999, 1000);

    SlidingWindowCount.Busiest busiest = SlidingWindowCount.busiest(releases, SECOND);

    // [0, 1000) holds the first two bursts; [999, 1999) the last two
    assertThat(busiest.count()).isEqualTo(10);
    assertThat(busiest.from()).isEqualTo(T0);
  }

  @Test
  void steadyUse_ofWindowsStartedEverySecond_isOne_whateverTheEdgesDid() {
    // The second window 400 ms late (the first window's answers were slow), the last one spread.
    List<Instant> releases = bursts(5, 0, 1400, 2400, 3400);
    releases.addAll(List.of(4400, 4500, 4600, 4700, 4800).stream().map(T0::plusMillis).toList());

    // from the 6th release (1.4 s) to the 21st (4.4 s): 15 releases in 3 s, 5 per second
    assertThat(SlidingWindowCount.steadyUse(releases, 5, SECOND)).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void steadyUse_ofWindowsStartedLate_isTheLimitsShareTheyUsed() {
    // every window starts 250 ms after the previous one's end: 5 per 1.25 s
    List<Instant> releases = bursts(5, 0, 1250, 2500, 3750, 5000);

    // from 1.25 s to 5.0 s: 15 releases in 3.75 s = 4 per second, against 5 per second
    assertThat(SlidingWindowCount.steadyUse(releases, 5, SECOND)).isCloseTo(0.8, within(1e-9));
  }

  @Test
  void steadyUse_withFewerThanThreeWindowsOfReleases_isNotANumber() {
    assertThat(SlidingWindowCount.steadyUse(bursts(5, 0, 1000), 5, SECOND)).isNaN();
  }
}
