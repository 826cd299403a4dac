package dev.sluice.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.gate.CapacitySchedule;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.gate.ScheduleRule;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The {@code schedule:} section: rules read onto {@link CapacitySchedule}, errors naming keys. */
class ScheduleConfigTest {

  private static final String SCHEDULE =
      """
      limits:
        window: { limit: 20, every: 1m }
      schedule:
        zone: Europe/Berlin
        rules:
          - name: backup
            from: "02:00"
            until: "04:00"
            blackout: true
          - name: night
            days: [weekdays, Sun]
            from: "22:00"
            until: "06:00"
            limits:
              window: { limit: 500, every: 1m }
              concurrency: { max-in-flight: 40 }
          - name: weekend
            days: weekend
            from: "00:00"
            until: "24:00"
            limits:
              rate: { per-second: 5, burst: 10 }
      """;

  private static String errorOf(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml));
    assertThat(e).as("expected a ConfigException for:\n%s", yaml).isNotNull();
    assertThat(e.getMessage()).doesNotContain("\n");
    return e.getMessage();
  }

  private static String rules(String rule) {
    return "schedule:\n  zone: UTC\n  rules:\n    - " + rule.replace("\n", "\n      ") + "\n";
  }

  @Test
  void parse_aSchedule_readsEveryRule() {
    SluiceConfig config = ConfigLoader.parse(SCHEDULE);

    CapacitySchedule s = config.schedule();
    assertThat(s.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(s.rules())
        .containsExactly(
            ScheduleRule.blackout(
                "backup", EnumSet.allOf(DayOfWeek.class), LocalTime.of(2, 0), LocalTime.of(4, 0)),
            new ScheduleRule(
                "night",
                EnumSet.complementOf(EnumSet.of(DayOfWeek.SATURDAY)),
                LocalTime.of(22, 0),
                LocalTime.of(6, 0),
                false,
                new Limits.Window(500, Duration.ofMinutes(1), false),
                null,
                40),
            new ScheduleRule(
                "weekend",
                EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY),
                LocalTime.MIDNIGHT,
                LocalTime.MIDNIGHT,
                false,
                null,
                new Limits.Rate(5, 10),
                null));
    // The base stays what the limits section says.
    assertThat(config.limits()).isEqualTo(Limits.window(20, Duration.ofMinutes(1)));
  }

  @Test
  void parse_withoutASchedule_hasNone() {
    assertThat(ConfigLoader.parse("limits: { window: { limit: 5, every: 1s } }\n").schedule())
        .isEqualTo(CapacitySchedule.NONE);
  }

  @Test
  void write_thenRead_givesTheSameSchedule() {
    CapacitySchedule s = ConfigLoader.parse(SCHEDULE).schedule();
    ObjectMapper json = new ObjectMapper();

    assertThat(ScheduleDocument.read(ScheduleDocument.write(s, json))).isEqualTo(s);
  }

  @Test
  void parse_whenTheZoneIsMissingOrUnknown_namesScheduleZone() {
    assertThat(
            errorOf(
                "schedule:\n  rules:\n    - {name: n, from: '01:00', until: '02:00',"
                    + " blackout: true}\n"))
        .startsWith("schedule.zone: required");
    assertThat(errorOf("schedule:\n  zone: Mars/Olympus\n"))
        .isEqualTo("schedule.zone: unknown time zone 'Mars/Olympus' (for example Europe/Berlin)");
  }

  @Test
  void parse_whenATimeIsBad_namesTheRuleAndKey() {
    assertThat(errorOf(rules("{name: n, from: '25:00', until: '02:00', blackout: true}")))
        .startsWith("schedule.rules[0].from: expected a local time HH:MM or HH:MM:SS");
    assertThat(errorOf(rules("{name: n, from: '01:00', blackout: true}")))
        .startsWith("schedule.rules[0].until: required");
  }

  @Test
  void parse_timesWrittenWithoutQuotes_areReadAsTimes() {
    CapacitySchedule s =
        ConfigLoader.parse(rules("{name: n, from: 22:00, until: 06:30:15, blackout: true}"))
            .schedule();

    assertThat(s.rules().get(0).from()).isEqualTo(LocalTime.of(22, 0));
    assertThat(s.rules().get(0).until()).isEqualTo(LocalTime.of(6, 30, 15));
  }

  @Test
  void parse_whenADayIsUnknown_namesScheduleDays() {
    assertThat(
            errorOf(
                rules(
                    "{name: n, days: [mon, funday], from: '01:00', until: '02:00',"
                        + " blackout: true}")))
        .startsWith("schedule.rules[0].days: unknown day 'funday'");
  }

  @Test
  void parse_whenARuleSetsNothingOrBoth_saysWhat() {
    assertThat(errorOf(rules("{name: n, from: '01:00', until: '02:00'}")))
        .isEqualTo("schedule.rules[0]: set limits (window, rate or concurrency) or blackout: true");
    assertThat(
            errorOf(
                rules(
                    "{name: n, from: '01:00', until: '02:00', blackout: true,"
                        + " limits: {window: {limit: 5, every: 1m}}}")))
        .startsWith("schedule.rules[0].limits: a blackout releases nothing");
  }

  @Test
  void parse_whenARulesLimitIsBad_namesItsFullKey() {
    assertThat(
            errorOf(
                rules(
                    "{name: n, from: '01:00', until: '02:00',"
                        + " limits: {window: {limit: 0, every: 1m}}}")))
        .isEqualTo("schedule.rules[0].limits.window.limit: must be > 0, got 0");
    assertThat(errorOf(rules("{name: n, from: '01:00', until: '02:00', limts: {}}")))
        .startsWith("unknown key 'limts' in schedule.rules[0]");
  }

  @Test
  void parse_whenTwoRulesShareAName_namesTheSecond() {
    String yaml =
        "schedule:\n  zone: UTC\n  rules:\n"
            + "    - {name: n, from: '01:00', until: '02:00', blackout: true}\n"
            + "    - {name: n, from: '03:00', until: '04:00', blackout: true}\n";
    assertThat(errorOf(yaml)).startsWith("schedule.rules[1].name: 'n' names an earlier rule");
  }

  @Test
  void parse_whenRulesIsNotAList_saysSo() {
    assertThat(errorOf("schedule:\n  zone: UTC\n  rules: {name: n}\n"))
        .isEqualTo("schedule.rules: expected a list of mappings, got a mapping");
  }

  @Test
  void parse_whenANightWindowIsLongerThanTheReleaseLogIsKept_namesRetention() {
    String yaml =
        "retention: { releases: 1h, dedup: 1h }\n"
            + rules(
                "{name: n, from: '01:00', until: '02:00', limits: {window: {limit: 5, every: 2h}}}");
    assertThat(errorOf(yaml)).startsWith("retention.releases: must be at least 125m");
  }

  @Test
  void exampleFile_itsScheduleSectionUncommented_parses() throws Exception {
    // Surefire runs in the module directory; the example lives at the repository root.
    String example =
        java.nio.file.Files.readString(java.nio.file.Path.of("..", "sluice.example.yaml"));
    StringBuilder section = new StringBuilder();
    boolean in = false;
    for (String line : example.split("\n")) {
      if (line.startsWith("# schedule:")) {
        in = true;
      } else if (in && !line.startsWith("#")) {
        break;
      }
      if (in) {
        section.append(line.substring(Math.min(2, line.length()))).append('\n');
      }
    }

    CapacitySchedule s = ConfigLoader.parse(section.toString()).schedule();

    assertThat(s.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(s.rules()).extracting(ScheduleRule::name).containsExactly("backup", "night");
    assertThat(s.rules().get(1).window())
        .isEqualTo(new Limits.Window(500, Duration.ofMinutes(1), false));
  }
}
