package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.gate.CapacitySchedule;
import dev.sluice.core.gate.Limits;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice schedule}: set from a file, show, clear, and refuse a bad file. */
class ScheduleCommandTest {
  @TempDir Path dataDir;
  @TempDir Path files;

  private static final Limits FIVE_PER_MINUTE = Limits.window(5, Duration.ofMinutes(1));

  @Test
  void schedule_setFromAFile_isAppliedAndShown() throws Exception {
    Path file = files.resolve("schedule.yaml");
    Files.writeString(
        file,
        """
        schedule:
          zone: Europe/Berlin
          rules:
            - name: backup
              from: "02:00"
              until: "04:00"
              blackout: true
            - name: night
              days: [mon, tue, wed, thu, fri]
              from: "22:00"
              until: "06:00"
              limits:
                window: { limit: 500, every: 1m }
        """);
    try (InProcessSluice sluice =
        InProcessSluice.start(dataDir, RecordingTarget.completing(), FIVE_PER_MINUTE, true)) {
      CliRun set = CliRun.of("schedule", "--url", sluice.url(), "--set", file.toString());

      assertThat(set.exitCode()).as(set.err()).isZero();
      assertThat(set.out())
          .contains("zone Europe/Berlin")
          .containsPattern("backup\\s+every day 02:00-04:00\\s+blackout")
          .containsPattern("night\\s+mon,tue,wed,thu,fri 22:00-06:00\\s+500 per 1m \\(sliding\\)")
          .contains("now ");
      CapacitySchedule applied = sluice.service().sluice().schedule();
      assertThat(applied.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
      assertThat(applied.rules()).hasSize(2);
      assertThat(applied.rules().get(1).days()).doesNotContain(DayOfWeek.SATURDAY);
      assertThat(applied.rules().get(1).until()).isEqualTo(LocalTime.of(6, 0));
      assertThat(sluice.service().sluice().limits()).isEqualTo(FIVE_PER_MINUTE);

      CliRun show = CliRun.of("schedule", "--url", sluice.url());
      assertThat(show.exitCode()).isZero();
      // The same rules; the line for now may differ, should a change fall in between.
      assertThat(show.out().replaceAll("now .*", "")).isEqualTo(set.out().replaceAll("now .*", ""));

      // sluice status shows what the schedule gives now, whatever the hour.
      CliRun status = CliRun.of("status", "--url", sluice.url());
      assertThat(status.out()).containsPattern("(?m)^schedule +.*; next change 20");

      CliRun clear = CliRun.of("schedule", "--url", sluice.url(), "--clear");
      assertThat(clear.exitCode()).isZero();
      assertThat(clear.out())
          .contains("no schedule")
          .contains("now base limits: 5 per 1m (sliding)");
      assertThat(sluice.service().sluice().schedule().rules()).isEmpty();
    }
  }

  @Test
  void schedule_whenTheFileBreaksARule_failsWithOneLineNamingTheKeyAndChangesNothing()
      throws Exception {
    Path file = files.resolve("bad.yaml");
    Files.writeString(
        file,
        """
        zone: Europe/Berlin
        rules:
          - name: night
            from: "10pm"
            until: "06:00"
            limits: { window: { limit: 500, every: 1m } }
        """);
    try (InProcessSluice sluice =
        InProcessSluice.start(dataDir, RecordingTarget.completing(), FIVE_PER_MINUTE, true)) {
      CliRun run = CliRun.of("schedule", "--url", sluice.url(), "--set", file.toString());

      assertThat(run.exitCode()).isNotZero();
      assertThat(run.out()).isEmpty();
      assertThat(run.errLines()).hasSize(1);
      assertThat(run.err()).contains("schedule.rules[0].from").contains("10pm");
      assertThat(sluice.service().sluice().schedule()).isEqualTo(CapacitySchedule.NONE);
    }
  }
}
