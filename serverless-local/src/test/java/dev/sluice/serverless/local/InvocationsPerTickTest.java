package dev.sluice.serverless.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InvocationsPerTickTest {
  private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

  private static Tick tick(int second, int released, String... names) {
    return new Tick(T.plusSeconds(second), 50, released, 0, 0, -1, List.of(names), "{}");
  }

  @Test
  void of_countsEachStartedExecutionForTheTickThatSentItsName_andDropsTrailingEmptyTicks() {
    List<Tick> ticks =
        List.of(tick(0, 2, "a", "b"), tick(2, 0), tick(4, 2, "c", "a"), tick(6, 0), tick(8, 0));

    InvocationsPerTick perTick = InvocationsPerTick.of(ticks, Set.of("a", "b", "c", "other"));

    assertThat(perTick.counts()).containsExactly(2, 0, 1);
    assertThat(perTick.released()).containsExactly(2, 0, 2);
    assertThat(perTick.line()).isEqualTo("invocations per tick: 2 0 1");
    assertThat(perTick.notStarted()).isZero();
    assertThat(perTick.agrees()).isFalse(); // "a" was sent twice: the reports say 2, the record 1
  }

  @Test
  void of_whenAReleasedNameNeverStarted_countsItAsNotStartedAndDisagrees() {
    InvocationsPerTick perTick =
        InvocationsPerTick.of(List.of(tick(0, 3, "a", "b", "c")), Set.of("a", "c"));

    assertThat(perTick.counts()).containsExactly(2);
    assertThat(perTick.notStarted()).isEqualTo(1);
    assertThat(perTick.agrees()).isFalse();
  }

  @Test
  void of_whenTheRecordHasEveryReleasedName_agrees() {
    InvocationsPerTick perTick =
        InvocationsPerTick.of(
            List.of(tick(0, 2, "a", "b"), tick(2, 1, "c")), Set.of("a", "b", "c"));

    assertThat(perTick.agrees()).isTrue();
    assertThat(perTick.releasedLine())
        .isEqualTo("released per tick (the scheduler's reports): 2 1");
  }
}
