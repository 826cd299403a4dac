package dev.sluice.s3endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class S3SequencerTest {
  private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void next_whenTimeStandsStill_stillIncreases() {
    S3Sequencer sequencer = new S3Sequencer();

    String first = sequencer.next(T);
    String second = sequencer.next(T);

    assertThat(second).isGreaterThan(first);
  }

  @Test
  void next_whenClockStepsBack_neverGoesBackwards() {
    S3Sequencer sequencer = new S3Sequencer();

    String later = sequencer.next(T.plusSeconds(10));
    String afterStepBack = sequencer.next(T);

    assertThat(afterStepBack).isGreaterThan(later);
  }

  @Test
  void next_whenFresh_isTheWriteTimeInEpochNanosAsSixteenHexDigits() {
    // 2026-03-01T12:00:00Z = 1772366400 s since the epoch.
    long epochNanos = 1_772_366_400L * 1_000_000_000L;

    assertThat(new S3Sequencer().next(T)).isEqualTo(String.format("%016X", epochNanos));
  }

  @Test
  void format_whenValuesDifferInLength_sortsAsNumbers() {
    assertThat(S3Sequencer.format(0xFF)).isLessThan(S3Sequencer.format(0x100));
    assertThat(S3Sequencer.format(0xFF)).hasSize(16);
  }
}
