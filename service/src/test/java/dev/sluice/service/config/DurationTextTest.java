package dev.sluice.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {

  @Test
  void parse_whenShortForms_givesDurations() {
    assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationText.parse("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(DurationText.parse("1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(DurationText.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationText.parse("1d")).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void parse_whenIso8601_givesDuration() {
    assertThat(DurationText.parse("PT2S")).isEqualTo(Duration.ofSeconds(2));
    assertThat(DurationText.parse("pt1m30s")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void parse_whenNoUnitOrUnknownUnit_throwsNamingTheForms() {
    for (String bad :
        new String[] {"2", "2 seconds", "1.5s", "-1s", "", "PTxS", "99999999999999999999d"}) {
      assertThatThrownBy(() -> DurationText.parse(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("expected a duration like 500ms, 2s, 1m, 1h or PT2S, got '" + bad + "'");
    }
  }

  @Test
  void format_whenWholeUnits_givesShortestForm() {
    assertThat(DurationText.format(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(DurationText.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(DurationText.format(Duration.ZERO)).isEqualTo("0s");
  }
}
