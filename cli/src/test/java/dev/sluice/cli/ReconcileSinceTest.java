package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The forms {@code sluice reconcile --since} and {@code --until} take. */
class ReconcileSinceTest {
  private static final Instant NOW = Instant.parse("2026-12-02T10:30:00Z");

  @Test
  void since_whenAnInstant_isThatInstant() {
    assertThat(ReconcileCommand.since("2026-12-01T08:00:00Z", NOW, "--since"))
        .isEqualTo(Instant.parse("2026-12-01T08:00:00Z"));
  }

  @Test
  void since_whenADate_isItsMidnightUtc() {
    assertThat(ReconcileCommand.since("2026-11-30", NOW, "--since"))
        .isEqualTo(Instant.parse("2026-11-30T00:00:00Z"));
  }

  @Test
  void since_whenAnAge_isThatLongBeforeNow() {
    assertThat(ReconcileCommand.since("36h", NOW, "--since"))
        .isEqualTo(Instant.parse("2026-11-30T22:30:00Z"));
    assertThat(ReconcileCommand.since("10m", NOW, "--until"))
        .isEqualTo(Instant.parse("2026-12-02T10:20:00Z"));
  }

  @Test
  void since_whenNoneOfThose_namesTheOptionAndTheText() {
    assertThatThrownBy(() -> ReconcileCommand.since("last week", NOW, "--until"))
        .isInstanceOf(CliException.class)
        .hasMessageStartingWith("--until must be an instant")
        .hasMessageEndingWith("got 'last week'");
  }
}
