package dev.sluice.core.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CapacityScheduleTest {

  private static final Set<DayOfWeek> EVERY_DAY = EnumSet.allOf(DayOfWeek.class);
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final Limits BASE = Limits.window(20, Duration.ofMinutes(1)).withMaxInFlight(8);

  private static final ScheduleRule BACKUP =
      ScheduleRule.blackout("backup", EVERY_DAY, LocalTime.of(2, 0), LocalTime.of(4, 0));
  private static final ScheduleRule NIGHT =
      ScheduleRule.limits(
          "night",
          EVERY_DAY,
          LocalTime.of(22, 0),
          LocalTime.of(6, 0),
          Limits.window(60, Duration.ofMinutes(1)));

  private static Capacity at(CapacitySchedule s, String utc) {
    return s.at(Instant.parse(utc), BASE);
  }

  @Test
  void at_withNoRules_givesTheBaseAndNoChange() {
    Capacity c = CapacitySchedule.NONE.at(Instant.parse("2026-01-01T00:00:00Z"), BASE);
    assertThat(c.limits()).isEqualTo(BASE);
    assertThat(c.blackout()).isFalse();
    assertThat(c.rules()).isEmpty();
    assertThat(c.nextChange()).isNull();
  }

  @Test
  void at_aRuleSettingOnlyTheWindow_keepsTheBasesMaxInFlight() {
    CapacitySchedule s = new CapacitySchedule(BERLIN, List.of(BACKUP, NIGHT));
    Capacity c = at(s, "2026-06-01T21:00:00Z"); // 23:00 CEST

    assertThat(c.limits()).isEqualTo(Limits.window(60, Duration.ofMinutes(1)).withMaxInFlight(8));
    assertThat(c.rules()).containsExactly("night");
    assertThat(c.nextChange()).isEqualTo(Instant.parse("2026-06-02T00:00:00Z")); // 02:00 CEST
  }

  @Test
  void at_inABlackout_saysSoAndWhenItEnds() {
    CapacitySchedule s = new CapacitySchedule(BERLIN, List.of(BACKUP, NIGHT));
    Capacity c = at(s, "2026-06-02T00:30:00Z"); // 02:30 CEST

    assertThat(c.blackout()).isTrue();
    assertThat(c.rules()).containsExactly("backup", "night");
    assertThat(c.nextChange()).isEqualTo(Instant.parse("2026-06-02T02:00:00Z")); // 04:00 CEST
  }

  @Test
  void at_whenTheClocksSkip0200_theBlackoutLastsAnHourFromTheJump() {
    CapacitySchedule s = new CapacitySchedule(BERLIN, List.of(BACKUP));
    // Sunday 29 March 2026: 02:00 CET becomes 03:00 CEST at 01:00Z.
    Capacity before = at(s, "2026-03-29T00:59:59Z");
    assertThat(before.blackout()).isFalse();
    assertThat(before.nextChange()).isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
    Capacity during = at(s, "2026-03-29T01:00:00Z");
    assertThat(during.blackout()).isTrue();
    assertThat(during.nextChange()).isEqualTo(Instant.parse("2026-03-29T02:00:00Z"));
  }

  @Test
  void at_whenTheClocksRepeat0200_theBlackoutLastsThreeHours() {
    CapacitySchedule s = new CapacitySchedule(BERLIN, List.of(BACKUP));
    // Sunday 25 October 2026: 03:00 CEST becomes 02:00 CET at 01:00Z; 02:00 CEST is 00:00Z.
    Capacity before = at(s, "2026-10-24T23:59:59Z");
    assertThat(before.nextChange()).isEqualTo(Instant.parse("2026-10-25T00:00:00Z"));
    Capacity during = at(s, "2026-10-25T00:00:00Z");
    assertThat(during.blackout()).isTrue();
    // Through the repeated hour: 04:00 CET is 03:00Z.
    assertThat(during.nextChange()).isEqualTo(Instant.parse("2026-10-25T03:00:00Z"));
    assertThat(at(s, "2026-10-25T01:30:00Z").blackout()).isTrue();
  }

  @Test
  void at_aRulePastMidnight_belongsToTheDayItStarts() {
    ScheduleRule fridayNight =
        ScheduleRule.limits(
            "friday-night",
            EnumSet.of(DayOfWeek.FRIDAY),
            LocalTime.of(22, 0),
            LocalTime.of(6, 0),
            Limits.none().withMaxInFlight(50));
    CapacitySchedule s = new CapacitySchedule(ZoneId.of("UTC"), List.of(fridayNight));

    assertThat(at(s, "2026-06-06T05:59:59Z").rules()).containsExactly("friday-night"); // Sat
    assertThat(at(s, "2026-06-06T06:00:00Z").rules()).isEmpty();
    assertThat(at(s, "2026-06-05T05:00:00Z").rules()).isEmpty(); // Fri morning: Thu not listed
    // From Saturday 06:00 the next change is the next Friday's 22:00.
    assertThat(at(s, "2026-06-06T06:00:00Z").nextChange())
        .isEqualTo(Instant.parse("2026-06-12T22:00:00Z"));
  }

  @Test
  void at_theFirstRuleSettingAPartWins() {
    ScheduleRule weekend =
        ScheduleRule.limits(
            "weekend",
            EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY),
            LocalTime.MIDNIGHT,
            LocalTime.MIDNIGHT,
            Limits.window(100, Duration.ofMinutes(1)).withMaxInFlight(30));
    CapacitySchedule s = new CapacitySchedule(BERLIN, List.of(NIGHT, weekend));

    Capacity saturdayNight = at(s, "2026-06-06T21:00:00Z"); // Sat 23:00 CEST
    assertThat(saturdayNight.limits())
        .isEqualTo(Limits.window(60, Duration.ofMinutes(1)).withMaxInFlight(30));
    assertThat(saturdayNight.rules()).containsExactly("night", "weekend");
  }

  @Test
  void historyNeeded_isTheLongestLimitAnyRuleBrings() {
    ScheduleRule hourly =
        ScheduleRule.limits(
            "hourly",
            EVERY_DAY,
            LocalTime.of(1, 0),
            LocalTime.of(2, 0),
            Limits.window(500, Duration.ofHours(1)));
    CapacitySchedule s = new CapacitySchedule(BERLIN, List.of(BACKUP, NIGHT, hourly));

    assertThat(s.historyNeeded(BASE)).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void rules_thatSetNothing_orABlackoutWithLimits_orTwiceOneName_areRefused() {
    assertThatThrownBy(
            () ->
                new ScheduleRule(
                    "empty",
                    EVERY_DAY,
                    LocalTime.NOON,
                    LocalTime.MIDNIGHT,
                    false,
                    null,
                    null,
                    null))
        .hasMessageContaining("rule 'empty'")
        .hasMessageContaining("set a limit");
    assertThatThrownBy(
            () ->
                new ScheduleRule(
                    "both", EVERY_DAY, LocalTime.NOON, LocalTime.MIDNIGHT, true, null, null, 3))
        .hasMessageContaining("sets no limits");
    assertThatThrownBy(() -> new CapacitySchedule(BERLIN, List.of(BACKUP, BACKUP)))
        .hasMessageContaining("'backup' is used twice");
  }
}
