package dev.sluice.sfnlocal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SfnException;

class ThrottlingTest {

  private final SettableClock clock = new SettableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private LocalStepFunctions sfn;
  private SfnClient client;
  private String machine;

  @BeforeEach
  void start() {
    sfn =
        LocalStepFunctions.builder()
            .stateMachine("ingest")
            .clock(clock)
            .startExecutionRate(5, 10)
            .finishInBackground(false)
            .start();
    client = SfnClients.of(sfn);
    machine = sfn.stateMachineArn("ingest");
  }

  @AfterEach
  void stop() {
    client.close();
    sfn.close();
  }

  @Test
  void backToBackCalls_beyondTheBucket_areThrottled_andStartNothing() {
    List<String> started = new ArrayList<>();
    List<SfnException> throttled = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String name = "obj-" + i;
      try {
        client.startExecution(r -> r.stateMachineArn(machine).name(name));
        started.add(name);
      } catch (SfnException e) {
        throttled.add(e);
      }
    }

    // The clock does not move, so the bucket of 5 is all there is.
    assertThat(started).hasSize(5);
    assertThat(throttled).hasSize(15);
    assertThat(throttled)
        .allSatisfy(
            e -> {
              assertThat(e.isThrottlingException()).isTrue();
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
              assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
            });
    assertThat(sfn.recording().startedNames()).containsExactlyElementsOf(started);
    assertThat(sfn.recording().startCounts()).isEqualTo(new StartExecutionCounts(5, 15, 0));
  }

  @Test
  void theBucketRefills_atTheConfiguredRate() {
    for (int i = 0; i < 5; i++) {
      client.startExecution(r -> r.stateMachineArn(machine));
    }
    clock.advance(Duration.ofMillis(300));

    int answered = 0;
    for (int i = 0; i < 10; i++) {
      try {
        client.startExecution(r -> r.stateMachineArn(machine));
        answered++;
      } catch (SfnException e) {
        assertThat(e.isThrottlingException()).isTrue();
      }
    }

    assertThat(answered).isEqualTo(3);
    assertThat(sfn.recording().startCounts()).isEqualTo(new StartExecutionCounts(8, 7, 0));
  }

  @Test
  void otherOperations_areNotThrottled() {
    for (int i = 0; i < 5; i++) {
      client.startExecution(r -> r.stateMachineArn(machine));
    }
    for (int i = 0; i < 10; i++) {
      assertThat(client.listExecutions(r -> r.stateMachineArn(machine)).executions()).hasSize(5);
    }
  }
}
