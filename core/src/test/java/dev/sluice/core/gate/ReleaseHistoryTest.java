package dev.sluice.core.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseHistoryTest {

  @Test
  void add_atTheSameInstant_mergesIntoOneBatch() {
    ReleaseHistory history = new ReleaseHistory();

    history.add(5, 300);
    history.add(5, 200);

    assertThat(history.batches()).containsExactly(new ReleaseHistory.Batch(5, 500));
    assertThat(history.total()).isEqualTo(500);
  }

  @Test
  void add_whenEarlierThanTheLatest_takesItsPlaceInTimeOrder() {
    ReleaseHistory history = new ReleaseHistory();
    history.add(10, 1);

    history.add(7, 2);
    history.add(10, 4);

    assertThat(history.batches())
        .containsExactly(new ReleaseHistory.Batch(7, 2), new ReleaseHistory.Batch(10, 5));
    assertThat(history.nanosOfNth(2)).isEqualTo(7);
    assertThat(history.nanosOfNth(3)).isEqualTo(10);
  }

  @Test
  void forgetOlderThan_dropsReleasesExactlyAHorizonOldAndKeepsYoungerOnes() {
    ReleaseHistory history =
        ReleaseHistory.of(List.of(new ReleaseHistory.Batch(20, 2), new ReleaseHistory.Batch(0, 1)));

    history.forgetOlderThan(99, 100);
    assertThat(history.total()).isEqualTo(3);
    history.forgetOlderThan(100, 100);
    assertThat(history.total()).isEqualTo(2);
    history.forgetOlderThan(119, 100);
    assertThat(history.total()).isEqualTo(2);
    history.forgetOlderThan(120, 100);
    assertThat(history.total()).isZero();
  }

  @Test
  void nanosOfNth_countsReleasesWithinBatches() {
    ReleaseHistory history = new ReleaseHistory();
    history.add(0, 3);
    history.add(10, 2);

    assertThat(history.nanosOfNth(3)).isEqualTo(0);
    assertThat(history.nanosOfNth(4)).isEqualTo(10);
  }
}
