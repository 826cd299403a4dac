package dev.sluice.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.InMemoryBacklog;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.gate.CapacitySchedule;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.gate.ScheduleRule;
import dev.sluice.core.time.ManualTimeSource;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher under a capacity schedule in virtual time: the release log follows the schedule to
 * the second, across a daylight-saving change.
 */
class DispatcherScheduleTest {

  private static final Set<DayOfWeek> EVERY_DAY = EnumSet.allOf(DayOfWeek.class);
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static Limits perMinute(int n) {
    return Limits.window(n, Duration.ofMinutes(1));
  }

  /**
   * Base 20 a minute; a day rule 10 a minute from 09:00:30 until 17:00:30, a night rule 60 a minute
   * from 22:00 until 06:00, a backup blackout from 02:00 until 04:00, Berlin time.
   */
  private static final CapacitySchedule SCHEDULE =
      new CapacitySchedule(
          BERLIN,
          List.of(
              ScheduleRule.blackout("backup", EVERY_DAY, LocalTime.of(2, 0), LocalTime.of(4, 0)),
              ScheduleRule.limits(
                  "night", EVERY_DAY, LocalTime.of(22, 0), LocalTime.of(6, 0), perMinute(60)),
              ScheduleRule.limits(
                  "day",
                  EVERY_DAY,
                  LocalTime.of(9, 0, 30),
                  LocalTime.of(17, 0, 30),
                  perMinute(10))));

  /** A limit per minute from an instant (UTC) on; 0 is the blackout. */
  private record Period(Instant from, int perMinute) {}

  /**
   * The schedule above in UTC, worked out by hand. Berlin is UTC+1 until 2026-03-29T01:00Z, when
   * the clocks jump from 02:00 to 03:00 (UTC+2): that night's blackout runs from 03:00 local (the
   * jump lands inside 02:00-04:00) until 04:00 local, one hour.
   */
  private static final List<Period> SPRING_BY_HAND =
      List.of(
          new Period(Instant.parse("2026-03-28T11:00:00Z"), 10), // Sat 12:00 CET, day
          new Period(Instant.parse("2026-03-28T16:00:30Z"), 20), // 17:00:30 CET, base
          new Period(Instant.parse("2026-03-28T21:00:00Z"), 60), // 22:00 CET, night
          new Period(Instant.parse("2026-03-29T01:00:00Z"), 0), // 03:00 CEST, backup
          new Period(Instant.parse("2026-03-29T02:00:00Z"), 60), // 04:00 CEST, night again
          new Period(Instant.parse("2026-03-29T04:00:00Z"), 20), // 06:00 CEST, base
          new Period(Instant.parse("2026-03-29T07:00:30Z"), 10)); // 09:00:30 CEST, day

  private static final Instant START = Instant.parse("2026-03-28T11:00:00Z");

  /**
   * The same schedule on the autumn day, by hand. Berlin is UTC+2 until 2026-10-25T01:00Z, when the
   * clocks go back from 03:00 to 02:00 (UTC+1): that night's blackout runs from the first 02:00
   * (00:00Z) through the repeated hour until 04:00 CET (03:00Z), three hours.
   */
  private static final List<Period> AUTUMN_BY_HAND =
      List.of(
          new Period(Instant.parse("2026-10-24T10:00:00Z"), 10), // Sat 12:00 CEST, day
          new Period(Instant.parse("2026-10-24T15:00:30Z"), 20), // 17:00:30 CEST, base
          new Period(Instant.parse("2026-10-24T20:00:00Z"), 60), // 22:00 CEST, night
          new Period(Instant.parse("2026-10-25T00:00:00Z"), 0), // 02:00 CEST, backup
          new Period(Instant.parse("2026-10-25T03:00:00Z"), 60), // 04:00 CET, night again
          new Period(Instant.parse("2026-10-25T05:00:00Z"), 20), // 06:00 CET, base
          new Period(Instant.parse("2026-10-25T08:00:30Z"), 10)); // 09:00:30 CET, day

  private static int limitAt(List<Period> byHand, Instant t) {
    int limit = -1;
    for (Period p : byHand) {
      if (!t.isBefore(p.from())) {
        limit = p.perMinute();
      }
    }
    return limit;
  }

  /**
   * Runs the dispatcher under {@link #SCHEDULE} over a base of 20 a minute from {@code start} to
   * {@code end}, a tick at every second, with more events waiting than it can release; checks the
   * release log second by second against what the hand-made timetable and a sliding minute allow,
   * and returns the releases per second.
   */
  private static int[] runDay(Instant start, Instant end, List<Period> byHand) {
    ManualTimeSource time = new ManualTimeSource(start);
    Backlog backlog = new InMemoryBacklog();
    List<ObjectEvent> events = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      events.add(ObjectEvent.created("data", String.format("in/part-%05d", i), "test"));
    }
    backlog.append(events, time.now());
    Dispatcher d =
        new Dispatcher(
            backlog,
            ScriptedTarget.completing(),
            new Gate(perMinute(20)),
            time,
            DispatcherConfig.defaults().withLead(Duration.ZERO),
            Runnable::run,
            new Random(1),
            SCHEDULE);

