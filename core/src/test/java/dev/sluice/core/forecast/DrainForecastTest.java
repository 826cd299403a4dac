package dev.sluice.core.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.gate.Limits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Forecasts in virtual time, against starts worked out by hand. */
class DrainForecastTest {

  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00.250Z");

  private static Instant at(double seconds) {
    return NOW.plusNanos(Math.round(seconds * 1e9));
  }

  private static DrainForecast forecast(
      Limits limits, List<Instant> recent, long inFlight, Duration latency) {
    return new DrainForecast(new ForecastBasis(NOW, limits, recent, inFlight, latency));
  }

  @Test
  void startOf_when115WaitUnder50Per2s_startsAt0Then2sThen4s() {
    DrainForecast f =
        forecast(Limits.window(50, Duration.ofSeconds(2)), List.of(), 0, Duration.ofMillis(300));

    assertThat(f.startOf(0)).isEqualTo(at(0));
    assertThat(f.startOf(49)).isEqualTo(at(0));
    assertThat(f.startOf(50)).isEqualTo(at(2));
    assertThat(f.startOf(99)).isEqualTo(at(2));
    assertThat(f.startOf(100)).isEqualTo(at(4));
    assertThat(f.startOf(114)).isEqualTo(at(4));
    Drain d = f.drain(115);
    assertThat(d.lastStart()).isEqualTo(at(4));
    assertThat(d.drainedAt()).isEqualTo(at(4.3));
  }

  @Test
  void startOf_underAnAdaptedRateFactor_releasesUnderTheScaledWindow() {
    // 100 per 2 s at a factor of 0.5: 50 per 2 s, as the gate applies it.
    DrainForecast f =
        new DrainForecast(
            new ForecastBasis(
                NOW,
                Limits.window(100, Duration.ofSeconds(2)),
                List.of(),
                0,
                Duration.ofMillis(300),
                Duration.ZERO,
                dev.sluice.core.gate.CapacitySchedule.NONE,
                1,
                0.5,
                1));

    assertThat(f.startOf(49)).isEqualTo(at(0));
    assertThat(f.startOf(50)).isEqualTo(at(2));
    assertThat(f.drain(115).lastStart()).isEqualTo(at(4));
    assertThat(f.steadyPerSecond()).isEqualTo(25.0);
  }

  @Test
  void startOf_whenABurstJustUsedPartOfTheWindow_grantsOnlyWhatIsLeft() {
    // 30 started half a second ago: 20 are left now; the 30 leave the window at 1.5 s, the 20
    // granted now leave it at 2 s, the next 30 at 3.5 s.
    List<Instant> recent = Collections.nCopies(30, at(-0.5));
    DrainForecast f =
        forecast(Limits.window(50, Duration.ofSeconds(2)), recent, 0, Duration.ofMillis(100));

    assertThat(f.startOf(19)).isEqualTo(at(0));
    assertThat(f.startOf(20)).isEqualTo(at(1.5));
    assertThat(f.startOf(49)).isEqualTo(at(1.5));
    assertThat(f.startOf(50)).isEqualTo(at(2));
    assertThat(f.startOf(69)).isEqualTo(at(2));
    assertThat(f.startOf(70)).isEqualTo(at(3.5));
  }

  @Test
  void startOf_whenTheWindowIsFull_waitsForTheOldestStartToLeave() {
    List<Instant> recent = new ArrayList<>();
    recent.addAll(Collections.nCopies(25, at(-1.8)));
    recent.addAll(Collections.nCopies(25, at(-0.4)));
    DrainForecast f = forecast(Limits.window(50, Duration.ofSeconds(2)), recent, 0, Duration.ZERO);

    assertThat(f.startOf(0)).isEqualTo(at(0.2));
    assertThat(f.startOf(24)).isEqualTo(at(0.2));
    assertThat(f.startOf(25)).isEqualTo(at(1.6));
  }

  @Test
  void startOf_underAnAlignedWindow_startsAtTheNextTicks() {
    // Ticks at whole seconds from the epoch, 2 s apart: now is 10:00:00.250, so the next ticks
    // are at 10:00:02 and 10:00:04.
    Limits limits = new Limits(new Limits.Window(50, Duration.ofSeconds(2), true), null, null);
    DrainForecast f = forecast(limits, List.of(), 0, Duration.ZERO);

    assertThat(f.startOf(49)).isEqualTo(NOW);
    assertThat(f.startOf(50)).isEqualTo(Instant.parse("2026-12-02T10:00:02Z"));
    assertThat(f.startOf(100)).isEqualTo(Instant.parse("2026-12-02T10:00:04Z"));
  }

  @Test
  void startOf_underARate_spendsTheBurstThenOnePerTenth() {
    Limits limits = new Limits(null, new Limits.Rate(10, 5), null);
    DrainForecast f = forecast(limits, List.of(), 0, Duration.ZERO);

    assertThat(f.startOf(4)).isEqualTo(at(0));
    assertThat(f.startOf(5)).isEqualTo(at(0.1));
    assertThat(f.startOf(14)).isEqualTo(at(1.0));
  }

