package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerlessLocalCommandTest {

  @Test
  void serverlessLocal_smallBurst_endsWithTheInvocationsPerTickFromTheEndpointsRecord() {
    CliRun run = CliRun.of("serverless-local", "--objects", "5", "--limit", "2", "--every", "1s");

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    assertThat(run.outLines()).last().isEqualTo("invocations per tick: 2 2 1");
  }

  @Test
  void serverlessLocal_whenEveryIsNotWholeSeconds_failsWithOneLineNamingTheOption() {
    CliRun run = CliRun.of("serverless-local", "--every", "1500ms");

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).startsWith("sluice: --every must be a whole number of seconds");
  }

  @Test
  void serverlessLocal_whenAnEndpointLacksItsResource_failsWithOneLineNamingBoth() {
    CliRun run = CliRun.of("serverless-local", "--sqs-endpoint", "http://127.0.0.1:9324");

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.errLines()).containsExactly("sluice: --sqs-endpoint needs --event-queue-url");
  }

  @Test
  void serverlessLocal_whenMaxInFlightIsGivenWithAnOutsideStepFunctionsEndpoint_refusesIt() {
    CliRun run =
        CliRun.of(
            "serverless-local",
            "--max-in-flight",
            "5",
            "--sfn-endpoint",
            "http://127.0.0.1:8083",
            "--state-machine-arn",
            "arn:aws:states:us-east-1:123456789012:stateMachine:m");

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).contains("--max-in-flight").contains("--sfn-endpoint");
  }

  @Test
  void serverlessLocal_whenADurationIsUnreadable_failsWithOneLineNamingTheOption() {
    CliRun run = CliRun.of("serverless-local", "--execution-time", "soon");

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).startsWith("sluice: --execution-time: expected a duration");
  }
}
