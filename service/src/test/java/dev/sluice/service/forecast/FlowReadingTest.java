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

  @Test
  void of_underASchedule_forecastsNothingBeforeTheBlackoutEnds() {
    dev.sluice.core.backlog.Backlog backlog = new dev.sluice.core.backlog.InMemoryBacklog();
    List<dev.sluice.core.ObjectEvent> events = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      events.add(dev.sluice.core.ObjectEvent.created("data", "k" + i, "test"));
    }
    backlog.append(events, T0);
    // A blackout 10:00-11:00 UTC; then the base's 10 a minute.
    dev.sluice.core.gate.CapacitySchedule backup =
        new dev.sluice.core.gate.CapacitySchedule(
            java.time.ZoneId.of("UTC"),
            List.of(
                dev.sluice.core.gate.ScheduleRule.blackout(
                    "backup",
                    java.util.EnumSet.allOf(java.time.DayOfWeek.class),
                    java.time.LocalTime.of(10, 0),
                    java.time.LocalTime.of(11, 0))));

    FlowReading reading =
        FlowReading.of(
            backlog, Limits.window(10, Duration.ofMinutes(1)), backup, T0.plusSeconds(1800));

    assertThat(reading.forecast().startOf(0)).isEqualTo(Instant.parse("2026-12-02T11:00:00Z"));
    assertThat(reading.forecast().drain(30).lastStart())
        .isEqualTo(Instant.parse("2026-12-02T11:02:00Z"));
  }

  @Test
  void of_whenBatchesCountAsJobs_seedsOneStartPerBatchOfTheReleaseLog() {
    dev.sluice.core.backlog.Backlog backlog = new dev.sluice.core.backlog.InMemoryBacklog();
    List<dev.sluice.core.ObjectEvent> events = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      events.add(dev.sluice.core.ObjectEvent.created("data", "k" + i, "test"));
    }
    backlog.append(events, T0);
    // 100 released at T0 and still open: 5 batches of 20, one start each at T0.
    backlog.claim(100, Duration.ofMinutes(5), T0);
    Limits tenPerSecond = Limits.window(10, Duration.ofSeconds(1));
    dev.sluice.core.batch.BatchPlanner twenties =
        new dev.sluice.core.batch.BatchPlanner(
            new dev.sluice.core.batch.BatchSettings(20, Duration.ofMillis(100)),
            dev.sluice.core.batch.LimitCount.JOBS);
    Instant now = T0.plusMillis(500);

    FlowReading reading =
        FlowReading.of(
            backlog, tenPerSecond, dev.sluice.core.gate.CapacitySchedule.NONE, twenties, now);

    // 5 of the window's 10 permits are spent: the 100 left, 5 batches, all start now; one per
    // release would have spent the window until T0 + 1 s.
    assertThat(reading.forecast().basis().recentStarts()).containsExactly(T0, T0, T0, T0, T0);
    assertThat(reading.forecast().basis().inFlight()).isEqualTo(5);
    assertThat(reading.drain().waiting()).isEqualTo(100);
    assertThat(reading.drain().lastStart()).isEqualTo(now);
    FlowReading perRelease = FlowReading.of(backlog, tenPerSecond, now);
    assertThat(perRelease.drain().lastStart()).isEqualTo(T0.plusSeconds(10));
  }
}
