package dev.sluice.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class MicrosTest {

  @Test
  void of_whenInstantHasNanoseconds_truncatesToMicroseconds() {
    assertThat(Micros.of(Instant.parse("2026-03-01T12:00:00.123456789Z")))
        .isEqualTo(1_772_366_400_123_456L);
  }

  @Test
  void truncate_whenBeforeTheEpoch_floorsLikeInstantTruncation() {
    Instant before = Instant.parse("1969-12-31T23:59:59.999999500Z");

    assertThat(Micros.of(before)).isEqualTo(-1L);
    assertThat(Micros.truncate(before)).isEqualTo(before.truncatedTo(ChronoUnit.MICROS));
  }

  @Test
  void toInstant_whenRoundTripped_returnsTheSameMicroseconds() {
    Instant t = Instant.parse("2026-03-01T12:00:00.654321Z");

    assertThat(Micros.toInstant(Micros.of(t))).isEqualTo(t);
  }
}
