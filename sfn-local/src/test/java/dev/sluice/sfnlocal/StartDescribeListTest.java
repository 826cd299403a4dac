package dev.sluice.sfnlocal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StopExecutionResponse;

class StartDescribeListTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00.250Z");

  private final SettableClock clock = new SettableClock(T0);
  private LocalStepFunctions sfn;
  private SfnClient client;
  private String machine;

  @BeforeEach
  void start() {
    sfn =
        LocalStepFunctions.builder()
            .account("111122223333")
            .stateMachine("ingest")
            .stateMachine("other")
            .clock(clock)
            .executionDuration(Duration.ofMinutes(5))
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
  void startExecution_answersTheExecutionArnAndStartDate() {
    StartExecutionResponse started =
        client.startExecution(r -> r.stateMachineArn(machine).name("run-1").input("{\"k\":1}"));

    assertThat(machine).isEqualTo("arn:aws:states:us-east-1:111122223333:stateMachine:ingest");
    assertThat(started.executionArn())
        .isEqualTo("arn:aws:states:us-east-1:111122223333:execution:ingest:run-1");
    assertThat(started.startDate()).isEqualTo(T0);
    assertThat(sfn.recording().startedNames()).containsExactly("run-1");
  }

  @Test
  void describeExecution_whileRunning_thenAfterItsDuration() {
    String arn =
        client
            .startExecution(
                r -> r.stateMachineArn(machine).name("run-1").input("{\"k\":1}").traceHeader("t-1"))
            .executionArn();

    DescribeExecutionResponse running = client.describeExecution(r -> r.executionArn(arn));
    assertThat(running.status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(running.name()).isEqualTo("run-1");
    assertThat(running.stateMachineArn()).isEqualTo(machine);
    assertThat(running.input()).isEqualTo("{\"k\":1}");
    assertThat(running.inputDetails().included()).isTrue();
    assertThat(running.traceHeader()).isEqualTo("t-1");
    assertThat(running.startDate()).isEqualTo(T0);
    assertThat(running.stopDate()).isNull();
    assertThat(running.output()).isNull();

    clock.advance(Duration.ofMinutes(5));
    DescribeExecutionResponse done = client.describeExecution(r -> r.executionArn(arn));
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    // The default outcome is a Pass state's: the input comes out as output.
    assertThat(done.output()).isEqualTo("{\"k\":1}");
    assertThat(done.outputDetails().included()).isTrue();
    assertThat(done.stopDate()).isEqualTo(Instant.parse("2026-12-01T10:05:00.250Z"));
    assertThat(done.error()).isNull();
  }

  @Test
  void startExecution_withoutNameOrInput_getsAUuidNameAndEmptyObjectInput() {
    String arn = client.startExecution(r -> r.stateMachineArn(machine)).executionArn();

    DescribeExecutionResponse d = client.describeExecution(r -> r.executionArn(arn));
    assertThat(UUID.fromString(d.name()).toString()).isEqualTo(d.name());
    assertThat(arn).endsWith(":execution:ingest:" + d.name());
    assertThat(d.input()).isEqualTo("{}");
  }

  @Test
  void listExecutions_isNewestFirst_perMachine_andFilters() {
    for (int i = 1; i <= 3; i++) {
      int n = i;
      client.startExecution(r -> r.stateMachineArn(machine).name("run-" + n));
      clock.advance(Duration.ofMinutes(2));
    }
    client.startExecution(r -> r.stateMachineArn(sfn.stateMachineArn("other")).name("elsewhere"));

    // run-1 started 6 minutes ago and ran 5: it is the only one closed.
    ListExecutionsResponse all = client.listExecutions(r -> r.stateMachineArn(machine));
    assertThat(all.executions())
        .extracting(ExecutionListItem::name)
        .containsExactly("run-3", "run-2", "run-1");
    assertThat(all.nextToken()).isNull();
    ExecutionListItem first = all.executions().get(2);
    assertThat(first.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(first.startDate()).isEqualTo(T0);
    assertThat(first.stopDate()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    assertThat(all.executions().get(0).stopDate()).isNull();

    assertThat(
            client
                .listExecutions(
                    r -> r.stateMachineArn(machine).statusFilter(ExecutionStatus.RUNNING))
                .executions())
        .extracting(ExecutionListItem::name)
        .containsExactly("run-3", "run-2");
  }

  @Test
  void listExecutions_pagesWithNextToken_untilEveryExecutionIsSeenOnce() {
    List<String> started = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      started.add(0, client.startExecution(r -> r.stateMachineArn(machine)).executionArn());
      clock.advance(Duration.ofMillis(1));
    }

    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String t = token;
      ListExecutionsResponse page =
          client.listExecutions(r -> r.stateMachineArn(machine).maxResults(3).nextToken(t));
      assertThat(page.executions()).hasSizeLessThanOrEqualTo(3);
      page.executions().forEach(e -> seen.add(e.executionArn()));
      token = page.nextToken();
      pages++;
    } while (token != null);

    assertThat(pages).isEqualTo(3);
    assertThat(seen).isEqualTo(started);
    // The SDK's paginator walks the same pages.
    assertThat(
            client
                .listExecutionsPaginator(r -> r.stateMachineArn(machine).maxResults(2))
                .executions()
                .stream()
                .map(ExecutionListItem::executionArn))
        .containsExactlyElementsOf(started);
  }

  @Test
  void stopExecution_abortsWithErrorAndCause() {
    String arn =
        client.startExecution(r -> r.stateMachineArn(machine).name("run-1")).executionArn();
    clock.advance(Duration.ofSeconds(30));

    StopExecutionResponse stopped =
        client.stopExecution(r -> r.executionArn(arn).error("Operator").cause("drained"));

    assertThat(stopped.stopDate()).isEqualTo(T0.plusSeconds(30));
    DescribeExecutionResponse d = client.describeExecution(r -> r.executionArn(arn));
    assertThat(d.status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(d.error()).isEqualTo("Operator");
    assertThat(d.cause()).isEqualTo("drained");
    assertThat(d.output()).isNull();
    // Its due time passing later changes nothing.
    clock.advance(Duration.ofMinutes(10));
    assertThat(client.describeExecution(r -> r.executionArn(arn)).status())
        .isEqualTo(ExecutionStatus.ABORTED);
  }
}
