package dev.sluice.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Windows of length T laid end to end from the first release: window k holds the releases in [first
 * + kT, first + (k+1)T).
 */
class WindowCountsTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration ONE_SECOND = Duration.ofSeconds(1);

  private static Instant at(long millis) {
    return T0.plusMillis(millis);
  }

  @Test
  void of_whenNoReleases_isEmpty() {
    assertThat(WindowCounts.of(List.of(), ONE_SECOND)).isEmpty();
  }

  @Test
  void of_whenReleasesSpanWindows_countsEachHalfOpenWindow() {
    List<Instant> releases =
        List.of(at(0), at(500), at(999), at(1000), at(1999), at(2000), at(2001), at(2999));

    // [0,1s): 0, 500, 999; [1s,2s): 1000, 1999; [2s,3s): 2000, 2001, 2999
    assertThat(WindowCounts.of(releases, ONE_SECOND)).containsExactly(3, 2, 3);
  }

  @Test
  void of_whenAWindowIsEmpty_countsZeroForIt() {
    List<Instant> releases = List.of(at(0), at(3500));

    assertThat(WindowCounts.of(releases, ONE_SECOND)).containsExactly(1, 0, 0, 1);
  }

  @Test
  void of_whenUnordered_startsFromTheEarliestRelease() {
    List<Instant> releases = List.of(at(2500), at(100), at(1000), at(1100));

    // first = 100ms: [100,1100): 100, 1000; [1100,2100): 1100; [2100,3100): 2500
    assertThat(WindowCounts.of(releases, ONE_SECOND)).containsExactly(2, 1, 1);
  }

  @Test
  void of_whenWindowIsAMinute_groupsByMinutesFromTheFirst() {
    List<Instant> releases = List.of(at(0), at(59_999), at(60_000), at(61_000), at(150_000));

    assertThat(WindowCounts.of(releases, Duration.ofMinutes(1))).containsExactly(2, 2, 1);
  }
}
