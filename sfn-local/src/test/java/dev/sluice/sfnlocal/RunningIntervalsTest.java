package dev.sluice.sfnlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.sfnlocal.RunningIntervals.Interval;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;

class RunningIntervalsTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private static Interval run(int startSecond, Integer stopSecond) {
    return new Interval(
        T0.plusSeconds(startSecond), stopSecond == null ? null : T0.plusSeconds(stopSecond));
  }

  @Test
  void maxAtOnce_countsTheMostIntervalsHoldingOneInstant() {
    // At 12 s: [5,15), [10,20) and [12,13) run; [0,10) stopped when [10,20) started.
    assertThat(
            RunningIntervals.maxAtOnce(
                List.of(run(0, 10), run(5, 15), run(10, 20), run(12, 13), run(16, 17))))
        .isEqualTo(3);
  }

  @Test
  void maxAtOnce_whenOneStopsAsAnotherStarts_theyDoNotOverlap() {
    assertThat(RunningIntervals.maxAtOnce(List.of(run(0, 10), run(10, 20), run(20, 30))))
        .isEqualTo(1);
  }

  @Test
  void maxAtOnce_anInstantaneousRun_countsAtItsInstant() {
    assertThat(RunningIntervals.maxAtOnce(List.of(run(3, 3)))).isEqualTo(1);
    assertThat(RunningIntervals.maxAtOnce(List.of(run(3, 3), run(3, 3)))).isEqualTo(2);
    assertThat(RunningIntervals.maxAtOnce(List.of(run(0, 3), run(3, 3)))).isEqualTo(1);
    assertThat(RunningIntervals.maxAtOnce(List.of(run(0, 4), run(3, 3)))).isEqualTo(2);
  }

  @Test
  void maxAtOnce_runsThatHaveNotStopped_runOn() {
    assertThat(RunningIntervals.maxAtOnce(List.of(run(0, null), run(100, null), run(50, 160))))
        .isEqualTo(3);
    assertThat(RunningIntervals.maxAtOnce(List.of())).isZero();
  }

  @Test
  void interval_stoppingBeforeItStarts_isRefused() {
    assertThatThrownBy(() -> run(5, 4)).hasMessageContaining("is before start");
  }

  @Test
  void recording_maxRunningAtOnce_followsTheExecutionsStartedThroughTheSdk() {
    SettableClock clock = new SettableClock(T0);
    // Each execution's duration is scripted by its name.
    Map<String, Duration> durations =
        Map.of(
            "a", Duration.ofSeconds(10),
            "b", Duration.ofSeconds(10),
            "c", Duration.ofSeconds(1),
            "d", Duration.ofSeconds(30),
            "e", Duration.ofSeconds(1));
    try (LocalStepFunctions sfn =
            LocalStepFunctions.builder()
                .stateMachine("ingest")
                .clock(clock)
                .executionDuration(e -> durations.get(e.name()))
                .finishInBackground(false)
                .start();
        SfnClient client = SfnClients.of(sfn)) {
      String machine = sfn.stateMachineArn("ingest");
      client.startExecution(r -> r.stateMachineArn(machine).name("a")); // [0, 10)
      clock.advance(Duration.ofSeconds(5));
      client.startExecution(r -> r.stateMachineArn(machine).name("b")); // [5, 15)
      clock.advance(Duration.ofSeconds(5));
      client.startExecution(r -> r.stateMachineArn(machine).name("c")); // [10, 11)
      assertThat(sfn.recording().maxRunningAtOnce()).isEqualTo(2);
      clock.advance(Duration.ofMillis(500));
      client.startExecution(r -> r.stateMachineArn(machine).name("d")); // [10.5, 40.5)
      clock.advance(Duration.ofSeconds(20));
      client.startExecution(r -> r.stateMachineArn(machine).name("e")); // [30.5, 31.5)

      assertThat(sfn.recording().maxRunningAtOnce()).isEqualTo(3);
      assertThat(sfn.recording().execution("c").orElseThrow().stoppedAt())
          .isEqualTo(T0.plusSeconds(11));
    }
  }
}
