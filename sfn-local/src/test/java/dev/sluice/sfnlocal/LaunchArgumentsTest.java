package dev.sluice.sfnlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

class LaunchArgumentsTest {

  @Test
  void launch_appliesTheOptions() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream events = new PrintStream(out, true, StandardCharsets.UTF_8);
    try (LocalStepFunctions sfn =
            LaunchArguments.parse(
                    events,
                    "--region",
                    "eu-central-1",
                    "--account",
                    "999988887777",
                    "--state-machine",
                    "alpha",
                    "--state-machine",
                    "beta",
                    "--duration",
                    "20ms",
                    "--fail-matching",
                    "^bad",
                    "--print-events")
                .start();
        SfnClient client = SfnClients.of(sfn)) {
      assertThat(sfn.stateMachineArns())
          .containsExactly(
              "arn:aws:states:eu-central-1:999988887777:stateMachine:alpha",
              "arn:aws:states:eu-central-1:999988887777:stateMachine:beta");
      String ok =
          client
              .startExecution(r -> r.stateMachineArn(sfn.stateMachineArn("beta")).name("ok-1"))
              .executionArn();
      String bad =
          client
              .startExecution(r -> r.stateMachineArn(sfn.stateMachineArn("beta")).name("bad-1"))
              .executionArn();

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> out.toString(StandardCharsets.UTF_8).lines().count() == 4);
      assertThat(client.describeExecution(r -> r.executionArn(ok)).status())
          .isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(client.describeExecution(r -> r.executionArn(bad)).error())
          .isEqualTo(LaunchArguments.SCRIPTED_FAILURE);
      assertThat(out.toString(StandardCharsets.UTF_8).lines())
          .allSatisfy(line -> assertThat(line).contains("\"source\":\"aws.states\""));
    }
  }

  @Test
  void launch_withoutMachines_servesOneNamedSluice() {
    try (LocalStepFunctions sfn = LocalStepFunctions.launch()) {
      assertThat(sfn.stateMachineArns())
          .containsExactly("arn:aws:states:us-east-1:123456789012:stateMachine:sluice");
      assertThat(sfn.endpoint().getHost()).isEqualTo("127.0.0.1");
    }
  }

  @Test
  void parse_refusesWhatItDoesNotKnow() {
    assertThatThrownBy(() -> LaunchArguments.parse("--colour", "red"))
        .hasMessageContaining("unknown option --colour");
    assertThatThrownBy(() -> LaunchArguments.parse("--port"))
        .hasMessageContaining("--port needs a value");
    assertThatThrownBy(() -> LaunchArguments.parse("--start-rate", "5"))
        .hasMessageContaining("BUCKET/REFILL_PER_SECOND");
    assertThatThrownBy(() -> LaunchArguments.parse("--duration", "soon"))
        .hasMessageContaining("duration must be like");
  }

  @Test
  void duration_readsTheUsualForms() {
    assertThat(LaunchArguments.duration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(LaunchArguments.duration("3s")).isEqualTo(Duration.ofSeconds(3));
    assertThat(LaunchArguments.duration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(LaunchArguments.duration("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void builder_refusesBadSettings_namingTheField() {
    LocalStepFunctions.Builder b = LocalStepFunctions.builder();
    assertThatThrownBy(() -> b.region("Mars")).hasMessageContaining("region must look like");
    assertThatThrownBy(() -> b.account("12")).hasMessageContaining("account must be 12 digits");
    assertThatThrownBy(() -> b.port(70000)).hasMessageContaining("port must be in 0..65535");
    assertThatThrownBy(() -> b.stateMachine("a b")).hasMessageContaining("stateMachine name");
    assertThatThrownBy(() -> b.stateMachineArn("arn:aws:states:x"))
        .hasMessageContaining("stateMachineArn");
    assertThatThrownBy(() -> b.executionDuration(Duration.ofSeconds(-1)))
        .hasMessageContaining("executionDuration must be >= 0");
    assertThatThrownBy(() -> b.startExecutionRate(0, 1))
        .hasMessageContaining("bucketSize must be >= 1, got 0");
    assertThatThrownBy(() -> b.startExecutionRate(1, Double.NaN))
        .hasMessageContaining("refillPerSecond must be finite");
  }
}