  @Test
  void startOf_underMaxInFlight_isPacedByTheLatency() {
    // 4 slots, 2 held by jobs in flight until 2 s; each job holds its slot for 2 s.
    DrainForecast f = forecast(new Limits(null, null, 4), List.of(), 2, Duration.ofSeconds(2));

    assertThat(f.startOf(1)).isEqualTo(at(0));
    assertThat(f.startOf(2)).isEqualTo(at(2));
    assertThat(f.startOf(5)).isEqualTo(at(2));
    assertThat(f.startOf(6)).isEqualTo(at(4));
    Drain d = f.drain(10);
    assertThat(d.lastStart()).isEqualTo(at(4));
    assertThat(d.drainedAt()).isEqualTo(at(6));
    assertThat(f.steadyPerSecond()).isEqualTo(2.0);
  }

  @Test
  void startOf_whenMaxInFlightIsTighterThanTheWindow_theTightestWins() {
    // 50 per second allowed, but 10 slots of half a second carry 20 per second.
    Limits limits = Limits.window(50, Duration.ofSeconds(1)).withMaxInFlight(10);
    DrainForecast f = forecast(limits, List.of(), 0, Duration.ofMillis(500));

    assertThat(f.startOf(9)).isEqualTo(at(0));
    assertThat(f.startOf(10)).isEqualTo(at(0.5));
    assertThat(f.startOf(20)).isEqualTo(at(1.0));
    assertThat(f.startOf(49)).isEqualTo(at(2.0));
  }

  @Test
  void startOf_whenTheEventIsNotYetDue_startsWhenDue() {
    DrainForecast f =
        forecast(Limits.window(50, Duration.ofSeconds(2)), List.of(), 0, Duration.ZERO);

    assertThat(f.startOf(3, at(7))).isEqualTo(at(7));
    assertThat(f.startOf(60, at(1))).isEqualTo(at(2));
    assertThat(f.startOf(3, at(-5))).isEqualTo(at(0));
  }

  @Test
  void drain_whenNothingWaits_endsWithTheJobsInFlight() {
    DrainForecast f =
        forecast(Limits.window(50, Duration.ofSeconds(2)), List.of(), 3, Duration.ofSeconds(1));

    Drain d = f.drain(0);

    assertThat(d.lastStart()).isEqualTo(NOW);
    assertThat(d.drainedAt()).isEqualTo(at(1));
  }

  @Test
  void drain_withNoLimits_startsEverythingNow() {
    DrainForecast f = forecast(Limits.none(), List.of(), 0, Duration.ofMillis(50));

    assertThat(f.drain(1_000_000).lastStart()).isEqualTo(NOW);
    assertThat(f.drain(1_000_000).drainedAt()).isEqualTo(at(0.05));
  }

  @Test
  void startOf_beyondTheSimulatedGrants_goesOnAtTheSteadyPace() {
    // One per second from an empty bucket of one: position p starts at p seconds, far beyond
    // the batches simulated.
    Limits limits = new Limits(null, new Limits.Rate(1, 1), null);
    DrainForecast f = forecast(limits, List.of(), 0, Duration.ZERO);

    assertThat(f.startOf(1_000_000)).isEqualTo(at(1_000_000));
    assertThat(f.startOf(2)).isEqualTo(at(2));
  }

  @Test
  void drain_of10000Under500PerSecond_takes19Seconds() {
    DrainForecast f =
        forecast(Limits.window(500, Duration.ofSeconds(1)), List.of(), 0, Duration.ofMillis(20));

    assertThat(f.drain(10_000).lastStart()).isEqualTo(at(19));
    assertThat(f.drain(10_000).drainedAt()).isEqualTo(at(19.02));
    assertThat(f.startOf(9_499)).isEqualTo(at(18));
  }

  @Test
  void startOf_withALag_opensEachSlidingWindowThatMuchLater() {
    // Each job reaches the target 0.1 s after the window allows it and counts from then: allowed
    // at 0, started at 0.1; the window frees at 2.1, those start at 2.2; the next at 4.3.
    DrainForecast f =
        new DrainForecast(
            new ForecastBasis(
                NOW,
                Limits.window(50, Duration.ofSeconds(2)),
                List.of(),
                0,
                Duration.ofMillis(300),
                Duration.ofMillis(100)));

    assertThat(f.startOf(0)).isEqualTo(at(0.1));
    assertThat(f.startOf(50)).isEqualTo(at(2.2));
    assertThat(f.startOf(100)).isEqualTo(at(4.3));
    assertThat(f.drain(115).drainedAt()).isEqualTo(at(4.6));
    assertThat(f.steadyPerSecond()).isEqualTo(50 / 2.1);
  }

  @Test
  void startOf_withALagUnderAnAlignedWindow_keepsTheTicks() {
    Limits limits = new Limits(new Limits.Window(50, Duration.ofSeconds(2), true), null, null);
    DrainForecast f =
        new DrainForecast(
            new ForecastBasis(NOW, limits, List.of(), 0, Duration.ZERO, Duration.ofMillis(100)));

    assertThat(f.startOf(0)).isEqualTo(at(0.1));
    assertThat(f.startOf(50)).isEqualTo(Instant.parse("2026-12-02T10:00:02.100Z"));
    assertThat(f.startOf(100)).isEqualTo(Instant.parse("2026-12-02T10:00:04.100Z"));
  }

  @Test
  void startOf_whenPositionIsNegative_isRefused() {
    DrainForecast f = forecast(Limits.none(), List.of(), 0, Duration.ZERO);

    assertThatThrownBy(() -> f.startOf(-1)).hasMessage("position must be >= 0, got -1");
    assertThatThrownBy(() -> new ForecastBasis(NOW, Limits.none(), List.of(), -1, Duration.ZERO))
        .hasMessage("inFlight must be >= 0, got -1");
  }
}
