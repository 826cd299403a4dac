package dev.sluice.sfnlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

  @Test
  void concurrentStarts_ofTheSameNames_makeOneExecutionPerName() throws Exception {
    int threads = 8;
    int callsEach = 25;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<List<String>>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      results.add(
          pool.submit(
              () -> {
                go.await();
                List<String> arns = new ArrayList<>();
                for (int i = 0; i < callsEach; i++) {
                  String name = "obj-" + ((i * 7 + seed) % 25);
                  arns.add(
                      client
                          .startExecution(r -> r.stateMachineArn(machine).name(name).input("{}"))
                          .executionArn());
                }
                return arns;
              }));
    }
    go.countDown();
    Set<String> arns = new HashSet<>();
    for (Future<List<String>> f : results) {
      arns.addAll(f.get(60, TimeUnit.SECONDS));
    }
    pool.shutdown();

    assertThat(arns).hasSize(25);
    assertThat(sfn.recording().executions()).hasSize(25);
    assertThat(sfn.recording().startCounts())
        .isEqualTo(new StartExecutionCounts((long) threads * callsEach, 0, 0));
    assertThat(sfn.recording().statusChanges()).hasSize(25);
  }
}
