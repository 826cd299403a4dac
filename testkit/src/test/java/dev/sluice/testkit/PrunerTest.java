package dev.sluice.testkit;

import static dev.sluice.testkit.TestEvents.numbered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Job;
import dev.sluice.core.backlog.InMemoryBacklog;
import dev.sluice.core.backlog.Pruned;
import dev.sluice.core.backlog.Pruner;
import dev.sluice.core.backlog.Settlement;
import dev.sluice.core.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The pruner's horizons, in virtual time: never below what the gate needs now. */
class PrunerTest {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private final ManualTimeSource time = new ManualTimeSource(T0);
  private final InMemoryBacklog backlog = new InMemoryBacklog();
  private final List<Pruned> seen = new ArrayList<>();
  private final AtomicReference<Duration> gateNeeds = new AtomicReference<>(Duration.ZERO);

  private Pruner pruner(Duration dedup, Duration releases) {
    return new Pruner(
        backlog, time, Pruner.Settings.of(dedup, releases), gateNeeds::get, seen::add);
  }

  private void twoDoneAndOneWaiting() {
    backlog.append(numbered(1, 3), time.now());
    List<Job> jobs = backlog.claim(2, Duration.ofSeconds(30), time.now());
    backlog.settle(jobs.stream().map(Settlement::done).toList(), time.now());
  }

  @Test
  void pruneOnce_whenHorizonsPassed_deletesAndTellsTheObserver() {
    twoDoneAndOneWaiting();
    Pruner pruner = pruner(Duration.ofMinutes(1), Duration.ofMinutes(2));

    time.advance(Duration.ofSeconds(90));
    Pruned afterDedup = pruner.pruneOnce();
    time.advance(Duration.ofSeconds(60));
    Pruned afterReleases = pruner.pruneOnce();

    // the events go after 1m; the releases after 2m, all but the newest
    assertThat(afterDedup.events()).isEqualTo(2);
    assertThat(afterDedup.releases()).isZero();
    assertThat(afterReleases.releases()).isEqualTo(1);
    assertThat(seen).containsExactly(afterDedup, afterReleases);
  }

  @Test
  void pruneOnce_whileItMayNotPrune_deletesNothing_andDoesOnceItMay() {
    twoDoneAndOneWaiting();
    AtomicBoolean holdsGate = new AtomicBoolean(false);
    Pruner pruner =
        new Pruner(
            backlog,
            time,
            Pruner.Settings.of(Duration.ofMinutes(1), Duration.ofMinutes(2)),
            gateNeeds::get,
            seen::add,
            holdsGate::get);
    time.advance(Duration.ofMinutes(3));

    assertThat(pruner.pruneOnce().events()).isZero();
    assertThat(backlog.stats(time.now()).done()).isEqualTo(2);

    holdsGate.set(true);
    assertThat(pruner.pruneOnce().events()).isEqualTo(2);
  }

  @Test
  void pruneOnce_whenGateNeedsMoreThanTheHorizons_waitsForWhatTheGateNeeds() {
    twoDoneAndOneWaiting();
    // an operator lengthened a window at runtime beyond the configured horizons
    gateNeeds.set(Duration.ofMinutes(10));
    Pruner pruner = pruner(Duration.ofMinutes(1), Duration.ofMinutes(1));

    time.advance(Duration.ofMinutes(5));
    Pruned tooEarly = pruner.pruneOnce();
    time.advance(Duration.ofMinutes(6));
    Pruned later = pruner.pruneOnce();

    assertThat(tooEarly).isEqualTo(Pruned.NOTHING);
    assertThat(later.events()).isEqualTo(2);
    assertThat(later.releases()).isEqualTo(1);
    assertThat(seen).containsExactly(later);
  }
}
