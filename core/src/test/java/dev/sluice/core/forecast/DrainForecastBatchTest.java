package dev.sluice.core.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.gate.CapacitySchedule;
import dev.sluice.core.gate.Limits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Forecasts when a permit carries a batch of events, against starts worked out by hand. */
class DrainForecastBatchTest {

  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00.250Z");
  private static final Limits TEN_PER_SECOND = Limits.window(10, Duration.ofSeconds(1));

  private static Instant at(double seconds) {
    return NOW.plusNanos(Math.round(seconds * 1e9));
  }

  private static DrainForecast forecast(List<Instant> recent, int eventsPerPermit) {
    return new DrainForecast(
        new ForecastBasis(
            NOW,
            TEN_PER_SECOND,
            recent,
            0,
            Duration.ofMillis(200),
            Duration.ZERO,
            CapacitySchedule.NONE,
            eventsPerPermit));
  }

  @Test
  void drain_when1000WaitInBatchesOf20Under10PerSecond_takes5Windows() {
    // 1,000 events are 50 batches: 10 a window, at 0, 1, 2, 3 and 4 s.
    Drain d = forecast(List.of(), 20).drain(1_000);

    assertThat(d.waiting()).isEqualTo(1_000);
    assertThat(d.lastStart()).isEqualTo(at(4));
    assertThat(d.drainedAt()).isEqualTo(at(4.2));
  }

  @Test
  void drain_whenOneEventPerPermit_takes100Windows() {
    Drain d = forecast(List.of(), 1).drain(1_000);

    assertThat(d.lastStart()).isEqualTo(at(99));
  }

  @Test
  void drain_whenTheLastBatchIsPartial_countsItAsAPermit() {
    // 201 events: 10 full batches in the first window, the partial 11th in the second.
    DrainForecast f = forecast(List.of(), 20);

    assertThat(f.drain(200).lastStart()).isEqualTo(at(0));
    assertThat(f.drain(201).lastStart()).isEqualTo(at(1));
    assertThat(f.permitsFor(201)).isEqualTo(11);
    assertThat(f.permitsFor(200)).isEqualTo(10);
    assertThat(f.permitsFor(0)).isZero();
  }

  @Test
  void drain_whenPermitsAreCountedByPartition_takesThemAll() {
    // 1,000 events in 30 partitions: 29 of them hold one event each (29 partial batches), the last
    // 971 (49 batches): 78 permits, the last in the eighth window.
    Drain d = forecast(List.of(), 20).drain(1_000, 29 + 49);

    assertThat(d.waiting()).isEqualTo(1_000);
    assertThat(d.lastStart()).isEqualTo(at(7));
  }

  @Test
  void drain_whenEventsWaitAndNoPermitIsGiven_isRefused() {
    assertThatThrownBy(() -> forecast(List.of(), 20).drain(5, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("permits must be");
  }

  @Test
  void startOf_whenBatchesOf20_placesAnEventWithItsBatch() {
    DrainForecast f = forecast(List.of(), 20);

    // Position 450 is in batch 22 (450 / 20): batches 20..29 go in the third window, at 2 s.
    assertThat(f.startOf(450)).isEqualTo(at(2));
    // Batches 0..9 hold positions 0..199; position 200 opens batch 10, in the second window.
    assertThat(f.startOf(199)).isEqualTo(at(0));
    assertThat(f.startOf(200)).isEqualTo(at(1));
    assertThat(f.startOf(999)).isEqualTo(at(4));
  }

  @Test
  void startOf_whenRecentBatchesUsedTheWindow_countsThemAsPermits() {
    // 6 batches started 0.5 s ago (the seeds are permits): 4 permits are left now, the next 6 at
    // 0.5 s.
    DrainForecast f = forecast(Collections.nCopies(6, at(-0.5)), 20);

    assertThat(f.startOf(79)).isEqualTo(at(0));
    assertThat(f.startOf(80)).isEqualTo(at(0.5));
    assertThat(f.startOf(199)).isEqualTo(at(0.5));
    assertThat(f.startOf(200)).isEqualTo(at(1));
  }

  @Test
  void steadyPerSecond_whenBatchesOf20_isEventsPerSecond() {
    assertThat(forecast(List.of(), 20).steadyPerSecond()).isEqualTo(200.0);
    assertThat(forecast(List.of(), 1).steadyPerSecond()).isEqualTo(10.0);
  }

  @Test
  void basis_whenEventsPerPermitBelowOne_isRefused() {
    assertThatThrownBy(() -> forecast(List.of(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("eventsPerPermit must be >= 1, got 0");
  }

  @Test
  void permitStarts_whenMembersShareTheirBatchInstant_countOneStartPerBatch() {
    List<Instant> rows = new ArrayList<>();
    rows.addAll(Collections.nCopies(20, at(-0.9))); // one full batch answered
    rows.addAll(Collections.nCopies(7, at(-0.5))); // one partial batch answered
    rows.addAll(Collections.nCopies(60, at(-0.1))); // three batches of one step, still open
    rows.add(at(-0.3)); // a batch of one

    assertThat(PermitStarts.of(rows, 20))
        .containsExactly(at(-0.9), at(-0.5), at(-0.3), at(-0.1), at(-0.1), at(-0.1));
  }

  @Test
  void permitStarts_whenOneEventPerPermit_keepsEveryStartInOrder() {
    List<Instant> rows = List.of(at(-0.1), at(-0.9), at(-0.1));

    assertThat(PermitStarts.of(rows, 1)).containsExactly(at(-0.9), at(-0.1), at(-0.1));
  }
}