    int seconds = (int) Duration.between(start, end).getSeconds();
    for (int s = 0; s <= seconds; s++) {
      while (d.tick() > 0) {
        // all the gate allows at this second
      }
      time.advance(Duration.ofSeconds(1));
    }

    int[] actual = new int[seconds + 1];
    long after = 0;
    for (List<ReleaseRecord> page; !(page = backlog.releases(start, after, 10_000)).isEmpty(); ) {
      for (ReleaseRecord r : page) {
        after = r.releaseId();
        Duration since = Duration.between(start, r.releasedAt());
        assertThat(since.getNano()).as("released on a whole second").isZero();
        actual[(int) since.getSeconds()]++;
      }
    }
    // The oracle: at each second, what the period's limit leaves of a sliding minute.
    int[] expected = new int[seconds + 1];
    for (int s = 0; s <= seconds; s++) {
      int inLastMinute = 0;
      for (int back = Math.max(0, s - 59); back < s; back++) {
        inLastMinute += expected[back];
      }
      expected[s] = Math.max(0, limitAt(byHand, start.plusSeconds(s)) - inLastMinute);
    }
    for (int s = 0; s <= seconds; s++) {
      assertThat(actual[s]).as("releases at %s", start.plusSeconds(s)).isEqualTo(expected[s]);
    }
    assertThat(d.capacity().rules()).containsExactly("day");
    return actual;
  }

  @Test
  void tick_overADayAcrossTheSpringChange_releasesPerSecondAsTheScheduleSays() {
    int[] actual =
        runDay(START, Instant.parse("2026-03-29T10:00:00Z"), SPRING_BY_HAND); // to Sun 12:00 CEST

    // A few seconds worked out in full by hand.
    assertThat(actual[0]).isEqualTo(10); // 11:00:00Z: the day's 10
    assertThat(actual[at("2026-03-28T16:00:00Z")]).isEqualTo(10);
    // 16:00:30Z: the base's 20 a minute, 10 of them used at 16:00:00
    assertThat(actual[at("2026-03-28T16:00:30Z")]).isEqualTo(10);
    // The base's 20 go out as 10 on each half minute since 16:00:30; at 21:00:00Z the night's 60
    // count the 10 of 20:59:30 still in the minute, and those leave at 21:00:30.
    assertThat(actual[at("2026-03-28T20:59:30Z")]).isEqualTo(10);
    assertThat(actual[at("2026-03-28T21:00:00Z")]).isEqualTo(50);
    assertThat(actual[at("2026-03-28T21:00:30Z")]).isEqualTo(10);
    // The night keeps that rhythm, 50 on the minute and 10 on the half, until the backup.
    assertThat(actual[at("2026-03-29T00:59:00Z")]).isEqualTo(50);
    assertThat(actual[at("2026-03-29T00:59:30Z")]).isEqualTo(10);
    int blackout = 0;
    for (int s = at("2026-03-29T01:00:00Z"); s < at("2026-03-29T02:00:00Z"); s++) {
      blackout += actual[s];
    }
    assertThat(blackout).as("released during the backup").isZero();
    // After an hour of nothing the minute is empty: the whole 60 at once.
    assertThat(actual[at("2026-03-29T02:00:00Z")]).isEqualTo(60);
    // 07:00:30Z: the day's 10 a minute, but 07:00:00's 20 are still in the minute: none until
    // they leave at 07:01:00.
    assertThat(actual[at("2026-03-29T07:00:30Z")]).isZero();
    assertThat(actual[at("2026-03-29T07:01:00Z")]).isEqualTo(10);
  }

  @Test
  void tick_overADayAcrossTheAutumnChange_releasesPerSecondAsTheScheduleSays() {
    Instant start = Instant.parse("2026-10-24T10:00:00Z");
    int[] actual =
        runDay(start, Instant.parse("2026-10-25T11:00:00Z"), AUTUMN_BY_HAND); // to Sun 12:00 CET

    // The backup holds three hours of UTC: nothing from 00:00Z until 03:00Z, then the night's 60.
    int from = (int) Duration.between(start, Instant.parse("2026-10-25T00:00:00Z")).getSeconds();
    int until = (int) Duration.between(start, Instant.parse("2026-10-25T03:00:00Z")).getSeconds();
    int inBackup = 0;
    for (int s = from; s < until; s++) {
      inBackup += actual[s];
    }
    assertThat(inBackup).isZero();
    assertThat(actual[from - 60]).as("23:59:00Z, the night").isEqualTo(50);
    assertThat(actual[until]).as("03:00:00Z, after the backup").isEqualTo(60);
  }

  private static int at(String utc) {
    return (int) Duration.between(START, Instant.parse(utc)).getSeconds();
  }

  @Test
  void tick_whenABlackoutStartsWithinTheLead_grantsNothingAheadIntoIt() {
    Instant start = Instant.parse("2026-06-01T23:59:59Z"); // 01:59:59 CEST
    ManualTimeSource time = new ManualTimeSource(start);
    Backlog backlog = new InMemoryBacklog();
    backlog.append(
        List.of(ObjectEvent.created("data", "a", "test"), ObjectEvent.created("data", "b", "test")),
        time.now());
    CapacitySchedule backup =
        new CapacitySchedule(
            BERLIN,
            List.of(
                ScheduleRule.blackout(
                    "backup", EVERY_DAY, LocalTime.of(2, 0), LocalTime.of(4, 0))));
    // Jobs are only queued: one granted ahead would wait in its worker for its instant.
    Queue<Runnable> pending = new ArrayDeque<>();
    Dispatcher d =
        new Dispatcher(
            backlog,
            ScriptedTarget.completing(),
            new Gate(Limits.window(1, Duration.ofSeconds(1))),
            time,
            DispatcherConfig.defaults().withLead(Duration.ofMillis(50)),
            pending::add,
            new Random(1),
            backup);
    assertThat(d.tick()).isEqualTo(1);
    runAll(pending); // it reaches the target at 01:59:59
    d.applyOutcomes();
    assertThat(d.capacity().nextChange()).isEqualTo(Instant.parse("2026-06-02T00:00:00Z"));

    // The window frees again at 02:00:00, within the lead of 01:59:59.960, but that is the
    // backup's first instant: nothing is claimed ahead for it.
    time.advance(Duration.ofMillis(960));
    assertThat(d.tick()).isZero();
    time.advance(Duration.ofMillis(40));
    assertThat(d.tick()).isZero();
    assertThat(d.capacity().blackout()).isTrue();
    assertThat(d.capacity().nextChange()).isEqualTo(Instant.parse("2026-06-02T02:00:00Z"));
    time.advance(Duration.ofHours(2));
    assertThat(d.tick()).isEqualTo(1);
    runAll(pending);
    assertThat(backlog.releases(start, 0, 10))
        .extracting(ReleaseRecord::releasedAt)
        .containsExactly(start, Instant.parse("2026-06-02T02:00:00Z"));
  }

  @Test
  void start_inABlackout_releasesAtItsEndWithoutBeingWoken() {
    Instant start = Instant.parse("2026-06-02T01:59:59Z"); // 03:59:59 CEST, in the backup
    ManualTimeSource time = new ManualTimeSource(start);
    Backlog backlog = new InMemoryBacklog();
    CapacitySchedule backup =
        new CapacitySchedule(
            BERLIN,
            List.of(
                ScheduleRule.blackout(
                    "backup", EVERY_DAY, LocalTime.of(2, 0), LocalTime.of(4, 0))));
    ScriptedTarget target = ScriptedTarget.completing();
    // An idle poll of an hour: only the schedule's boundary can bring the loop back in time.
    Dispatcher d =
        new Dispatcher(
            backlog,
            target,
            new Gate(Limits.none()),
            time,
            DispatcherConfig.defaults().withLead(Duration.ZERO).withIdlePoll(Duration.ofHours(1)),
            Runnable::run,
            new Random(1),
            backup);
    backlog.append(List.of(ObjectEvent.created("data", "a", "test")), time.now());
    d.start();
    try {
      d.wake(); // it sees the event, in the blackout, and sleeps until the blackout's end
      long passes = d.releasePasses();
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> d.releasePasses() > passes);
      assertThat(target.received).isEmpty();

      time.advance(Duration.ofSeconds(1)); // 04:00:00 CEST; nothing else happens

      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> target.received.size() == 1);
      assertThat(backlog.releases(start, 0, 10))
          .extracting(ReleaseRecord::releasedAt)
          .containsExactly(Instant.parse("2026-06-02T02:00:00Z"));
    } finally {
      d.stop(1_000);
    }
  }

  private static void runAll(Queue<Runnable> pending) {
    for (Runnable job; (job = pending.poll()) != null; ) {
      job.run();
    }
  }

  @Test
  void setLimits_underASchedule_changesTheBaseAndKeepsTheRulesParts() {
    ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-06-01T22:00:00Z")); // 00:00
    Gate gate = new Gate(perMinute(20));
    Dispatcher d =
        new Dispatcher(
            new InMemoryBacklog(),
            ScriptedTarget.completing(),
            gate,
            time,
            DispatcherConfig.defaults().withLead(Duration.ZERO),
            Runnable::run,
            new Random(1),
            SCHEDULE);
    assertThat(gate.limits()).isEqualTo(perMinute(60)); // night

    d.setLimits(perMinute(30).withMaxInFlight(5));

    assertThat(d.limits()).isEqualTo(perMinute(30).withMaxInFlight(5));
    assertThat(gate.limits()).isEqualTo(perMinute(60).withMaxInFlight(5));
    // The night's window is a minute, as long as the base's: the gate keeps that much.
    assertThat(gate.historyNeeded()).isEqualTo(Duration.ofMinutes(1));
  }
}
