package dev.sluice.sfnlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

class IdempotentStartTest {

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
            .executionDuration(Duration.ofMinutes(1))
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
  void sameNameAndInput_whileRunning_answersTheSameExecution() {
    StartExecutionResponse first =
        client.startExecution(r -> r.stateMachineArn(machine).name("obj-1").input("{\"a\":1}"));
    clock.advance(Duration.ofSeconds(10));

    StartExecutionResponse again =
        client.startExecution(r -> r.stateMachineArn(machine).name("obj-1").input("{\"a\":1}"));

    assertThat(again.executionArn()).isEqualTo(first.executionArn());
    assertThat(again.startDate()).isEqualTo(first.startDate());
    assertThat(sfn.recording().executions()).hasSize(1);
    assertThat(sfn.recording().startCounts()).isEqualTo(new StartExecutionCounts(2, 0, 0));
  }

  @Test
  void sameName_otherInput_whileRunning_isExecutionAlreadyExists() {
    String arn =
        client
            .startExecution(r -> r.stateMachineArn(machine).name("obj-1").input("{\"a\":1}"))
            .executionArn();

    ExecutionAlreadyExistsException e =
        catchThrowableOfType(
            ExecutionAlreadyExistsException.class,
            () ->
                client.startExecution(
                    r -> r.stateMachineArn(machine).name("obj-1").input("{\"a\":2}")));

    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExecutionAlreadyExists");
    assertThat(e.awsErrorDetails().errorMessage()).contains(arn);
    assertThat(sfn.recording().executions()).hasSize(1);
    assertThat(sfn.recording().execution("obj-1").orElseThrow().input()).isEqualTo("{\"a\":1}");
    assertThat(sfn.recording().startCounts()).isEqualTo(new StartExecutionCounts(1, 0, 1));
  }

  @Test
  void sameNameAndInput_afterTheExecutionClosed_isExecutionAlreadyExists() {
    client.startExecution(r -> r.stateMachineArn(machine).name("obj-1").input("{}"));
    clock.advance(Duration.ofMinutes(1));

    assertThat(
            catchThrowableOfType(
                ExecutionAlreadyExistsException.class,
                () ->
                    client.startExecution(
                        r -> r.stateMachineArn(machine).name("obj-1").input("{}"))))
        .isNotNull();
    assertThat(sfn.recording().executions())
        .singleElement()
        .satisfies(e -> assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED));
  }

  @Test
  void sameName_afterStop_isExecutionAlreadyExists_evenMuchLater() {
    String arn =
        client.startExecution(r -> r.stateMachineArn(machine).name("obj-1")).executionArn();
    client.stopExecution(r -> r.executionArn(arn));
    clock.advance(Duration.ofDays(30));

    assertThat(
            catchThrowableOfType(
                ExecutionAlreadyExistsException.class,
                () -> client.startExecution(r -> r.stateMachineArn(machine).name("obj-1"))))
        .isNotNull();
  }

  @Test
  void noInput_andEmptyObjectInput_areTheSameInput() {
    StartExecutionResponse first =
        client.startExecution(r -> r.stateMachineArn(machine).name("obj-1"));
    StartExecutionResponse again =
        client.startExecution(r -> r.stateMachineArn(machine).name("obj-1").input("{}"));

    assertThat(again.executionArn()).isEqualTo(first.executionArn());
  }
}
