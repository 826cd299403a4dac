package dev.sluice.service.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.gate.Limits;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lag measured from recent starts under a sliding window. */
class FlowReadingTest {
  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

  private static List<Instant> at(double... seconds) {
    return java.util.Arrays.stream(seconds)
        .mapToObj(s -> T0.plusNanos(Math.round(s * 1e9)))
        .toList();
  }

  @Test
  void lagUnderWindow_whenStartsCameLate_isTheMeanLatenessOfTheHeldPairs() {
    // 2 per second: each start two places on could have come 1 s later. Late by 0.05, 0.1 and
    // 0.25 s; the start at 5 s came 2.8 s late: the window did not hold it, it is left out.
    List<Instant> starts = at(0, 0.1, 1.05, 1.2, 2.3, 5.0);

    Duration lag = FlowReading.lagUnderWindow(Limits.window(2, Duration.ofSeconds(1)), starts);

    assertThat(lag).isEqualTo(Duration.ofNanos(133_333_333));
  }

  @Test
  void lagUnderWindow_whenNoSlidingWindowOrTooFewStarts_isUnknown() {
    Limits aligned = new Limits(new Limits.Window(2, Duration.ofSeconds(1), true), null, null);

    assertThat(FlowReading.lagUnderWindow(aligned, at(0, 0.1, 1.05, 1.2))).isNull();
    assertThat(FlowReading.lagUnderWindow(Limits.none(), at(0, 0.1, 1.05, 1.2))).isNull();
    assertThat(FlowReading.lagUnderWindow(Limits.window(5, Duration.ofSeconds(1)), at(0, 1, 2)))
        .isNull();
  }
}
