package dev.sluice.core.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.gate.CapacitySchedule;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.gate.ScheduleRule;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The forecast under a capacity schedule: a blackout delays it, a night limit changes its pace. */
class DrainForecastScheduleTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final Limits TEN_A_MINUTE = Limits.window(10, Duration.ofMinutes(1));

  private static final CapacitySchedule SCHEDULE =
      new CapacitySchedule(
          BERLIN,
          List.of(
              ScheduleRule.blackout(
                  "backup", EnumSet.allOf(DayOfWeek.class), LocalTime.of(2, 0), LocalTime.of(4, 0)),
              ScheduleRule.limits(
                  "night",
                  EnumSet.allOf(DayOfWeek.class),
                  LocalTime.of(22, 0),
                  LocalTime.of(2, 0),
                  Limits.window(60, Duration.ofMinutes(1)))));

  private static DrainForecast forecast(String now) {
    return new DrainForecast(
        new ForecastBasis(
            Instant.parse(now),
            TEN_A_MINUTE,
            List.of(),
            0,
            Duration.ZERO,
            Duration.ZERO,
            SCHEDULE));
  }

  @Test
  void startOf_beforeABlackout_waitsForItsEnd() {
    // 01:30 CEST: the night's 60 a minute until 02:00 CEST (00:00Z), 30 minutes of them; nothing
    // until 04:00 CEST (02:00Z); then the base's 10 a minute.
    DrainForecast f = forecast("2026-06-01T23:30:00Z");

    assertThat(f.startOf(0)).isEqualTo(Instant.parse("2026-06-01T23:30:00Z"));
    assertThat(f.startOf(1799)).isEqualTo(Instant.parse("2026-06-01T23:59:00Z"));
    assertThat(f.startOf(1800)).isEqualTo(Instant.parse("2026-06-02T02:00:00Z"));
    assertThat(f.startOf(1809)).isEqualTo(Instant.parse("2026-06-02T02:00:00Z"));
    assertThat(f.startOf(1810)).isEqualTo(Instant.parse("2026-06-02T02:01:00Z"));
    assertThat(f.drain(1850).lastStart()).isEqualTo(Instant.parse("2026-06-02T02:04:00Z"));
  }

  @Test
  void startOf_acrossTheNightsStart_takesTheNightsPace() {
    // 21:55 CEST: 10 a minute until 22:00 CEST (20:00Z), then 60 a minute.
    DrainForecast f = forecast("2026-06-01T19:55:00Z");

    assertThat(f.startOf(49)).isEqualTo(Instant.parse("2026-06-01T19:59:00Z"));
    // 19:59's 10 leave the minute at 20:00 exactly: the night's whole 60 then.
    assertThat(f.startOf(50)).isEqualTo(Instant.parse("2026-06-01T20:00:00Z"));
    assertThat(f.startOf(109)).isEqualTo(Instant.parse("2026-06-01T20:00:00Z"));
    assertThat(f.startOf(110)).isEqualTo(Instant.parse("2026-06-01T20:01:00Z"));
  }

  @Test
  void startOf_whenTheNightEndsMidWindow_countsTheNightsStartsUnderTheDayLimit() {
    CapacitySchedule nightOnly =
        new CapacitySchedule(BERLIN, List.of(SCHEDULE.rules().get(1))); // no backup
    // 01:59:30 CEST: the night's 60 at once; from 02:00 CEST (00:00Z) the base's 10 a minute,
    // which those 60 fill until they leave the minute at 00:00:30Z.
    DrainForecast f =
        new DrainForecast(
            new ForecastBasis(
                Instant.parse("2026-06-01T23:59:30Z"),
                TEN_A_MINUTE,
                List.of(),
                0,
                Duration.ZERO,
                Duration.ZERO,
                nightOnly));

    assertThat(f.startOf(59)).isEqualTo(Instant.parse("2026-06-01T23:59:30Z"));
    assertThat(f.startOf(60)).isEqualTo(Instant.parse("2026-06-02T00:00:30Z"));
    assertThat(f.startOf(69)).isEqualTo(Instant.parse("2026-06-02T00:00:30Z"));
    assertThat(f.startOf(70)).isEqualTo(Instant.parse("2026-06-02T00:01:30Z"));
  }

  @Test
  void startOf_inABlackoutThatNeverEnds_forecastsAsIfLiftedNow() {
    CapacitySchedule always =
        new CapacitySchedule(
            BERLIN,
            List.of(
                ScheduleRule.blackout(
                    "halt",
                    EnumSet.allOf(DayOfWeek.class),
                    LocalTime.MIDNIGHT,
                    LocalTime.MIDNIGHT)));
    DrainForecast f =
        new DrainForecast(
            new ForecastBasis(
                Instant.parse("2026-06-01T12:00:00Z"),
                TEN_A_MINUTE,
                List.of(),
                0,
                Duration.ZERO,
                Duration.ZERO,
                always));

    assertThat(f.startOf(10)).isEqualTo(Instant.parse("2026-06-01T12:01:00Z"));
  }

  @Test
  void steadyPerSecond_isThePaceOfTheLimitsInEffectNow() {
    assertThat(forecast("2026-06-01T20:30:00Z").steadyPerSecond()).isEqualTo(1.0);
    assertThat(forecast("2026-06-01T12:00:00Z").steadyPerSecond()).isEqualTo(10 / 60.0);
  }
}
